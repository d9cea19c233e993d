/** emulator/README.md's JS example runs as written: the built function, the real SDK, the emulator. */
import { readFileSync } from 'fs';
import { join } from 'path';
import { startEmulator } from '../../emulator/src';
import { loadFunction } from '../../emulator/src/run-function';
import { ROOT } from './support';

const readme = readFileSync(join(ROOT, 'emulator', 'README.md'), 'utf8');
const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';

it('the JS example calls the function with an event it accepts, and its check is not vacuous', async () => {
  const [, eventText, callerText] = /fn\.invoke\((\{.*\}), (\{.*\})\);/.exec(example) ?? [];
  expect(eventText).toBeDefined();
  const literal = (text: string) => new Function(`return (${text});`)() as Record<string, unknown>;
  jest.spyOn(console, 'log').mockImplementation(() => undefined); // the function's log line
  const emu = await startEmulator({
    appJsonPath: join(ROOT, 'miniprogram/app.json'),
    functionConfigPath: join(ROOT, 'cloudfunctions/genScheme/config.json'),
    seed: 1,
    dailyCap: 5,
  });
  try {
    const fn = loadFunction<unknown, { errcode: number }>(join(ROOT, 'cloudfunctions/genScheme/index.js'), emu);
    const reply = await fn.invoke(literal(eventText), literal(callerText));
    expect(reply.errcode).toBe(0);
    expect(emu.calls.map((c) => c.errcode)).toEqual([0]);
  } finally {
    await emu.close();
  }
  expect(example).toContain('expect(emu.calls.map((c) => c.errcode)).toEqual([0]);');
});
