/**
 * A small QR Code encoder (ISO/IEC 18004): byte mode, error correction level M,
 * versions 1–40, best of the eight masks. Enough to put this page's URL on a screen.
 * Pure: returns the module matrix; drawing is the caller's business.
 */
import { bch, reedSolomon } from './qr-codes';

/** Error-correction codewords per block and number of blocks, level M, versions 1–40 (ISO 18004 table 9). */
const EC_PER_BLOCK = [
  10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
  28,
];
const BLOCKS = [
  1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
];
/** Format-info bits for level M. */
const LEVEL_M = 0b00;

/** One QR symbol: `dark[row][col]`. */
export interface QrCode {
  version: number;
  size: number;
  mask: number;
  dark: boolean[][];
}

function alignmentCentres(version: number, size: number): number[] {
  if (version === 1) return [];
  const count = Math.floor(version / 7) + 2;
  // Evenly spaced from size−7 back towards 6, with an even step (version 32 is the odd one out).
  const step = version === 32 ? 26 : Math.ceil((size - 13) / (count - 1) / 2) * 2;
  const centres = [6];
  for (let pos = size - 7 - step * (count - 2); pos <= size - 7; pos += step) centres.push(pos);
  return centres;
}

/** Matrix with the function patterns drawn, and which modules they occupy. */
function functionPatterns(version: number) {
  const size = 17 + 4 * version;
  const dark = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  const reserved = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  const set = (r: number, c: number, on: boolean) => {
    dark[r][c] = on;
    reserved[r][c] = true;
  };
  // Finder patterns with their light separators.
  for (const [fr, fc] of [
    [0, 0],
    [0, size - 7],
    [size - 7, 0],
  ]) {
    for (let r = -1; r <= 7; r++) {
      for (let c = -1; c <= 7; c++) {
        const rr = fr + r;
        const cc = fc + c;
        if (rr < 0 || cc < 0 || rr >= size || cc >= size) continue;
        const ring = Math.max(Math.abs(r - 3), Math.abs(c - 3));
        set(rr, cc, ring !== 2 && ring !== 4);
      }
    }
  }
  // Timing patterns.
  for (let i = 8; i < size - 8; i++) {
    set(6, i, i % 2 === 0);
    set(i, 6, i % 2 === 0);
  }
  // Alignment patterns, except where they would overlap a finder.
  const centres = alignmentCentres(version, size);
  const last = centres.length - 1;
  centres.forEach((ar, i) => {
    centres.forEach((ac, j) => {
      if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) return;
      for (let r = -2; r <= 2; r++) for (let c = -2; c <= 2; c++) set(ar + r, ac + c, Math.max(Math.abs(r), Math.abs(c)) !== 1);
    });
  });
  // Format information areas (written later) and the dark module.
  for (let i = 0; i < 9; i++) {
    reserved[8][i] = reserved[i][8] = true;
    if (i < 8) reserved[8][size - 1 - i] = reserved[size - 1 - i][8] = true;
  }
  set(size - 8, 8, true);
  // Version information (versions 7+).
  if (version >= 7) {
    const bits = bch(version, 0x1f25, 12);
    for (let i = 0; i < 18; i++) {
      const on = ((bits >> i) & 1) === 1;
      const a = Math.floor(i / 3);
      const b = size - 11 + (i % 3);
      set(a, b, on);
      set(b, a, on);
    }
  }
  return { size, dark, reserved };
}

function writeFormat(dark: boolean[][], size: number, mask: number): void {
  const bits = bch((LEVEL_M << 3) | mask, 0x537, 10) ^ 0x5412;
  const bit = (i: number) => ((bits >> i) & 1) === 1;
  // Copy 1, around the top-left finder.
  for (let i = 0; i <= 5; i++) dark[i][8] = bit(i);
  dark[7][8] = bit(6);
  dark[8][8] = bit(7);
  dark[8][7] = bit(8);
  for (let i = 9; i < 15; i++) dark[8][14 - i] = bit(i);
  // Copy 2, split between the top-right and bottom-left finders.
  for (let i = 0; i < 8; i++) dark[8][size - 1 - i] = bit(i);
  for (let i = 8; i < 15; i++) dark[size - 15 + i][8] = bit(i);
}

const MASKS: Array<(r: number, c: number) => boolean> = [
  (r, c) => (r + c) % 2 === 0,
  (r) => r % 2 === 0,
  (_r, c) => c % 3 === 0,
  (r, c) => (r + c) % 3 === 0,
  (r, c) => (Math.floor(r / 2) + Math.floor(c / 3)) % 2 === 0,
  (r, c) => ((r * c) % 2) + ((r * c) % 3) === 0,
  (r, c) => (((r * c) % 2) + ((r * c) % 3)) % 2 === 0,
  (r, c) => (((r + c) % 2) + ((r * c) % 3)) % 2 === 0,
];

