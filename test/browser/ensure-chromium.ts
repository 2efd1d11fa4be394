import { ensureChromium } from '#local/chromium.ts';

/** The browser tests' global setup: Chromium and a CJK font, installed once (local/chromium.ts). */
export { CHROMIUM } from '#local/chromium.ts';
export default ensureChromium;
