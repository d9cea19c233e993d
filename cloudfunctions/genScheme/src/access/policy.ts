/**
 * The policy: what user and public callers may ask for, and how often. Any mini-program user can
 * call a cloud function, and so can a web page once the environment allows anonymous access;
 * without a policy one script could burn the 500,000-a-day cap (platform-rules §5) or mint
 * develop and trial links. A policy may only lower the platform's limits, never raise them.
 */
import * as z from 'zod/mini';
import type { Action } from '../../../../miniprogram/shared/contract';
import { ENV_VERSIONS, EXPIRE_INTERVAL_MAX_DAYS, QUERY_MAX_LENGTH, type EnvVersion } from '../../../../miniprogram/shared/platform';

/** What a user or public caller may do. Trusted callers get the platform's full range. */
export interface ClassRules {
  actions: Action[];
  /** Pages this class may link to; `["*"]` = every page of app.json. */
  pages: string[];
  envVersions: EnvVersion[];
  /** Longest validity in days (platform: 30). */
  maxDays: number;
  /** Longest query (platform: 1024). */
  maxQueryLength: number;
}

export interface Policy {
  user: ClassRules & { perUserPerMinute: number };
  public: ClassRules & { enabled: boolean; perIpPerMinute: number; sharedPerMinute: number };
  adminOpenids: string[];
}

/** Every page, release links only, the platform's longest validity and query. */
const platformLimits = () => ({
  pages: ['*'],
  envVersions: ['release'] as EnvVersion[],
  maxDays: EXPIRE_INTERVAL_MAX_DAYS,
  maxQueryLength: QUERY_MAX_LENGTH,
});

/** Who may use an action when no policy says otherwise: each action's file declares it. */
export interface ActionAccess {
  name: Action;
  user: boolean;
  public: boolean;
}

/** Safe defaults: release links only; users 20/min each; public callers 5/min per IP, 60/min together. */
export function defaultPolicy(actions: readonly ActionAccess[]): Policy {
  return {
    user: { actions: actions.filter((a) => a.user).map((a) => a.name), ...platformLimits(), perUserPerMinute: 20 },
    public: { enabled: true, actions: actions.filter((a) => a.public).map((a) => a.name), ...platformLimits(), perIpPerMinute: 5, sharedPerMinute: 60 },
    adminOpenids: [],
  };
}

// zod checks the shape; values are checked below with messages that name the platform limit.
// (Plain arrays and numbers keep the bundle small: zod's enum/union/checks cost ~5 KB.)
// Built on first use: an instance without policy.json or GENSCHEME_POLICY never needs it, and
// building zod schemas is most of a module's load time.
let policySchema: z.ZodMiniType<PolicyFile> | undefined;
function buildPolicySchema() {
  const list = z.optional(z.array(z.string()));
  const num = z.optional(z.number());
  const classSchema = { actions: list, pages: list, envVersions: list, maxDays: num, maxQueryLength: num };
  return z.strictObject({
    user: z.optional(z.strictObject({ ...classSchema, perUserPerMinute: num })),
    public: z.optional(z.strictObject({ ...classSchema, enabled: z.optional(z.boolean()), perIpPerMinute: num, sharedPerMinute: num })),
    adminOpenids: list,
  });
}
type PolicyFile = z.infer<ReturnType<typeof buildPolicySchema>>;

