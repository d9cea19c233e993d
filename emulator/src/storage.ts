/**
 * Cloud storage as wx-server-sdk 4.0.2 / @cloudbase/node-sdk 3.17.2 reach it (read from their
 * source, dist/storage/index.js):
 *  - `cloud.uploadFile({ cloudPath, fileContent })`: JSON `storage.getUploadMetadata { path, method: 'put' }`
 *    to the gateway → `{ data: { url, token, authorization, fileId, cosFileId } }`; then a PUT of
 *    the bytes to `url` (COS), which answers an empty body on success or an XML `<Error>`.
 *  - `cloud.getTempFileURL({ fileList })`: JSON `storage.batchGetDownloadUrl { file_list: [{ fileid, max_age }] }`
 *    → `{ data: { download_list: [{ fileID, tempFileURL, code: 'SUCCESS' | 'STORAGE_FILE_NONEXIST', maxAge }] } }`.
 *  - `cloud.downloadFile({ fileID })`: the same, then a GET of tempFileURL.
 *  - `cloud.deleteFile({ fileList })`: `storage.batchDeleteFile { fileid_list }` → `{ data: { delete_list } }`.
 * The "COS" here is the gateway itself: `PUT|GET /__cos/<cloudPath>?sign=…`.
 */
import type { IncomingMessage, ServerResponse } from 'http';
import { randomBytes } from 'crypto';
import { readBody, sendJson } from './http-util';
import type { RecordedStorageCall, StoredFile } from './types';

export const STORAGE_ACTIONS = ['storage.getUploadMetadata', 'storage.batchGetDownloadUrl', 'storage.batchDeleteFile'] as const;
const COS_PREFIX = '/__cos/';

interface Entry {
  cloudPath: string;
  bytes: Buffer;
  contentType: string;
  uploadedAt: number;
}

export interface StorageOptions {
  env: string;
  now: () => number;
  /** http://127.0.0.1:PORT, known once the gateway listens. */
  origin: () => string;
  log: (line: string) => void;
}

const requestId = () => randomBytes(8).toString('hex');

export class StorageService {
  private readonly files = new Map<string, Entry>();
  /** Upload slots handed out by getUploadMetadata: sign → cloudPath. */
  private readonly pending = new Map<string, string>();
  private recorded: RecordedStorageCall[] = [];

  constructor(private readonly options: StorageOptions) {}

  /** The bucket of the environment, as it appears in a fileID. */
  get bucket(): string {
    return `${Buffer.from(this.options.env.slice(0, 4)).toString('hex')}-${this.options.env}-1300000000`;
  }

  fileIdOf(cloudPath: string): string {
    return `cloud://${this.options.env}.${this.bucket}/${cloudPath}`;
  }

  /** The cloudPath of a fileID of this environment, or null. */
  pathOf(fileID: string): string | null {
    const prefix = `cloud://${this.options.env}.${this.bucket}/`;
    return fileID.startsWith(prefix) ? fileID.slice(prefix.length) : null;
  }

  get calls(): RecordedStorageCall[] {
    return this.recorded.map((c) => ({ ...c }));
  }

  list(): StoredFile[] {
    return [...this.files.values()].map((e) => this.describe(e));
  }

  /** A stored file by fileID or cloudPath, with its bytes. */
  get(fileIdOrPath: string): (StoredFile & { bytes: Buffer }) | undefined {
    const entry = this.files.get(this.pathOf(fileIdOrPath) ?? fileIdOrPath);
    return entry && { ...this.describe(entry), bytes: Buffer.from(entry.bytes) };
  }

  reset(): void {
    this.files.clear();
    this.pending.clear();
    this.recorded = [];
  }

  isStorageAction(action: unknown): boolean {
    return typeof action === 'string' && (STORAGE_ACTIONS as readonly string[]).includes(action);
  }

