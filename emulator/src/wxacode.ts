/**
 * wxacode.getUnlimited (platform-rules §12): the rules WeChat checks, and the image. WeChat's
 * answer is a 小程序码 (a round code no library reads); the emulator answers a real PNG holding an
 * ordinary QR code instead, which encodes what the code would open as JSON
 * `{"scene","page","env_version","appid"}`, so tests and tools can read it back (jsqr).
 */
import { encodeQr } from '../../web/src/qr';
import { encodePng } from './png';
import { refuse, Refusal } from './wechat-errors';

/** §12: at most 32 visible characters of digits, letters and !#$&'()*+,/:;=?@-._~ (no %). */
export const SCENE_PATTERN = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/;
/** §12: 280–1280 px, 430 by default. */
export const WIDTH = { min: 280, max: 1280, default: 430 } as const;
const ENV_VERSIONS = ['release', 'trial', 'develop'];

/** What the checks let through: the code to draw. */
export interface WxaCodeOrder {
  scene: string;
  page: string;
  envVersion: string;
  width: number;
  lineColor: { r: number; g: number; b: number };
  isHyaline: boolean;
}

const isByte = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 255;

export function checkGetUnlimited(req: Record<string, unknown>, pages: Set<string>, homePage: string): WxaCodeOrder | Refusal {
  const { scene, page, env_version: envVersion = 'release', width = WIDTH.default, check_path: checkPath = true } = req;
  if (typeof scene !== 'string' || !SCENE_PATTERN.test(scene)) {
    return refuse(40169, `scene ${JSON.stringify(scene)} must be 1–32 characters of digits, letters and !#$&'()*+,/:;=?@-._~`);
  }
  if (typeof envVersion !== 'string' || !ENV_VERSIONS.includes(envVersion)) {
    return refuse(40097, `env_version ${JSON.stringify(envVersion)} must be release, trial or develop`);
  }
  let target = homePage;
  if (page !== undefined && page !== '') {
    if (typeof page !== 'string' || page.startsWith('/') || page.includes('?')) return refuse(41030, `page ${JSON.stringify(page)}: no leading "/", no query`);
    if (checkPath !== false && !pages.has(page))
      return refuse(41030, `page ${JSON.stringify(page)} is not a page of the published app.json (check_path is on)`);
    target = page;
  }
  // Emulator's reading: the doc states the range, not the error; 40097 (invalid args) for a width outside it.
  if (typeof width !== 'number' || !Number.isInteger(width) || width < WIDTH.min || width > WIDTH.max) {
    return refuse(40097, `width ${JSON.stringify(width)} must be a whole number of px, ${WIDTH.min}–${WIDTH.max}`);
  }
  const color = (req.line_color ?? { r: 0, g: 0, b: 0 }) as Record<string, unknown>;
  if (typeof color !== 'object' || color === null || !isByte(color.r) || !isByte(color.g) || !isByte(color.b)) {
    return refuse(40097, `line_color ${JSON.stringify(req.line_color)} must be {r,g,b} of 0–255`);
  }
  return {
    scene,
    page: target,
    envVersion,
    width,
    lineColor: { r: color.r as number, g: color.g as number, b: color.b as number },
    isHyaline: req.is_hyaline === true,
  };
}

/** The PNG: a QR code of the order, `width` px square, in line_color on white (transparent when is_hyaline). */
export function drawWxaCode(order: WxaCodeOrder, appid: string): Buffer {
  const text = JSON.stringify({ scene: order.scene, page: order.page, env_version: order.envVersion, appid });
  const qr = encodeQr(text);
  const quiet = 4;
  const span = qr.size + quiet * 2;
  const scale = Math.max(1, Math.floor(order.width / span));
  const size = order.width;
  const offset = Math.floor((size - span * scale) / 2) + quiet * scale;
  const rgba = new Uint8Array(size * size * 4);
  const { r, g, b } = order.lineColor;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const row = Math.floor((y - offset) / scale);
      const col = Math.floor((x - offset) / scale);
      const dark = y >= offset && x >= offset && row < qr.size && col < qr.size && qr.dark[row][col];
      rgba.set(dark ? [r, g, b, 255] : [255, 255, 255, order.isHyaline ? 0 : 255], (y * size + x) * 4);
    }
  }
  return encodePng({ width: size, height: size, rgba });
}

export { Refusal };
