/**
 * Finds Debian's Chromium for the browser tests, never skipping them silently.
 *
 * When /usr/bin/chromium (or $CHROMIUM_PATH) is missing: as root with CI=true or
 * GENSCHEME_INSTALL_CHROMIUM=1, it installs the Debian package; otherwise it throws with the
 * exact command to run, so the browser tests fail loudly instead of being skipped.
 */
import { execSync } from 'node:child_process';
import { closeSync, existsSync, openSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const INSTALL_COMMAND = 'apt-get update && apt-get install -y chromium';
/** Long enough for apt-get on a cold machine; pass it to the beforeAll that calls ensureChromium. */
export const INSTALL_TIMEOUT_MS = 10 * 60_000;

export function ensureChromium(): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  const mayInstall = process.getuid?.() === 0 && (process.env.CI === 'true' || process.env.GENSCHEME_INSTALL_CHROMIUM === '1');
  if (mayInstall && CHROMIUM_PATH === '/usr/bin/chromium') {
    // jest runs test files in parallel workers: one installs, the others wait for it.
    const lock = join(tmpdir(), 'genscheme-chromium-install.lock');
    const deadline = Date.now() + INSTALL_TIMEOUT_MS;
    let fd: number | null = null;
    while (fd === null && !existsSync(CHROMIUM_PATH) && Date.now() < deadline) {
      try {
        fd = openSync(lock, 'wx');
      } catch {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000); // another worker is installing
      }
    }
    if (fd !== null) {
      try {
        if (!existsSync(CHROMIUM_PATH)) {
          process.stderr.write(`Chromium is missing: running \`${INSTALL_COMMAND}\`\n`);
          execSync(INSTALL_COMMAND, {
            stdio: ['ignore', 'ignore', 'inherit'],
            timeout: INSTALL_TIMEOUT_MS,
            env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
          });
        }
      } finally {
        closeSync(fd);
        unlinkSync(lock);
      }
    }
    if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  }
  throw new Error(
    `The browser tests need Chromium at ${CHROMIUM_PATH}, and it is missing.\n` +
      `Install it (as root):  ${INSTALL_COMMAND}\n` +
      `or point CHROMIUM_PATH at a Chromium binary. (With CI=true or GENSCHEME_INSTALL_CHROMIUM=1, as root, the tests install it themselves.)`,
  );
}

/** The launch flags checked on this machine (shared/docs/miniprogram-testing.md). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