/** Value checks a shape cannot express. A policy may only lower the platform's limits. */
function valueErrors(cls: 'user' | 'public', rules: Record<string, unknown>, pages: readonly string[], actionNames: readonly string[]): string[] {
  const errors: string[] = [];
  const at = (key: string) => `policy ${cls}.${key}`;
  const outside = (key: string, allowed: readonly string[]) => {
    const bad = ((rules[key] as string[] | undefined) ?? []).filter((v) => !allowed.includes(v));
    if (bad.length) errors.push(`${at(key)}: ${bad.join(', ')} not one of ${allowed.join(', ')}`);
  };
  outside('actions', actionNames);
  outside('envVersions', ENV_VERSIONS);
  const listed = rules.pages as string[] | undefined;
  if (listed && !(listed.length === 1 && listed[0] === '*')) {
    const unknown = listed.filter((p) => !pages.includes(p.replace(/^\//, '')));
    if (unknown.length) errors.push(`${at('pages')}: not pages of app.json: ${unknown.join(', ')} (["*"] = every page)`);
  }
  const range = (key: string, min: number, max: number, why: string) => {
    const v = rules[key];
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= min && (v as number) <= max))
      errors.push(`${at(key)}: ${String(v)} must be a whole number from ${min} to ${max}${why}`);
  };
  range('maxDays', 1, EXPIRE_INTERVAL_MAX_DAYS, ' (platform-rules §1: 30 days at most)');
  range('maxQueryLength', 0, QUERY_MAX_LENGTH, ' (platform-rules §1: 1024 characters at most)');
  for (const key of ['perUserPerMinute', 'perIpPerMinute', 'sharedPerMinute']) range(key, 0, 100_000, '');
  return errors;
}

/**
 * Builds the policy from the optional policy file and the environment (environment wins):
 * GENSCHEME_POLICY (JSON, same shape as policy.json), GENSCHEME_ADMIN_OPENIDS (comma list),
 * GENSCHEME_PUBLIC (`off`/`on`). Returns the problems found so start-up can log them; a wrong
 * policy fails closed (see createGate).
 */
export function loadPolicy(
  fileJson: unknown,
  env: Record<string, string | undefined>,
  app: { pages: readonly string[]; actions: readonly ActionAccess[] },
): { policy: Policy; errors: string[] } {
  const { pages } = app;
  const actionNames = app.actions.map((a) => a.name);
  const defaults = defaultPolicy(app.actions);
  const errors: string[] = [];
  const layers: unknown[] = [];
  if (fileJson !== undefined) layers.push(fileJson);
  if (env.GENSCHEME_POLICY) {
    try {
      layers.push(JSON.parse(env.GENSCHEME_POLICY));
    } catch (e) {
      errors.push(`GENSCHEME_POLICY is not valid JSON: ${(e as Error).message}`);
    }
  }
  const policy: Policy = {
    user: { ...defaults.user },
    public: { ...defaults.public },
    adminOpenids: [...defaults.adminOpenids],
  };
  for (const layer of layers) {
    const parsed = (policySchema ??= buildPolicySchema()).safeParse(layer);
    if (!parsed.success) {
      for (const issue of parsed.error.issues.slice(0, 5)) {
        const at = issue.path.join('.') || '(root)';
        const what = issue.code === 'unrecognized_keys' ? `unknown key ${issue.keys.join(', ')}` : issue.code.replace(/_/g, ' ');
        errors.push(`policy ${at}: ${what}`);
      }
      continue;
    }
    const p = parsed.data;
    const wrong = [
      ...(p.user ? valueErrors('user', p.user, pages, actionNames) : []),
      ...(p.public ? valueErrors('public', p.public, pages, actionNames) : []),
    ];
    if (wrong.length) {
      errors.push(...wrong);
      continue;
    }
    if (p.user) Object.assign(policy.user, stripUndefined(p.user));
    if (p.public) Object.assign(policy.public, stripUndefined(p.public));
    if (p.adminOpenids) policy.adminOpenids = p.adminOpenids;
  }
  if (env.GENSCHEME_ADMIN_OPENIDS)
    policy.adminOpenids = env.GENSCHEME_ADMIN_OPENIDS.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (env.GENSCHEME_PUBLIC !== undefined) {
    const v = env.GENSCHEME_PUBLIC.trim().toLowerCase();
    if (v === 'off' || v === 'false' || v === '0') policy.public.enabled = false;
    else if (v === 'on' || v === 'true' || v === '1') policy.public.enabled = true;
    else errors.push(`GENSCHEME_PUBLIC must be on or off, not "${env.GENSCHEME_PUBLIC}"`);
  }
  return { policy, errors };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
