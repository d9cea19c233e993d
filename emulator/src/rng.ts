import { randomBytes } from 'crypto';

/** A small seedable PRNG (mulberry32): repeatable tickets and `rate` faults when a seed is given. */
export function createRng(seed?: number): () => number {
  let state = (seed ?? randomBytes(4).readUInt32LE(0)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TICKET_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** WeChat's tickets look like `a1B2c3D4e5F6g7`: 14 letters and digits. */
export function randomTicket(rng: () => number, length = 14): string {
  let out = '';
  for (let i = 0; i < length; i++) out += TICKET_ALPHABET[Math.floor(rng() * TICKET_ALPHABET.length)];
  return out;
}
