/**
 * What an action is: a file under actions/ exports one ActionDef, and actions/index.ts lists it.
 * The handler parses the event with the action's fields, identifies the caller, and calls `run`
 * with everything the action may touch; `run` checks, asks the policy, calls WeChat, and replies.
 */
import type * as z from 'zod/mini';
import type { Zod } from '../event-fields';
import type { Action, SuccessReply, Warning } from '../../../../miniprogram/shared/contract';
import type { Failure } from '../../../../miniprogram/shared/failure';
import type { Ask, PolicyState } from '../access/authorize';
import type { Caller } from '../access/caller';
import type { Clock } from '../clock';
import type { FieldNames } from '../field-names';
import type { Settings } from '../settings';
import type { SharedState } from '../state';
import type { InstanceLinks } from '../links/instance';
import type { CallRecord, WeChat } from '../wechat/call';
import type { CloudStorage } from '../wechat/storage';

export interface ActionContext {
  caller: Caller;
  /** How the caller spelt each field: `names.shown('jumpWxa.path')` may be `jump_wxa.path`. */
  names: FieldNames;
  clock: Clock;
  /** Epoch ms by which the function must have replied. */
  deadline: number;
  settings: Settings;
  policy: PolicyState;
  wechat: WeChat;
  /** The call's log record: the WeChat call path fills in attempts and waits. */
  record: CallRecord;
  /** Asks the policy, then takes a slot of the caller's rate limits: null = go ahead. */
  permit(ask: Ask): Promise<Failure | null>;
  /** Limits, today's generation count and stored links, shared by every instance with the database. */
  state: SharedState;
  /** This instance's memory of links: work in flight, recent and stable links, today's count. */
  links: InstanceLinks;
  /** Cloud storage, where 小程序码 are kept. */
  storage: CloudStorage;
}

export type ActionResult = SuccessReply | ActionFailure;

export interface ActionFailure {
  failure: Failure;
  /** What the caller should read even though the request failed (e.g. an adjusted expiry). */
  warnings?: Warning[];
}

export function isFailure(result: ActionResult): result is ActionFailure {
  return 'failure' in result;
}

/** The zod shape of an action's own event fields (camelCase; snake_case spellings are mapped first). */
export type Fields = Record<string, z.ZodMiniType>;

export interface ActionDef<F extends Fields = Fields> {
  name: Action;
  /** Who may use it when no policy says otherwise. */
  defaultAccess: { user: boolean; public: boolean };
  /**
   * snake_case spellings of the action's own top-level fields, beyond the shared ones of event.ts
   * (e.g. `env_version` → `envVersion` for an action whose target is flat, as urllink's is).
   */
  aliases?: Readonly<Record<string, string>>;
  /**
   * The action's own fields, built with the `z` the event parser passes (event-fields.ts says why).
   * Called on first use: building zod schemas is most of a module's load time.
   */
  fields(z: Zod): F;
  run(input: z.infer<z.ZodMiniObject<F>>, ctx: ActionContext): Promise<ActionResult>;
}

/** Declares an action with its input typed from its fields. */
export function defineAction<F extends Fields>(def: ActionDef<F>): ActionDef<F> {
  return def;
}
