/**
 * The QR encoder's error-correcting codes (qr.ts): Reed–Solomon over GF(256) with the QR polynomial
 * x^8 + x^4 + x^3 + x^2 + 1 for the codewords, and the BCH code of the format and version bits.
 */
const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
for (let i = 0, x = 1; i < 255; i++) {
  EXP[i] = x;
  LOG[x] = i;
  x <<= 1;
  if (x & 0x100) x ^= 0x11d;
}
for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255];
const mul = (a: number, b: number): number => (a && b ? EXP[LOG[a] + LOG[b]] : 0);

/** Reed–Solomon remainder of `data` for `degree` error-correction codewords. */
export function reedSolomon(data: number[], degree: number): number[] {
  // Generator polynomial (x − α^0)(x − α^1)…, highest coefficient (1) dropped.
  let gen = [1];
  for (let i = 0; i < degree; i++) {
    const next = new Array(gen.length + 1).fill(0);
    gen.forEach((c, j) => {
      next[j] ^= c;
      next[j + 1] ^= mul(c, EXP[i]);
    });
    gen = next;
  }
  gen = gen.slice(1);
  const rem = new Array(degree).fill(0);
  for (const byte of data) {
    const factor = byte ^ rem.shift();
    rem.push(0);
    gen.forEach((c, j) => (rem[j] ^= mul(c, factor)));
  }
  return rem;
}

/** Remainder-based BCH code: `value` followed by its check bits for `generator`. */
export function bch(value: number, generator: number, checkBits: number): number {
  let rem = value << checkBits;
  const top = 31 - Math.clz32(generator);
  while (31 - Math.clz32(rem) >= top) rem ^= generator << (31 - Math.clz32(rem) - top);
  return (value << checkBits) | rem;
}
