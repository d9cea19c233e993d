/** The gateway's wire format and control endpoint, spoken directly over HTTP. */
import { request } from 'http';
import { decodeCommApiData, decodeCommOpenApiResp, encodeCommApiData, encodeCommOpenApiResp } from '../../emulator/src/protobuf';
import { parseMultipart } from '../../emulator/src/multipart';
import { useEmulator } from './support';

describe('protobuf', () => {
  it('encodes a negative errorCode as a 10-byte varint, as int32 requires', () => {
    const bytes = encodeCommOpenApiResp({ errorCode: -604101 });
    expect(bytes).toHaveLength(11); // tag + 10 bytes
    expect(decodeCommOpenApiResp(bytes)).toEqual({ errorCode: -604101 });
  });

  it('round-trips a request and a reply', () => {
    const data = {
      apiType: 0,
      pairs: [
        { key: 'jump_wxa', value: Buffer.from('{"path":"p"}') },
        { key: 'expire_type', value: Buffer.from('1') },
      ],
      appid: 'wxabc',
    };
    expect(decodeCommApiData(encodeCommApiData(data))).toEqual(data);
    const reply = { respData: Buffer.from('{"errcode":0}'), contentType: 'application/json; charset=utf-8', httpCode: 200 };
    expect(decodeCommOpenApiResp(encodeCommOpenApiResp(reply))).toEqual(reply);
  });

  it('throws on truncated input', () => {
    expect(() => decodeCommApiData(Buffer.from([0x12, 0x05, 0x0a]))).toThrow(/truncated/);
  });
});

describe('multipart', () => {
  it('reads fields, binary ones included', () => {
    const b = 'XyZ';
    const body = Buffer.concat([
      Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="action"\r\n\r\nwx.openApi\r\n`),
      Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="requestData"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      Buffer.from([0, 13, 10, 255]),
      Buffer.from(`\r\n--${b}--\r\n`),
    ]);
    expect(parseMultipart(body, b)).toEqual([
      { name: 'action', data: Buffer.from('wx.openApi') },
      { name: 'requestData', contentType: 'application/octet-stream', data: Buffer.from([0, 13, 10, 255]) },
    ]);
  });
});

describe('HTTP', () => {
  const h = useEmulator();

  function http(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; type?: string; json: unknown }> {
    return new Promise((resolve, reject) => {
      const req = request(`http://127.0.0.1:${h.emu.port}${path}`, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], json: JSON.parse(Buffer.concat(chunks).toString() || 'null') }),
        );
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
    });
  }

  it('sets faults, lists calls and resets through /__emulator', async () => {
    expect(await http('POST', '/__emulator/faults', { faults: [{ kind: 'busy', on: [1] }] })).toMatchObject({
      status: 200,
      json: { faults: [{ kind: 'busy', on: [1] }] },
    });
    await expect(h.fn.invoke({ jumpWxa: { path: 'pages/index/index' } })).rejects.toMatchObject({ errCode: -1 });
    const calls = await http('GET', '/__emulator/calls');
    expect(calls.json).toEqual([
      expect.objectContaining({ apiName: 'urlscheme.generate', request: { jump_wxa: { path: 'pages/index/index' } }, errcode: -1, fault: 'busy' }),
    ]);
    expect((await http('DELETE', '/__emulator/faults')).json).toEqual({ faults: [] });
    expect((await http('POST', '/__emulator/reset')).json).toEqual({ ok: true });
    expect((await http('GET', '/__emulator/calls')).json).toEqual([]);
  });

  it('lists the served apis at /__emulator', async () => {
    expect((await http('GET', '/__emulator')).json).toMatchObject({
      apis: ['urlscheme.generate', 'urlscheme.query', 'urllink.generate', 'urllink.query', 'wxacode.getUnlimited'],
    });
  });

  it('answers 400 for a bad fault plan', async () => {
    expect(await http('POST', '/__emulator/faults', '{"faults":[{"kind":"nope"}]}')).toMatchObject({
      status: 400,
      json: { error: expect.stringContaining('unknown fault kind') },
    });
    expect(await http('POST', '/__emulator/faults', 'not json')).toMatchObject({ status: 400 });
  });

  it('hands out functionEnv for a caller', async () => {
    const { json } = await http('GET', '/__emulator/env?openid=o1&source=wx_client&clientIp=1.2.3.4');
    expect(json).toEqual(h.emu.functionEnv({ openid: 'o1', source: 'wx_client', clientIp: '1.2.3.4' }));
    expect((await http('GET', '/__emulator/env')).json).toEqual(h.emu.functionEnv());
  });

  it('answers a CloudBase-level error for a body that is not the gateway form', async () => {
    const res = await http('POST', '/admin?env=e', 'hello', { 'content-type': 'text/plain' });
    expect(res).toMatchObject({ status: 200, type: 'application/json; charset=utf-8', json: { code: 'INVALID_PARAM', requestId: expect.any(String) } });
  });

  it('refuses a request addressed to a non-loopback host name', async () => {
    expect(await http('GET', '/__emulator/calls', undefined, { host: 'evil.example:80' })).toMatchObject({ status: 403 });
  });
});
