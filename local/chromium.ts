import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * The browser the tests and `npm run bench -- console` drive: Debian's Chromium (no browser
 * download: this machine's network reaches only the npm registry and Debian's packages), with a
 * Chinese font so that pages and their screenshots show the characters. On a fresh machine of
 * this kind the packages are installed here, once, so nothing is done by hand.
 */
export const CHROMIUM = '/usr/bin/chromium';
/** WenQuanYi Micro Hei: a small (5 MB) CJK sans font, in Debian main. */
const CJK_FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';

export function ensureChromium(): void {
  const missing = [
    ...(existsSync(CHROMIUM) ? [] : ['chromium']),
    ...(existsSync(CJK_FONT) ? [] : ['fonts-wqy-microhei']),
  ];
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`Missing for the browser: ${missing.join(', ')} (apt-get install ${missing.join(' ')})`);
  }
  console.log(`[browser] installing ${missing.join(', ')}…`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/** Chromium's flags for a headless run on a server. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-sync',
];
