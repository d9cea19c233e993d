/** Minimal multipart/form-data reader for the gateway's form (cloudbase-wire.md: action, apiName, requestData, envName, tokens). */

export interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

export function boundaryOf(contentType: string | undefined): string | null {
  const m = /^multipart\/form-data\s*;.*?boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2]) : null;
}

/** Parses a whole body. Throws when it is not well-formed multipart. */
export function parseMultipart(body: Buffer, boundary: string): FormPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: FormPart[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new Error('multipart: boundary not found');
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === '--') return parts; // closing delimiter
    if (body.subarray(pos, pos + 2).toString() !== '\r\n') throw new Error('multipart: bad delimiter line');
    pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) throw new Error('multipart: unterminated headers');
    const headers = body.subarray(pos, headerEnd).toString('utf8').split('\r\n');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) throw new Error('multipart: unterminated part');
    parts.push({ ...readPartHeaders(headers), data: Buffer.from(body.subarray(headerEnd + 4, next)) });
    pos = next + 2;
  }
}

function readPartHeaders(lines: string[]): Omit<FormPart, 'data'> {
  const out: Omit<FormPart, 'data'> = { name: '' };
  for (const line of lines) {
    const colon = line.indexOf(':');
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'content-type') out.contentType = value;
    if (key === 'content-disposition') {
      out.name = /\bname="([^"]*)"/i.exec(value)?.[1] ?? '';
      const filename = /\bfilename="([^"]*)"/i.exec(value)?.[1];
      if (filename !== undefined) out.filename = filename;
    }
  }
  return out;
}
