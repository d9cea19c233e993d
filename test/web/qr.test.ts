/**
 * The page's own QR encoder, read back by an independent decoder (jsQR) the way a phone
 * camera would: every version 1–40 of level M, UTF-8 text, both copies of the format info.
 */
import jsQR from 'jsqr';
import { byteCapacity, encodeQr, type QrCode } from '../../web/src/qr';

/** Renders the symbol as RGBA pixels with a 4-module quiet zone. */
function pixels(code: QrCode, scale = 3) {
  const border = 4;
  const n = (code.size + 2 * border) * scale;
  const data = new Uint8ClampedArray(n * n * 4);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const r = Math.floor(y / scale) - border;
      const c = Math.floor(x / scale) - border;
      const dark = r >= 0 && c >= 0 && r < code.size && c < code.size && code.dark[r][c];
      data.fill(dark ? 0 : 255, (y * n + x) * 4, (y * n + x) * 4 + 3);
      data[(y * n + x) * 4 + 3] = 255;
    }
  }
  return { data, n };
}

function read(code: QrCode): string | null {
  const { data, n } = pixels(code);
  return jsQR(data, n, n, { inversionAttempts: 'dontInvert' })?.data ?? null;
}

/** The shortest URL-like text that needs `version` (level M, byte mode). */
function textFor(version: number): string {
  const length = version === 1 ? 1 : byteCapacity(version - 1) + 1;
  const url = 'https://genscheme-1a2b3c.tcloudbaseapp.com/jump.html?t=AbCdEf_123-xyz&cq=uid%3D42%26from%3Dsms';
  return url.repeat(Math.ceil(length / url.length)).slice(0, length);
}

describe('QR encoder', () => {
  it.each(Array.from({ length: 40 }, (_, i) => i + 1))('version %i reads back', (version) => {
    const text = textFor(version);
    const code = encodeQr(text);
    expect(code.version).toBe(version);
    expect(code.size).toBe(17 + 4 * version);
    expect(read(code)).toBe(text);
  });

  it('carries UTF-8 text (Chinese) byte for byte', () => {
    const text = 'https://例子.cn/跳转?名=值';
    expect(read(encodeQr(text))).toBe(text);
  });

  it('holds what ISO 18004 says level M holds in byte mode (27-M: 1128 data codewords)', () => {
    expect([1, 2, 10, 27, 40].map(byteCapacity)).toEqual([14, 26, 213, 1125, 2331]);
  });

  it('uses the smallest version: 14 bytes fit version 1-M, 15 do not', () => {
    expect(encodeQr('a'.repeat(14)).version).toBe(1);
    expect(encodeQr('a'.repeat(15)).version).toBe(2);
  });

  it('either copy of the format information alone is enough to read it', () => {
    const text = 'https://genscheme-1a2b3c.tcloudbaseapp.com/jump.html?t=TICKET';
    const code = encodeQr(text);
    const n = code.size;
    const copy1: Array<[number, number]> = [
      [0, 8],
      [1, 8],
      [2, 8],
      [3, 8],
      [4, 8],
      [5, 8],
      [7, 8],
      [8, 8],
      [8, 7],
      [8, 5],
      [8, 4],
      [8, 3],
      [8, 2],
      [8, 1],
      [8, 0],
    ];
    const copy2: Array<[number, number]> = [
      ...Array.from({ length: 8 }, (_, i) => [8, n - 1 - i] as [number, number]),
      ...Array.from({ length: 7 }, (_, i) => [n - 7 + i, 8] as [number, number]),
    ];
    for (const spoiled of [copy1, copy2]) {
      const dark = code.dark.map((row) => row.slice());
      for (const [r, c] of spoiled) dark[r][c] = !dark[r][c];
      expect(read({ ...code, dark })).toBe(text);
    }
  });

  it('refuses text beyond version 40-M (2331 bytes)', () => {
    expect(encodeQr('a'.repeat(2331)).version).toBe(40);
    expect(() => encodeQr('a'.repeat(2332))).toThrow(RangeError);
  });
});
