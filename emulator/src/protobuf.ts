/**
 * The two protobuf messages of the wx.openApi protocol, hand-rolled (cloudbase-wire.md):
 *   CommApiData      { ApiType apiType = 1; OpenApiData openapiData = 2; string appid = 6 }
 *   OpenApiData      { repeated KeyValuePair pairs = 1 }
 *   KeyValuePair     { string key = 1; bytes value = 2; string contenttype = 3; string filename = 4 }
 *   CommOpenApiResp  { bytes respData = 1; string contentType = 2; int32 errorCode = 3;
 *                      uint32 httpCode = 4; repeated HttpHeader headers = 5; int32 svrkitErrorCode = 6 }
 */

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

export interface KeyValuePair {
  key: string;
  value: Buffer;
  contentType?: string;
  filename?: string;
}

export interface CommApiData {
  apiType: number;
  pairs: KeyValuePair[];
  appid?: string;
}

export interface CommOpenApiResp {
  respData?: Buffer;
  contentType?: string;
  errorCode?: number;
  httpCode?: number;
}

interface Field {
  no: number;
  wire: number;
  /** varint value (wire 0) */
  int?: bigint;
  /** payload (wire 2) */
  bytes?: Buffer;
}

/** Splits a message into its fields; throws on truncated input. */
function readFields(buf: Buffer): Field[] {
  const fields: Field[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (pos >= buf.length || shift > 63n) throw new Error('protobuf: bad varint');
      const byte = buf[pos++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
  };
  while (pos < buf.length) {
    const tag = Number(varint());
    const field: Field = { no: tag >>> 3, wire: tag & 7 };
    if (field.wire === VARINT) field.int = varint();
    else if (field.wire === LENGTH_DELIMITED) {
      const len = Number(varint());
      if (pos + len > buf.length) throw new Error('protobuf: truncated field');
      field.bytes = buf.subarray(pos, pos + len);
      pos += len;
    } else if (field.wire === FIXED64) pos += 8;
    else if (field.wire === FIXED32) pos += 4;
    else throw new Error(`protobuf: unsupported wire type ${field.wire}`);
    if (pos > buf.length) throw new Error('protobuf: truncated field');
    fields.push(field);
  }
  return fields;
}

export function decodeCommApiData(buf: Buffer): CommApiData {
  const out: CommApiData = { apiType: 0, pairs: [] };
  for (const f of readFields(buf)) {
    if (f.no === 1 && f.int !== undefined) out.apiType = Number(f.int);
    else if (f.no === 6 && f.bytes) out.appid = f.bytes.toString('utf8');
    else if (f.no === 2 && f.bytes) {
      for (const p of readFields(f.bytes)) if (p.no === 1 && p.bytes) out.pairs.push(decodePair(p.bytes));
    }
  }
  return out;
}

function decodePair(buf: Buffer): KeyValuePair {
  const pair: KeyValuePair = { key: '', value: Buffer.alloc(0) };
  for (const f of readFields(buf)) {
    if (!f.bytes) continue;
    if (f.no === 1) pair.key = f.bytes.toString('utf8');
    else if (f.no === 2) pair.value = Buffer.from(f.bytes);
    else if (f.no === 3) pair.contentType = f.bytes.toString('utf8');
    else if (f.no === 4) pair.filename = f.bytes.toString('utf8');
  }
  return pair;
}

function encodeVarint(value: bigint): Buffer {
  // int32 negatives are sign-extended to 64 bits: 10 bytes on the wire.
  let v = BigInt.asUintN(64, value);
  const bytes: number[] = [];
  while (v >= 0x80n) {
    bytes.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  bytes.push(Number(v));
  return Buffer.from(bytes);
}

function tag(no: number, wire: number): Buffer {
  return encodeVarint(BigInt((no << 3) | wire));
}

function bytesField(no: number, value: Buffer): Buffer {
  return Buffer.concat([tag(no, LENGTH_DELIMITED), encodeVarint(BigInt(value.length)), value]);
}

function intField(no: number, value: number): Buffer {
  return Buffer.concat([tag(no, VARINT), encodeVarint(BigInt(value))]);
}

/** Encodes a reply; zero / empty fields are left out, as proto3 does. */
export function encodeCommOpenApiResp(resp: CommOpenApiResp): Buffer {
  const parts: Buffer[] = [];
  if (resp.respData?.length) parts.push(bytesField(1, resp.respData));
  if (resp.contentType) parts.push(bytesField(2, Buffer.from(resp.contentType, 'utf8')));
  if (resp.errorCode) parts.push(intField(3, resp.errorCode));
  if (resp.httpCode) parts.push(intField(4, resp.httpCode));
  return Buffer.concat(parts);
}

/** For tests: the inverse of encodeCommOpenApiResp. */
export function decodeCommOpenApiResp(buf: Buffer): CommOpenApiResp {
  const out: CommOpenApiResp = {};
  for (const f of readFields(buf)) {
    if (f.no === 1 && f.bytes) out.respData = Buffer.from(f.bytes);
    else if (f.no === 2 && f.bytes) out.contentType = f.bytes.toString('utf8');
    else if (f.no === 3 && f.int !== undefined) out.errorCode = Number(BigInt.asIntN(32, f.int));
    else if (f.no === 4 && f.int !== undefined) out.httpCode = Number(f.int);
  }
  return out;
}

/** For tests: encodes a request the way wx-server-sdk does. */
export function encodeCommApiData(data: CommApiData): Buffer {
  const pairs = data.pairs.map((p) => {
    const fields = [bytesField(1, Buffer.from(p.key, 'utf8')), bytesField(2, p.value)];
    if (p.contentType) fields.push(bytesField(3, Buffer.from(p.contentType, 'utf8')));
    if (p.filename) fields.push(bytesField(4, Buffer.from(p.filename, 'utf8')));
    return bytesField(1, Buffer.concat(fields));
  });
  const parts = [intField(1, data.apiType), bytesField(2, Buffer.concat(pairs))];
  if (data.appid) parts.push(bytesField(6, Buffer.from(data.appid, 'utf8')));
  return Buffer.concat(parts);
}