  /** A JSON gateway call whose action is one of STORAGE_ACTIONS. */
  answer(body: Record<string, unknown>, res: ServerResponse): void {
    const action = String(body.action);
    const call: RecordedStorageCall = { seq: this.recorded.length + 1, action, time: this.options.now() };
    this.recorded.push(call);
    switch (action) {
      case 'storage.getUploadMetadata': {
        const cloudPath = String(body.path ?? '').replace(/^\/+/, '');
        call.cloudPath = cloudPath;
        if (!cloudPath || cloudPath.endsWith('/')) return this.fail(res, call, 'INVALID_PARAM', `path ${JSON.stringify(body.path)} is not a file path`);
        const sign = randomBytes(12).toString('hex');
        this.pending.set(sign, cloudPath);
        const url = `${this.options.origin()}${COS_PREFIX}${cloudPath.split('/').map(encodeURIComponent).join('/')}?sign=${sign}`;
        return sendJson(res, 200, {
          requestId: requestId(),
          data: {
            url,
            token: 'emulator-token',
            authorization: `q-sign-algorithm=sha1&q-signature=${sign}`,
            fileId: this.fileIdOf(cloudPath),
            cosFileId: `cos-${sign}`,
            download_url: url,
          },
        });
      }
      case 'storage.batchGetDownloadUrl': {
        const list = Array.isArray(body.file_list) ? (body.file_list as Array<{ fileid?: unknown; max_age?: unknown }>) : [];
        call.fileIDs = list.map((f) => String(f?.fileid ?? ''));
        const download_list = list.map((f) => {
          const fileID = String(f?.fileid ?? '');
          const path = this.pathOf(fileID);
          const maxAge = typeof f?.max_age === 'number' ? f.max_age : 86_400;
          if (path === null || !this.files.has(path)) return { fileID, tempFileURL: '', code: 'STORAGE_FILE_NONEXIST', maxAge };
          const expires = Math.floor(this.options.now() / 1000) + maxAge;
          return { fileID, tempFileURL: `${this.options.origin()}${COS_PREFIX}${path}?sign=t${expires}`, code: 'SUCCESS', maxAge };
        });
        return sendJson(res, 200, { requestId: requestId(), data: { download_list } });
      }
      case 'storage.batchDeleteFile': {
        const ids = Array.isArray(body.fileid_list) ? body.fileid_list.map(String) : [];
        call.fileIDs = ids;
        const delete_list = ids.map((fileID) => {
          const path = this.pathOf(fileID);
          const existed = path !== null && this.files.delete(path);
          return { fileID, code: existed ? 'SUCCESS' : 'STORAGE_FILE_NONEXIST' };
        });
        return sendJson(res, 200, { requestId: requestId(), data: { delete_list } });
      }
      default:
        return this.fail(res, call, 'INVALID_PARAM', `action "${action}" is not emulated`);
    }
  }

  /** `PUT|GET /__cos/…`: the object store behind upload and temporary URLs. */
  async handleCos(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    if (!url.pathname.startsWith(COS_PREFIX)) return false;
    const cloudPath = url.pathname.slice(COS_PREFIX.length).split('/').map(decodeURIComponent).join('/');
    const sign = url.searchParams.get('sign') ?? '';
    if (req.method === 'PUT') {
      const bytes = await readBody(req);
      if (this.pending.get(sign) !== cloudPath)
        return (cosError(res, 403, 'SignatureDoesNotMatch', 'no upload slot for this path: ask storage.getUploadMetadata first'), true);
      this.pending.delete(sign);
      const contentType = String(req.headers['content-type'] ?? '') || contentTypeOf(cloudPath, bytes);
      this.files.set(cloudPath, {
        cloudPath,
        bytes,
        contentType: /octet-stream|^$/.test(contentType) ? contentTypeOf(cloudPath, bytes) : contentType,
        uploadedAt: this.options.now(),
      });
      this.recorded.push({ seq: this.recorded.length + 1, action: 'cos.put', time: this.options.now(), cloudPath, bytes: bytes.length });
      this.options.log(`storage: stored ${cloudPath} (${bytes.length} bytes)`);
      res.writeHead(200, { 'content-length': 0 });
      res.end();
      return true;
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      const entry = this.files.get(cloudPath);
      if (!entry || !sign) return (cosError(res, 404, 'NoSuchKey', 'The specified key does not exist.'), true);
      this.recorded.push({ seq: this.recorded.length + 1, action: 'cos.get', time: this.options.now(), cloudPath, bytes: entry.bytes.length });
      res.writeHead(200, { 'content-type': entry.contentType, 'content-length': entry.bytes.length });
      res.end(req.method === 'HEAD' ? undefined : entry.bytes);
      return true;
    }
    cosError(res, 405, 'MethodNotAllowed', `${req.method} is not served`);
    return true;
  }

  private describe(e: Entry): StoredFile {
    return { fileID: this.fileIdOf(e.cloudPath), cloudPath: e.cloudPath, size: e.bytes.length, contentType: e.contentType, uploadedAt: e.uploadedAt };
  }

  private fail(res: ServerResponse, call: RecordedStorageCall, code: string, message: string): void {
    call.code = code;
    sendJson(res, 200, { code, message, requestId: requestId() });
  }
}

function contentTypeOf(cloudPath: string, bytes: Buffer): string {
  if (bytes.subarray(0, 4).toString('latin1') === '\x89PNG') return 'image/png';
  if (/\.jpe?g$/i.test(cloudPath)) return 'image/jpeg';
  if (/\.json$/i.test(cloudPath)) return 'application/json';
  return 'application/octet-stream';
}

/** COS answers errors as XML; node-sdk reads Code, Message, RequestId and TraceId. */
function cosError(res: ServerResponse, status: number, code: string, message: string): void {
  const id = requestId();
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(
    `<?xml version='1.0' encoding='utf-8' ?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${id}</RequestId><TraceId>${id}</TraceId></Error>`,
  );
}
