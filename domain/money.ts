/**
 * Money as the contract's currency counts it: whole minor units (fen, cents) in a bigint, never
 * a float. Amounts come in as the API takes them (a number to the cent, or a decimal string)
 * and go out as decimal strings, so no step rounds by accident.
 */
export interface Money {
  currency: string;
  /** In the currency's minor unit (1 CNY = 100 fen). */
  minor: bigint;
}

/** Digits after the decimal point in a currency (CNY, USD 2; JPY, KRW 0), as ISO 4217 has it. */
export function minorDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}

/** An amount written in decimal (`12345.67`, `12345.6`, `12345`) as minor units, exactly. */
export function money(amount: number | string, currency: string): Money {
  const digits = minorDigits(currency);
  const text = typeof amount === 'number' ? amount.toFixed(digits) : amount.trim();
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new RangeError(`not a decimal amount: ${text}`);
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > digits && /[1-9]/.test(fraction.slice(digits)))
    throw new RangeError(`${text} has more than ${digits} decimals for ${currency}`);
  const minor = BigInt(whole! + fraction.slice(0, digits).padEnd(digits, '0'));
  return { currency, minor: sign ? -minor : minor };
}

/** The amount in decimal, with the currency's digits (`1.50`, `1500`). */
export function formatMoney({ currency, minor }: Money): string {
  const digits = minorDigits(currency);
  const sign = minor < 0n ? '-' : '';
  const text = (minor < 0n ? -minor : minor).toString().padStart(digits + 1, '0');
  return digits === 0 ? `${sign}${text}` : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/**
 * A rate in percent with up to four decimals (as contracts state them, 0.0125 %) as an exact
 * fraction: parts per million of percent.
 */
const RATE_SCALE = 1_000_000n; // 100 % × 10^4 decimals
function rateParts(percent: number): bigint {
  const text = percent.toFixed(4);
  return BigInt(text.replace('.', ''));
}

/**
 * amount × rate %, rounded half up to the minor unit (half away from zero, as 四舍五入 has it):
 * 12,345.67 × 0.0125 % = 1.54320875 → 1.54.
 */
export function percentOf(amount: Money, percent: number): Money {
  const product = amount.minor * rateParts(percent);
  const negative = product < 0n;
  const magnitude = negative ? -product : product;
  const rounded = (magnitude * 2n + RATE_SCALE) / (2n * RATE_SCALE);
  return { currency: amount.currency, minor: negative ? -rounded : rounded };
}

export const sum = (currency: string, amounts: readonly Money[]): Money => ({
  currency,
  minor: amounts.reduce((total, amount) => total + amount.minor, 0n),
});

export const minMoney = (a: Money, b: Money): Money => (a.minor <= b.minor ? a : b);
