/**
 * The function folder deploys as one self-contained file (issue 20): cloudfunctions/genScheme/index.js
 * carries genScheme AND wx-server-sdk, so the folder needs no node_modules and no cloud install.
 *  - index.js requires nothing but Node's own modules, and the folder declares no dependency;
 *  - a copy of the folder (index.js, config.json, package.json) where no node_modules can be
 *    found above it loads in a plain Node process and answers through the emulator;
 *  - the SDK bundled into it keeps the paths genScheme uses or will use — openapi (urlscheme,
 *    urllink, wxacode), the database, storage (uploadFile, getTempFileURL, downloadFile) — each
 *    called for real (storage against a small fake of CloudBase's storage API and COS, since the
 *    emulator does not serve storage), while what the build left out says so when reached.
 */
import { fork } from 'child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { createServer, type Server } from 'http';
import { builtinModules } from 'module';
import { tmpdir } from 'os';
import { dirname, join, parse } from 'path';
import type { AddressInfo } from 'net';
import type { GenSchemeReply } from '../../miniprogram/shared/contract';
import { startEmulator, type Caller, type Emulator } from '../../emulator/src';
import { applyFunctionEnv } from '../../emulator/src/run-function';
import { buildFunctionEnv } from '../../emulator/src/function-env';
import { ROOT } from '../support/app-pages';

jest.setTimeout(60_000);

const FN_DIR = join(ROOT, 'cloudfunctions/genScheme');
const INDEX = join(FN_DIR, 'index.js');
const TRUSTED = { source: 'wx_client,scf' };
const GENERATE = { action: 'generate', jumpWxa: { path: 'pages/product/detail', query: 'id=42' }, expireInterval: 7 };

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ seed: 20 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

