/**
 * BASELINE: the straightforward genScheme a team would write first — classic `zod` from
 * node_modules, compiled by `tsc` file by file (no bundler). It validates the event with one
 * zod schema and passes it on to urlscheme.generate. Not part of the product: scripts/bench.mjs
 * compiles it into bench/baseline/dist and measures it beside the real function.
 *
 * Checks (the same platform rules genScheme checks before spending quota, written the usual way):
 * path is a page of app.json (no `?`), query ≤ 1024 chars of WeChat's charset, env_version one of
 * three, expire_type 0/1 with expire_time in (now+60 s, now+30 days] or expire_interval 1…30.
 * Not here (genScheme has them): snake_case aliases, "did you mean" hints, bilingual messages,
 * caller policy and rate limits, per-instance pacing, retries, cq, a log line per call.
 */
import { z } from 'zod';

export interface OpenApi {
  urlscheme: { generate(request: Record<string, unknown>): Promise<unknown> };
}

export interface Reply {
  errcode: number;
  errmsg: string;
  openlink?: string;
}

const QUERY_CHARS = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~%]*$/;
const DAY = 86_400;

export function createHandler(deps: { openapi: OpenApi; pages: readonly string[]; now?: () => number }) {
  const now = deps.now ?? Date.now;
  const pages = new Set(deps.pages);

  const eventSchema = z
    .object({
      jumpWxa: z
        .object({
          path: z
            .string()
            .default('')
            .transform((p) => p.replace(/^\//, ''))
            .refine((p) => p === '' || pages.has(p), { message: 'path is not a page of app.json' }),
          query: z.string().max(1024).regex(QUERY_CHARS, 'query has characters WeChat refuses').default(''),
          envVersion: z.enum(['release', 'trial', 'develop']).default('release'),
        })
        .strict()
        .default({ path: '', query: '', envVersion: 'release' }),
      isExpire: z.boolean().optional(),
      expireType: z.union([z.literal(0), z.literal(1)]).optional(),
      expireTime: z.number().int().optional(),
      expireInterval: z.number().int().min(1).max(30).optional(),
      userInfo: z.unknown().optional(),
    })
    .strict()
    .superRefine((e, ctx) => {
      const nowS = Math.floor(now() / 1000);
      const type = e.expireType ?? (e.expireTime !== undefined ? 0 : 1);
      if (type === 0) {
        if (e.expireTime === undefined) ctx.addIssue({ code: 'custom', path: ['expireTime'], message: 'expireTime is required when expireType is 0' });
        else if (e.expireTime <= nowS + 60 || e.expireTime > nowS + 30 * DAY)
          ctx.addIssue({ code: 'custom', path: ['expireTime'], message: 'expireTime must be within 30 days from now' });
        if (e.expireInterval !== undefined) ctx.addIssue({ code: 'custom', path: ['expireInterval'], message: 'use expireTime or expireInterval, not both' });
      } else if (e.expireTime !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['expireTime'], message: 'use expireTime or expireInterval, not both' });
      }
    });

  return async function handle(event: unknown): Promise<Reply> {
    const parsed = eventSchema.safeParse(event);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { errcode: 40001, errmsg: `${issue.path.join('.') || 'event'}: ${issue.message}` };
    }
    const e = parsed.data;
    const byTime = (e.expireType ?? (e.expireTime !== undefined ? 0 : 1)) === 0;
    try {
      const result = (await deps.openapi.urlscheme.generate({
        jumpWxa: e.jumpWxa,
        isExpire: true,
        ...(byTime ? { expireType: 0, expireTime: e.expireTime } : { expireType: 1, expireInterval: e.expireInterval ?? 30 }),
      })) as { openlink?: string };
      return { errcode: 0, errmsg: 'ok', openlink: result.openlink };
    } catch (error) {
      const err = error as { errCode?: number; errMsg?: string; message?: string };
      return { errcode: err.errCode ?? -1, errmsg: err.errMsg ?? String(err.message) };
    }
  };
}