/** The four penalty rules of ISO 18004 §7.8.3; lower is better. */
function penalty(dark: boolean[][], size: number): number {
  let score = 0;
  const line = (get: (i: number) => boolean) => {
    let run = 1;
    for (let i = 1; i <= size; i++) {
      if (i < size && get(i) === get(i - 1)) run++;
      else {
        if (run >= 5) score += run - 2;
        run = 1;
      }
    }
    // 1:1:3:1:1 finder look-alikes with four light modules on one side.
    for (let i = 0; i + 6 < size; i++) {
      if (get(i) && !get(i + 1) && get(i + 2) && get(i + 3) && get(i + 4) && !get(i + 5) && get(i + 6)) {
        const lightBefore = [1, 2, 3, 4].every((k) => i - k < 0 || !get(i - k));
        const lightAfter = [7, 8, 9, 10].every((k) => i + k >= size || !get(i + k));
        if (lightBefore || lightAfter) score += 40;
      }
    }
  };
  let darkCount = 0;
  for (let r = 0; r < size; r++) {
    line((c) => dark[r][c]);
    line((i) => dark[i][r]);
    for (let c = 0; c < size; c++) {
      if (dark[r][c]) darkCount++;
      if (r + 1 < size && c + 1 < size) {
        const v = dark[r][c];
        if (dark[r][c + 1] === v && dark[r + 1][c] === v && dark[r + 1][c + 1] === v) score += 3;
      }
    }
  }
  score += Math.floor(Math.abs((darkCount * 100) / (size * size) - 50) / 5) * 10;
  return score;
}

/** Data modules available in a version: everything the function patterns leave free. */
function freeModules(version: number): number {
  const { reserved } = functionPatterns(version);
  return reserved.reduce((n, row) => n + row.filter((r) => !r).length, 0);
}

/** Codewords of a version: all of them, and those left for data at level M. */
function codewordsOf(version: number): { total: number; data: number } {
  const total = Math.floor(freeModules(version) / 8);
  return { total, data: total - EC_PER_BLOCK[version - 1] * BLOCKS[version - 1] };
}

/** How many bytes a version holds in byte mode at level M (4 mode bits + the count field). */
export function byteCapacity(version: number): number {
  return Math.floor((codewordsOf(version).data * 8 - 4 - (version < 10 ? 8 : 16)) / 8);
}

/** Encodes `text` as UTF-8 bytes. Throws a RangeError when it does not fit version 40-M. */
export function encodeQr(text: string): QrCode {
  const bytes = Array.from(new TextEncoder().encode(text));
  let version = 1;
  while (version <= 40 && byteCapacity(version) < bytes.length) version++;
  if (version > 40) throw new RangeError(`QR: ${bytes.length} bytes do not fit version 40-M`);
  const { total, data: dataCodewords } = codewordsOf(version);

  // Bit stream: mode 0100 (byte), character count, data, terminator, padding.
  const bits: number[] = [];
  const push = (value: number, length: number) => {
    for (let i = length - 1; i >= 0; i--) bits.push((value >>> i) & 1);
  };
  push(0b0100, 4);
  push(bytes.length, version < 10 ? 8 : 16);
  for (const b of bytes) push(b, 8);
  push(0, Math.min(4, dataCodewords * 8 - bits.length));
  push(0, (8 - (bits.length % 8)) % 8);
  const data: number[] = [];
  for (let i = 0; i < bits.length; i += 8) data.push(parseInt(bits.slice(i, i + 8).join(''), 2));
  for (let pad = 0; data.length < dataCodewords; pad++) data.push(pad % 2 ? 0x11 : 0xec);

  // Blocks (the later ones are one data codeword longer), error correction, interleaving.
  const blockCount = BLOCKS[version - 1];
  const ecLength = EC_PER_BLOCK[version - 1];
  const shortBlocks = blockCount - (total % blockCount);
  const shortData = Math.floor(total / blockCount) - ecLength;
  const blocks: number[][] = [];
  const ecBlocks: number[][] = [];
  for (let b = 0, at = 0; b < blockCount; b++) {
    const length = shortData + (b < shortBlocks ? 0 : 1);
    const block = data.slice(at, at + length);
    at += length;
    blocks.push(block);
    ecBlocks.push(reedSolomon(block, ecLength));
  }
  const codewords: number[] = [];
  for (let i = 0; i <= shortData; i++) for (const block of blocks) if (i < block.length) codewords.push(block[i]);
  for (let i = 0; i < ecLength; i++) for (const ec of ecBlocks) codewords.push(ec[i]);

  // Place the codewords in the zig-zag order, two columns at a time, skipping the timing column.
  const { size, dark, reserved } = functionPatterns(version);
  let bitIndex = 0;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    const upward = ((size - 1 - right) >> 1) % 2 === 0;
    for (let k = 0; k < size; k++) {
      const r = upward ? size - 1 - k : k;
      for (const c of [right, right - 1]) {
        if (reserved[r][c]) continue;
        const byte = codewords[bitIndex >> 3];
        dark[r][c] = byte !== undefined && ((byte >> (7 - (bitIndex & 7))) & 1) === 1;
        bitIndex++;
      }
    }
  }

  // Try every mask, keep the one with the lowest penalty.
  let best: QrCode | null = null;
  let bestScore = Infinity;
  MASKS.forEach((maskFn, mask) => {
    const candidate = dark.map((row, r) => row.map((on, c) => (reserved[r][c] ? on : on !== maskFn(r, c))));
    writeFormat(candidate, size, mask);
    const score = penalty(candidate, size);
    if (score < bestScore) {
      bestScore = score;
      best = { version, size, mask, dark: candidate };
    }
  });
  return best as unknown as QrCode;
}