describe('the function folder', () => {
  it('index.js requires nothing but Node’s own modules (wx-server-sdk is inside it)', () => {
    const source = readFileSync(INDEX, 'utf8');
    const required = [...new Set([...source.matchAll(/\brequire\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]))];
    expect(required.length).toBeGreaterThan(0);
    expect(required.filter((name) => !builtinModules.includes(name.replace(/^node:/, '')))).toEqual([]);
    expect(source).not.toMatch(/require\(\s*['"`]wx-server-sdk/);
  });

  it('package.json declares no dependency, and says why', () => {
    const pkg = JSON.parse(readFileSync(join(FN_DIR, 'package.json'), 'utf8'));
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.main).toBe('index.js');
    expect(JSON.stringify(pkg)).toMatch(/wx-server-sdk/);
  });

  it('a copy of index.js, config.json and package.json, with no node_modules above it, loads and answers through the emulator', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'genscheme-deploy-'));
    try {
      for (const file of ['index.js', 'config.json', 'package.json']) copyFileSync(join(FN_DIR, file), join(dir, file));
      // Node would look for packages in every node_modules from the folder up to the root: none may exist.
      for (let d = dir; ; d = dirname(d)) {
        expect(existsSync(join(d, 'node_modules'))).toBe(false);
        if (d === parse(d).root) break;
      }
      const instance = startCopy(join(dir, 'index.js'));
      try {
        const env = { GENSCHEME_STATE: 'database', GENSCHEME_STATE_SECRET: 'bundle-test-secret' };
        const first = (await instance.invoke(GENERATE, TRUSTED, env)) as GenSchemeReply & { openlink?: string; reused?: boolean };
        expect(first).toMatchObject({ errcode: 0, openlink: expect.stringMatching(/^weixin:\/\/dl\/business\/\?t=/) });
        // The second identical request is answered from the database (reuse), not by WeChat.
        const second = (await instance.invoke(GENERATE, TRUSTED, env)) as typeof first;
        expect(second).toMatchObject({ errcode: 0, openlink: first.openlink });
        const query = await instance.invoke({ action: 'query', scheme: first.openlink }, TRUSTED, env);
        expect(query.errcode).toBe(0);
        expect(emulator.calls.map((c) => c.apiName)).toEqual(['urlscheme.generate', 'urlscheme.query']);
        expect(emulator.databaseCalls.length).toBeGreaterThan(0);
      } finally {
        await instance.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The copied index.js in a plain Node process (test/support/instance-worker.js), no NODE_PATH. */
function startCopy(indexJs: string) {
  const env = { ...process.env };
  delete env.NODE_PATH;
  delete env.NODE_OPTIONS;
  const child = fork(join(ROOT, 'test/support/instance-worker.js'), [indexJs], { env, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  const ready = new Promise<void>((done) => child.once('message', () => done()));
  const pending = new Map<number, (reply: GenSchemeReply) => void>();
  child.on('message', (m: { id?: number; reply?: GenSchemeReply }) => {
    if (m.id !== undefined) pending.get(m.id)?.(m.reply as GenSchemeReply);
  });
  let next = 0;
  return {
    async invoke(event: unknown, caller: Caller, env: Record<string, string>): Promise<GenSchemeReply> {
      await ready;
      const id = next++;
      return new Promise((done) => {
        pending.set(id, done);
        child.send({ id, env: { ...env, ...emulator.functionEnv(caller) }, event });
      });
    },
    stop: () => new Promise<void>((gone) => (child.once('exit', () => gone()), child.send('exit'))),
  };
}

describe('the wx-server-sdk bundled into index.js', () => {
  type Cloud = typeof import('wx-server-sdk');
  let cloud: Cloud;
  beforeAll(() => {
    applyFunctionEnv(emulator.functionEnv());
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      cloud = require(INDEX)[Symbol.for('genScheme.bundledSdk')] as Cloud;
    });
  });
  beforeEach(() => applyFunctionEnv(emulator.functionEnv()));

  it('has the storage, database and openapi calls', () => {
    for (const name of ['uploadFile', 'getTempFileURL', 'downloadFile', 'deleteFile', 'database', 'init', 'getWXContext'] as const)
      expect(typeof cloud[name]).toBe('function');
    expect(typeof cloud.openapi.urlscheme.generate).toBe('function');
    expect(typeof cloud.openapi.urllink.generate).toBe('function');
    expect(typeof cloud.openapi.wxacode.getUnlimited).toBe('function');
  });

  it('openapi: urlscheme.generate, urlscheme.query, urllink.generate reach the emulator and answer; wxacode.getUnlimited reaches it', async () => {
    const scheme = (await cloud.openapi.urlscheme.generate({
      jumpWxa: { path: 'pages/index/index', query: 'a=1' },
      isExpire: true,
      expireType: 1,
      expireInterval: 1,
    })) as { errCode: number; openlink: string };
    expect(scheme).toMatchObject({ errCode: 0, openlink: expect.stringMatching(/^weixin:\/\//) });
    const query = (await cloud.openapi.urlscheme.query({ scheme: scheme.openlink })) as { errCode: number };
    expect(query.errCode).toBe(0);
    const link = (await cloud.openapi.urllink.generate({ path: 'pages/index/index', query: 'a=1', expireType: 1, expireInterval: 1 })) as {
      errCode: number;
      urlLink: string;
    };
    expect(link).toMatchObject({ errCode: 0, urlLink: expect.stringMatching(/^https:\/\//) });
    // Not declared in config.json (yet): the emulator refuses it, which shows the call got there.
    await cloud.openapi.wxacode.getUnlimited({ scene: 'a=1', page: 'pages/index/index' }).catch(() => undefined);
    expect(emulator.calls.map((c) => c.apiName)).toEqual(['urlscheme.generate', 'urlscheme.query', 'urllink.generate', 'wxacode.getUnlimited']);
  });

  it('database: add, where().get(), update with a command, through the emulator', async () => {
    const db = cloud.database();
    await db.createCollection('bundle_check');
    await db.collection('bundle_check').add({ data: { _id: 'one', n: 1 } });
    const updated = (await db
      .collection('bundle_check')
      .where({ _id: 'one' })
      .update({ data: { n: db.command.inc(2) } })) as { stats: { updated: number } };
    expect(updated.stats.updated).toBe(1);
    const found = (await db.collection('bundle_check').where({ _id: 'one' }).get()) as unknown as { data: { n: number }[] };
    expect(found.data).toEqual([expect.objectContaining({ n: 3 })]);
    expect(emulator.databaseCalls.length).toBeGreaterThanOrEqual(4);
  });

  it('storage: uploadFile (and COS’s XML error), getTempFileURL, downloadFile answer through the SDK', async () => {
    const storage = await startFakeStorage();
    try {
      applyFunctionEnv(buildFunctionEnv(storage.url, { env: 'bundle-env', appid: '' }));
      const uploaded = await cloud.uploadFile({ cloudPath: 'dir/a.txt', fileContent: Buffer.from('hello bundle') });
      expect(uploaded.fileID).toBe('cloud://bundle-env.bucket/dir/a.txt');
      // COS answers an error as XML: the SDK reads it with xml2js (a lazy require in the bundle).
      await expect(cloud.uploadFile({ cloudPath: 'refused.txt', fileContent: Buffer.from('x') })).rejects.toThrow('[InvalidAccessKeyId]: no such key');
      const temp = (await cloud.getTempFileURL({ fileList: [uploaded.fileID] })) as { fileList: object[] };
      expect(temp.fileList[0]).toMatchObject({ fileID: uploaded.fileID, status: 0, tempFileURL: `${storage.url}/cos/dir/a.txt` });
      const downloaded = await cloud.downloadFile({ fileID: uploaded.fileID });
      expect(Buffer.from(downloaded.fileContent as Buffer).toString()).toBe('hello bundle');
      expect(storage.actions).toEqual([
        'storage.getUploadMetadata',
        'PUT',
        'storage.getUploadMetadata',
        'PUT',
        'storage.batchGetDownloadUrl',
        'storage.batchGetDownloadUrl',
        'GET',
      ]);
    } finally {
      await storage.close();
    }
  });

  it('what the build left out throws a clear error when reached (cloud.ai)', () => {
    expect(() => (cloud as unknown as { ai(): unknown }).ai()).toThrow(/left out of index\.js.*scripts\/function-build\.mjs, LEFT_OUT/);
  });
});

/** CloudBase's storage actions (JSON on the gateway) and COS (PUT / GET of the file), on 127.0.0.1. */
async function startFakeStorage(): Promise<{ url: string; actions: string[]; close(): Promise<void> }> {
  const files = new Map<string, Buffer>();
  const actions: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'PUT' || req.method === 'GET') {
        actions.push(req.method);
        if (req.method === 'GET') return void res.end(files.get(path) ?? '');
        if (path.includes('refused')) {
          return void res.end(
            "<?xml version='1.0' encoding='utf-8' ?><Error><Code>InvalidAccessKeyId</Code><Message>no such key</Message><RequestId>cos-1</RequestId><TraceId>trace-1</TraceId></Error>",
          );
        }
        files.set(path, body);
        return void res.end(''); // COS answers a successful PUT with an empty body
      }
      const call = JSON.parse(body.toString() || '{}') as { action: string; path?: string; file_list?: { fileid: string }[] };
      actions.push(call.action);
      const send = (o: object) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ requestId: 'fake-storage', ...o }));
      };
      if (call.action === 'storage.getUploadMetadata') {
        return send({
          data: {
            url: `${url}/cos/${call.path}`,
            token: 'cos-token',
            authorization: 'cos-auth',
            fileId: `cloud://bundle-env.bucket/${call.path}`,
            cosFileId: 'cos-id',
          },
        });
      }
      if (call.action === 'storage.batchGetDownloadUrl') {
        return send({
          data: {
            download_list: (call.file_list ?? []).map((f) => ({
              fileID: f.fileid,
              tempFileURL: `${url}/cos/${f.fileid.replace(/^cloud:\/\/[^/]+\//, '')}`,
              code: 'SUCCESS',
            })),
          },
        });
      }
      send({ code: 'INVALID_PARAM', message: `${call.action} is not faked` });
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', () => listening()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, actions, close: () => new Promise<void>((closed) => (server.closeAllConnections?.(), server.close(() => closed()))) };
}
