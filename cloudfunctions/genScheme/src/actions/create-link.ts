/**
 * `createLink` (trusted callers): a stable link — a short code in the database behind one fixed
 * URL (`<jump page>?l=CODE`) that never expires. The target gets generate's checks (platform-rules
 * §1, §2); nothing is issued yet: the first resolve makes the ticket, so creating costs no quota.
 */
import { randomBytes } from 'crypto';
import type { CreateLinkReply } from '../../../../miniprogram/shared/contract';
import { clip, inputFailure } from '../../../../miniprogram/shared/failure';
import { lookup } from '../wechat/catalogue';
import { INVALID_FIELD, STABLE_CODE_TAKEN } from '../wechat/codes';
import type { StableLinkConfig } from '../state';
import { defineAction, type ActionContext } from './action';
import { optionalString } from '../event-fields';
import { checkCode, checkLinkCq, isActionFailure, orUnavailable, toStableLink } from '../links/stable';
import { checkTarget } from '../links/target';

const CODE_ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/l/I: read aloud or typed from print
const GENERATED_LENGTH = 8;
export const NAME_MAX = 64;

/** A random code of GENERATED_LENGTH characters from CODE_ALPHABET. */
export function newCode(): string {
  return [...randomBytes(GENERATED_LENGTH)].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
}

export function checkName(name: string, field = 'name') {
  return name.length > NAME_MAX
    ? inputFailure({
        errcode: INVALID_FIELD,
        field,
        rule: 'link.name',
        message: {
          zh: `${field} 最长 ${NAME_MAX} 个字符，现为 ${name.length}。`,
          en: `${field} may be at most ${NAME_MAX} characters; it has ${name.length}.`,
        },
        hint: { zh: '缩短名称。', en: 'Shorten the name.' },
      })
    : null;
}

export const createLink = defineAction({
  name: 'createLink',
  defaultAccess: { user: false, public: false },
  fields: (z) => ({
    jumpWxa: z.strictObject({ path: optionalString(z), query: optionalString(z), envVersion: optionalString(z) }),
    name: optionalString(z),
    cq: optionalString(z),
    code: optionalString(z),
    kind: optionalString(z),
  }),

  async run(input, ctx) {
    const { names } = ctx;
    // 1. The code, the target and the cq, before anything is stored.
    if (input.code !== undefined) {
      const bad = checkCode(input.code, names.shown('code'));
      if (bad) return { failure: bad };
    }
    const kind = input.kind ?? 'scheme';
    if (kind !== 'scheme' && kind !== 'urllink') {
      const field = names.shown('kind');
      return {
        failure: inputFailure({
          errcode: INVALID_FIELD,
          field,
          rule: 'link.kind',
          message: { zh: `${field} 为 "${clip(kind)}"，只能是 scheme 或 urllink。`, en: `${field} is "${clip(kind)}"; it must be scheme or urllink.` },
          hint: { zh: '不填即 scheme。', en: 'Leave it out for scheme.' },
        }),
      };
    }
    const checked = checkTarget(input.jumpWxa, names, ctx.settings.pages);
    if ('failure' in checked) return checked;
    const { target } = checked;
    const nameFailure = input.name === undefined ? null : checkName(input.name, names.shown('name'));
    if (nameFailure) return { failure: nameFailure };
    const code = input.code ?? newCode();
    const cqFailure = input.cq === undefined ? null : checkLinkCq(input.cq, code, names.shown('cq'));
    if (cqFailure) return { failure: cqFailure };

    // 2. The policy (trusted callers pass).
    const denied = await ctx.permit({
      action: 'createLink',
      path: target.path,
      envVersion: target.envVersion,
      queryLength: target.query.length,
      fields: { path: names.shown('jumpWxa.path'), envVersion: names.shown('jumpWxa.envVersion'), query: names.shown('jumpWxa.query') },
    });
    if (denied) return { failure: denied };

    // 3. Stored under its code; a generated code that is taken is drawn again (twice at most).
    let config: StableLinkConfig = {
      code,
      name: input.name ?? '',
      kind,
      ...target,
      cq: input.cq ?? '',
      disabled: false,
      createdAt: new Date(ctx.clock.now()).toISOString(),
    };
    let stored = await orUnavailable(() => ctx.state.stableLinks.createStableLink(config));
    for (let again = 0; input.code === undefined && stored === 'taken' && again < 2; again++) {
      config = { ...config, code: newCode() }; // same length: the cq check above still holds
      stored = await orUnavailable(() => ctx.state.stableLinks.createStableLink(config));
    }
    if (isActionFailure(stored)) return stored;
    if (stored === 'taken') {
      const field = names.shown('code');
      return {
        failure: {
          errcode: STABLE_CODE_TAKEN,
          source: 'input',
          field,
          rule: 'link.codeTaken',
          message: { zh: `代码 "${code}" 已被另一个稳定链接使用。`, en: `The code "${code}" is taken by another stable link.` },
          hint: lookup(STABLE_CODE_TAKEN).fix,
        },
      };
    }
    return reply(config, ctx);
  },
});

function reply(config: StableLinkConfig, ctx: ActionContext): CreateLinkReply {
  return {
    errcode: 0,
    errmsg: 'ok',
    action: 'createLink',
    link: toStableLink({ ...config, ticket: null, linkCode: null, revision: 0 }, ctx.settings),
    warnings: [],
  };
}
