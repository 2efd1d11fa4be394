import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * The browser tests drive Debian's Chromium (no browser download: this machine's network
 * reaches only the npm registry and Debian's packages). On a fresh machine of this kind the
 * package is installed here, once, so `npm test` needs nothing done by hand.
 */
export const CHROMIUM = '/usr/bin/chromium';

export default function setup(): void {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium)`,
    );
  }
  console.log('[browser tests] installing Debian chromium…');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}
