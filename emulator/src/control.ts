/**
 * Control endpoint, for tools and other processes (the JS API offers the same):
 *   GET    /__emulator               url, appid, served apis, fault plan, number of calls
 *   GET    /__emulator/calls         the recorded calls
 *   GET    /__emulator/faults        the fault plan
 *   POST   /__emulator/faults        replace the fault plan (JSON FaultPlan)
 *   PATCH  /__emulator/faults        change it mid-run (JSON FaultPlan: latencies given replace, faults given are appended)
 *   DELETE /__emulator/faults        clear it
 *   POST   /__emulator/reset         forget calls, faults, links and counters
 *   GET    /__emulator/env?openid=…  functionEnv(caller) as JSON (no query = no caller)
 *   …      /__emulator/database/…    the database: see database/control.ts
 *   GET    /__emulator/storage        the stored files (fileID, cloudPath, size, contentType, uploadedAt)
 *   GET    /__emulator/storage/calls  the storage requests
 *   GET    /__emulator/storage/file?fileID=…  (or ?path=…) one file's bytes, with its content-type
 */
import type { IncomingMessage, ServerResponse } from 'http';
import { handleDatabaseControl } from './database/control';
import type { Gateway } from './gateway';
import { readBody, sendJson } from './http-util';
import { API_NAMES } from './openapi';
import type { Caller, FaultPlan } from './types';

const CALLER_PARAMS: Array<keyof Caller> = ['openid', 'appid', 'unionid', 'source', 'clientIp', 'clientIpV6', 'env'];

export async function handleControl(gw: Gateway, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const path = url.pathname.replace(/\/+$/, '');
  if (path.startsWith('/__emulator/database')) return handleDatabaseControl(gw.databaseService, req, res, path);
  const route = `${req.method} ${path}`;
  switch (route) {
    case 'GET /__emulator':
      return sendJson(res, 200, {
        url: gw.url,
        port: gw.port,
        appid: gw.appid,
        apis: API_NAMES,
        faults: gw.faultPlan,
        calls: gw.calls.length,
        databaseCalls: gw.databaseCalls.length,
      });
    case 'GET /__emulator/storage':
      return sendJson(res, 200, gw.storage.list());
    case 'GET /__emulator/storage/calls':
      return sendJson(res, 200, gw.storage.calls);
    case 'GET /__emulator/storage/file': {
      const file = gw.storage.get(url.searchParams.get('fileID') ?? url.searchParams.get('path') ?? '');
      if (!file) return sendJson(res, 404, { error: 'no such file' });
      res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.bytes.length });
      res.end(file.bytes);
      return;
    }
    case 'GET /__emulator/calls':
      return sendJson(res, 200, gw.calls);
    case 'GET /__emulator/faults':
      return sendJson(res, 200, gw.faultPlan);
    case 'POST /__emulator/faults':
    case 'PATCH /__emulator/faults': {
      try {
        const plan = JSON.parse((await readBody(req)).toString('utf8') || '{}') as FaultPlan;
        if (req.method === 'POST') gw.setFaults(plan);
        else gw.updateFaults(plan);
      } catch (e) {
        return sendJson(res, 400, { error: (e as Error).message });
      }
      return sendJson(res, 200, gw.faultPlan);
    }
    case 'DELETE /__emulator/faults':
      gw.clearFaults();
      return sendJson(res, 200, gw.faultPlan);
    case 'POST /__emulator/reset': // the database too
      gw.reset();
      return sendJson(res, 200, { ok: true });
    case 'GET /__emulator/env': {
      const given = CALLER_PARAMS.filter((k) => url.searchParams.has(k));
      const caller = given.length ? Object.fromEntries(given.map((k) => [k, url.searchParams.get(k) as string])) : undefined;
      return sendJson(res, 200, gw.functionEnv(caller as Caller | undefined));
    }
    default:
      return sendJson(res, 404, { error: `no control route ${route}` });
  }
}
