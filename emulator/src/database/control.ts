/**
 * Control routes for the database (same port as the gateway), for tools and other processes:
 *   GET    /__emulator/database                    collection names with document counts, number of calls
 *   GET    /__emulator/database/calls              the recorded database calls
 *   GET    /__emulator/database/collections/NAME   the documents, relaxed EJSON (404 if missing)
 *   PUT    /__emulator/database/collections/NAME   create or replace with a relaxed-EJSON array (empty body = empty)
 *   DELETE /__emulator/database/collections/NAME   drop it
 * Relaxed EJSON keeps dates as dates: `{"at":{"$date":"2026-11-25T04:00:00Z"}}`.
 */
import type { IncomingMessage, ServerResponse } from 'http';
import { readBody, sendJson } from '../http-util';
import { encodeRelaxed, parseRelaxed } from './codec';
import type { DatabaseService } from './service';

const COLLECTION_ROUTE = /^\/__emulator\/database\/collections\/([^/]+)$/;

export async function handleDatabaseControl(db: DatabaseService, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  if (req.method === 'GET' && path === '/__emulator/database') {
    const collections = Object.fromEntries(db.collections().map((name) => [name, db.collection(name)?.length ?? 0]));
    return sendJson(res, 200, { collections, calls: db.calls.length });
  }
  if (req.method === 'GET' && path === '/__emulator/database/calls') return sendJson(res, 200, db.calls);
  const match = COLLECTION_ROUTE.exec(path);
  if (!match) return sendJson(res, 404, { error: `no control route ${req.method} ${path}` });
  const name = decodeURIComponent(match[1]);
  switch (req.method) {
    case 'GET': {
      const docs = db.collection(name);
      if (!docs) return sendJson(res, 404, { error: `no collection ${name}` });
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(encodeRelaxed(docs));
      return;
    }
    case 'PUT': {
      const text = (await readBody(req)).toString('utf8').trim();
      let docs: unknown;
      try {
        docs = text ? parseRelaxed(text) : [];
      } catch (e) {
        return sendJson(res, 400, { error: `body is not EJSON: ${(e as Error).message}` });
      }
      if (!Array.isArray(docs) || !docs.every((d) => d !== null && typeof d === 'object' && !Array.isArray(d)))
        return sendJson(res, 400, { error: 'body must be an array of documents' });
      db.seed(name, docs as Array<Record<string, unknown>>);
      return sendJson(res, 200, { collection: name, documents: docs.length });
    }
    case 'DELETE':
      return sendJson(res, 200, { dropped: db.drop(name) });
    default:
      return sendJson(res, 405, { error: `${req.method} not allowed on ${path}` });
  }
}
