/**
 * N instances of the built function, each in its own Node process, against one emulator: what a
 * promise about many instances is tested with (each instance starts empty, as on CloudBase).
 */
import { fork, type ChildProcess } from 'child_process';
import { join } from 'path';
import type { GenSchemeReply } from '../../miniprogram/shared/contract';
import type { Caller, Emulator } from '../../emulator/src';

export interface Instance {
  invoke(event: unknown, caller?: Caller, timeLimitMs?: number): Promise<GenSchemeReply>;
  /** invoke(), with the time main() took in the instance (ms). */
  invokeTimed(event: unknown, caller?: Caller, timeLimitMs?: number): Promise<{ reply: GenSchemeReply; ms: number }>;
  /** False once the process has exited (a crash: an unhandled rejection ends a Node process). */
  alive(): boolean;
}

export async function startInstances(
  emulator: Emulator,
  count: number,
  env: Record<string, string>,
): Promise<{ instances: Instance[]; stop(): Promise<void> }> {
  const children: ChildProcess[] = [];
  const instances: Instance[] = [];
  for (let i = 0; i < count; i++) {
    const child = fork(join(__dirname, 'instance-worker.js'), [], {
      stdio: ['ignore', 'ignore', process.env.GENSCHEME_TEST_STDERR ? 'inherit' : 'ignore', 'ipc'],
    });
    await new Promise<void>((ready) => child.once('message', () => ready()));
    const pending = new Map<number, (answer: { reply: GenSchemeReply; ms: number }) => void>();
    child.on('message', (m: { id?: number; reply?: GenSchemeReply; ms?: number }) => {
      if (m.id !== undefined) pending.get(m.id)?.({ reply: m.reply as GenSchemeReply, ms: m.ms ?? NaN });
    });
    let exited = false;
    child.once('exit', () => (exited = true));
    let next = 0;
    children.push(child);
    const invokeTimed = (event: unknown, caller?: Caller, timeLimitMs?: number) => {
      const id = next++;
      return new Promise<{ reply: GenSchemeReply; ms: number }>((done) => {
        pending.set(id, done);
        child.send({ id, env: { ...env, ...emulator.functionEnv(caller) }, event, timeLimitMs });
      });
    };
    instances.push({
      invokeTimed,
      invoke: async (event, caller, timeLimitMs) => (await invokeTimed(event, caller, timeLimitMs)).reply,
      alive: () => !exited,
    });
  }
  return {
    instances,
    async stop() {
      await Promise.all(
        children.map(
          (c) => new Promise<void>((gone) => (c.exitCode !== null || c.signalCode !== null ? gone() : (c.once('exit', () => gone()), c.send('exit')))),
        ),
      );
    },
  };
}
