import type { ContractVersion } from './contract.ts';
import type { Customer } from './service-request.ts';
import { addMonths } from './warranty.ts';

/**
 * Clause 12: how long a customer's personal data is needed, and what an erased customer keeps.
 *
 * Personal data is kept while a promise to the customer needs it: an open request or feedback
 * case, a warranty that still runs (8.1.2), a feedback case not yet closed (7.2.1). After the
 * last one ends, it is kept for the tenant's retention period (for a claim or a complaint about
 * the service), then anonymized: the facts and times stay, so breaches and statements stay true.
 */

/** Days personal data is kept after the last promise that needs it, unless the tenant says otherwise. */
export const DEFAULT_RETENTION_DAYS = 180;

export const retentionDaysOf = (settings: { personalDataRetentionDays?: number }) =>
  settings.personalDataRetentionDays ?? DEFAULT_RETENTION_DAYS;

/** What an anonymized item says where a person's details were. */
export const ERASED = '[erased]';

/**
 * The customer an erased item names: no person, and an address in the `.invalid` top-level
 * domain (RFC 6761), which can never receive mail; the mailer sends nothing there.
 */
export function erasedCustomer(reference: string): Customer {
  return { name: ERASED, email: `erased-${reference}@erased.invalid` };
}

export const isErasedAddress = (address: string) => /\.invalid$/i.test(address.trim());

/** One thing held about a customer, as far as retention cares. */
export type HeldSubject =
  | {
      type: 'request';
      status: string;
      receivedAt: string;
      endedAt?: string;
      deliveryDate?: string;
      warrantyMonths: number;
    }
  | { type: 'feedback'; status: string; receivedAt: string; closedAt?: string }
  | { type: 'survey'; invitedAt: string; expiresAt: string };

/** A request needs its customer until it ended, and after that while the goods' warranty runs. */
function requestNeededUntil(subject: Extract<HeldSubject, { type: 'request' }>, endedAt: string): string {
  // The warranty runs from delivery; without a delivery date, from receipt (the latest it can start).
  const from = subject.deliveryDate ?? subject.receivedAt.slice(0, 10);
  return latest(endedAt, `${addMonths(from, subject.warrantyMonths)}T00:00:00.000Z`);
}

/**
 * Until when a subject needs the customer's details: `open` while it is not over, else the last
 * day a promise about it can still be invoked (warranty end for the goods, the case's closing).
 */
export function neededUntil(subject: HeldSubject): string | 'open' {
  switch (subject.type) {
    case 'request':
      return subject.endedAt ? requestNeededUntil(subject, subject.endedAt) : 'open';
    case 'feedback':
      return subject.status === 'closed' && subject.closedAt ? subject.closedAt : 'open';
    case 'survey':
      return subject.expiresAt;
  }
}

/** A subject's need as if it ended at once: what is known when it is written. */
export function earliestNeededUntil(subject: HeldSubject): string {
  switch (subject.type) {
    case 'request':
      return requestNeededUntil(subject, subject.endedAt ?? subject.receivedAt);
    case 'feedback':
      return subject.closedAt ?? subject.receivedAt;
    case 'survey':
      return subject.expiresAt;
  }
}

/** The latest need of all a customer's subjects; `open` if any is open, undefined if none. */
export function customerNeededUntil(subjects: readonly HeldSubject[]): string | 'open' | undefined {
  let until: string | undefined;
  for (const subject of subjects) {
    const need = neededUntil(subject);
    if (need === 'open') return 'open';
    until = until ? latest(until, need) : need;
  }
  return until;
}

/** When data needed until `until` is anonymized: `retentionDays` later. */
export function anonymizeAt(until: string, retentionDays: number): Date {
  return new Date(Date.parse(until) + retentionDays * 86_400_000);
}

/**
 * 12.1: a contract's data is kept for its confidentiality term after it ends (terminated, or its
 * term run out). Undefined while it has not ended, or never took effect.
 */
export function contractKeptUntil(versions: readonly ContractVersion[], now: Date): Date | undefined {
  const first = versions.find((v) => v.version === 1) ?? versions[0];
  if (!first) return undefined;
  const last = versions.reduce((a, b) => (b.version > a.version ? b : a));
  const terminated = versions
    .map((v) => v.terminatedAt)
    .filter((at): at is string => at !== undefined)
    .sort()[0];
  const termEnd = `${addMonths(first.terms.effectiveDate, last.terms.termYears * 12)}T00:00:00.000Z`;
  const ended = terminated && terminated < termEnd ? terminated : termEnd;
  if (Date.parse(ended) > now.getTime()) return undefined;
  // The same instant of the day, the confidentiality term's years later.
  return new Date(`${addMonths(ended.slice(0, 10), last.terms.confidentialityYears * 12)}${ended.slice(10)}`);
}

/** The identifying strings of a customer, as scrub looks for them. */
export interface Identifiers {
  emails: readonly string[];
  names: readonly string[];
  phones: readonly string[];
}

/** Everything a customer object identifies them by. */
export function identifiersOf(
  customers: readonly Partial<Customer>[],
  extra: Partial<Identifiers> = {},
): Identifiers {
  const unique = (values: (string | undefined)[]) => [
    ...new Set(values.map((v) => v?.trim()).filter((v): v is string => !!v && v.length >= 2)),
  ];
  return {
    emails: unique([...customers.map((c) => c.email), ...(extra.emails ?? [])]),
    names: unique([...customers.map((c) => c.name), ...(extra.names ?? [])]).filter((n) => n !== ERASED),
    phones: unique([...customers.map((c) => c.phone), ...(extra.phones ?? [])]),
  };
}

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Han, kana and hangul: written without spaces, so a name in such text is found anywhere in it. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * What finds the customer in a string. Emails and phones anywhere; a name as a whole word (so
 * "Sy" does not take the middle out of "system"), except in scripts written without spaces.
 */
function identifierPattern(identifiers: Identifiers): RegExp | undefined {
  const word = (name: string) =>
    UNSPACED.test(name) ? literal(name) : `(?<![\\p{L}\\p{N}])${literal(name)}(?![\\p{L}\\p{N}])`;
  const alternatives = [
    ...[...identifiers.emails, ...identifiers.phones.filter((p) => p.replace(/\D/g, '').length >= 6)]
      .sort((a, b) => b.length - a.length)
      .map(literal),
    ...[...identifiers.names].sort((a, b) => b.length - a.length).map(word),
  ];
  return alternatives.length > 0 ? new RegExp(alternatives.join('|'), 'giu') : undefined;
}

/**
 * Replaces every occurrence of the customer's email, name or phone in the strings of a value,
 * case-insensitively, except in the attributes named in `keep` (keys and ids, which name no
 * person): what staff wrote about the customer keeps its sense, not the person.
 */
export function scrub<T>(value: T, identifiers: Identifiers, keep: ReadonlySet<string> = new Set()): T {
  const pattern = identifierPattern(identifiers);
  if (!pattern) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(pattern, ERASED);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, keep.has(k) ? x : walk(x)]));
    return v;
  };
  return walk(value) as T;
}

const latest = (a: string, b: string) => (Date.parse(a) >= Date.parse(b) ? a : b);
