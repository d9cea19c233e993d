/** `--data DIR` / `dataDir`: the database outlives the emulator; without it, nothing is written. */
import { spawn } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { startEmulator, type Emulator } from '../../emulator/src';
import { sdkDatabase, type Db } from './database-support';
import { APP_JSON, FUNCTION_CONFIG, ROOT } from './support';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'genscheme-db-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const start = (dataDir?: string) => startEmulator({ appJsonPath: APP_JSON, functionConfigPath: FUNCTION_CONFIG, dataDir });

/** Points this process's SDK at `emu` (the SDK reads TCB_CONTEXT_CNFG on every request). */
let db: Db;
function use(emu: Emulator): Db {
  db = sdkDatabase(emu.functionEnv());
  return db;
}

it('keeps collections and documents, with their types, across a restart', async () => {
  const first = await start(dir);
  try {
    use(first);
    await db.createCollection('links');
    await db.createCollection('empty');
    await db.collection('links').add({ data: { _id: 'a', n: 1, ratio: 0.5, at: new Date('2026-01-01T00:00:00Z'), tags: ['x'] } });
    await db
      .collection('links')
      .doc('a')
      .update({ data: { n: db.command.inc(1) } });
  } finally {
    await first.close();
  }
  const second = await start(dir);
  try {
    use(second);
    expect(second.database.collections().sort()).toEqual(['empty', 'links']);
    const { data } = await db.collection('links').doc('a').get();
    expect(data).toEqual({ _id: 'a', n: 2, ratio: 0.5, at: new Date('2026-01-01T00:00:00Z'), tags: ['x'] });
    expect(await db.collection('empty').count()).toMatchObject({ total: 0 });
    await db.collection('links').doc('a').remove();
    second.reset(); // also clears the files
  } finally {
    await second.close();
  }
  expect(readdirSync(dir)).toEqual([]);
});

it('a transaction rolled back before a restart stays rolled back', async () => {
  const first = await start(dir);
  try {
    use(first);
    first.database.seed('accounts', [{ _id: 'a', balance: 10 }]);
    await expect(
      db.runTransaction(
        async (t: { collection(n: string): { doc(id: string): { update(x: object): Promise<unknown> } }; rollback(r: string): Promise<void> }) => {
          await t
            .collection('accounts')
            .doc('a')
            .update({ data: { balance: 0 } });
          await t.rollback('no');
        },
      ),
    ).rejects.toBe('no');
  } finally {
    await first.close();
  }
  const second = await start(dir);
  try {
    expect(second.database.collection('accounts')).toEqual([{ _id: 'a', balance: 10 }]);
  } finally {
    await second.close();
  }
});

it('without a data directory nothing is kept', async () => {
  const first = await start();
  first.database.seed('links', [{ _id: 'a' }]);
  await first.close();
  const second = await start();
  try {
    expect(second.database.collections()).toEqual([]);
  } finally {
    await second.close();
  }
});

it('refuses to start on a damaged file rather than losing data', async () => {
  writeFileSync(join(dir, 'links.ejson.json'), '{"not":"an array"}');
  await expect(start(dir)).rejects.toThrow(/expected an EJSON array/);
});

describe('npm run emulator -- --data DIR', () => {
  function runCli(dataDir: string): Promise<{ base: string; stop: () => Promise<void> }> {
    const cli = spawn(process.execPath, [join(ROOT, 'scripts', 'emulator.mjs'), '--data', dataDir, '--quiet'], { cwd: ROOT });
    let output = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner: ${output}`)), 15_000);
      cli.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const url = /emulator on (http:\/\/127\.0\.0\.1:\d+)\/admin/.exec(output)?.[1];
        if (url && output.includes('Ctrl-C stops it.')) {
          clearTimeout(timer);
          const stop = () =>
            new Promise<void>((done) => {
              cli.once('exit', () => done());
              cli.kill('SIGTERM');
            });
          resolve({ base: url, stop });
        }
      });
      cli.on('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
    });
  }

  it('serves the SDK, writes each change to DIR, and loads it again after a restart', async () => {
    const first = await runCli(dir);
    try {
      const sdk = sdkDatabase(await (await fetch(`${first.base}/__emulator/env`)).json());
      await sdk.createCollection('quota');
      await sdk.collection('quota').add({ data: { _id: 'day', n: 0 } });
      await sdk
        .collection('quota')
        .where({ _id: 'day', n: sdk.command.lt(5) })
        .update({ data: { n: sdk.command.inc(1) } });
      expect(existsSync(join(dir, 'quota.ejson.json'))).toBe(true);
      expect(readFileSync(join(dir, 'quota.ejson.json'), 'utf8')).toContain('"n":{"$numberInt":"1"}');
    } finally {
      await first.stop();
    }
    const second = await runCli(dir);
    try {
      expect(await (await fetch(`${second.base}/__emulator/database/collections/quota`)).json()).toEqual([{ _id: 'day', n: 1 }]);
    } finally {
      await second.stop();
    }
  });
});
