import { isoDateSchema } from './calendar-date.ts';
import { type RequestKind, requestKinds } from './service-request.ts';
import * as z from './zod.ts';

/** Hours of a promise: at least a minute's worth (a DynamoDB number, and a timer, can hold it). */
const promiseHours = (max: number) =>
  z.number().check(z.minimum(1 / 60, { message: 'at least one minute (1/60 hour)' }), z.maximum(max));

/** The SLA terms of a contract (6.1.2, 6.2.1b, 7.2.1, 8.1.2); blanks of the template are settings. */
export const slaTermsSchema = z.strictObject({
  responseHours: promiseHours(720),
  // An object with a field per kind (not a record): every kind has its agreed time.
  completionHours: z.strictObject(
    Object.fromEntries(requestKinds.map((kind) => [kind, promiseHours(24 * 365)])) as Record<
      RequestKind,
      ReturnType<typeof promiseHours>
    >,
  ),
  feedbackWorkingDays: z.int().check(z.positive(), z.maximum(60)),
  warrantyMonths: z.int().check(z.minimum(0), z.maximum(120)),
});
export type SlaTerms = z.infer<typeof slaTermsSchema>;

/** A tenant's terms for storefront customers without a signed contract. */
export const defaultSlaTerms: SlaTerms = {
  responseHours: 2,
  completionHours: {
    repair: 72,
    replacement: 72,
    return: 120,
    consultation: 24,
    technical_support: 24,
    follow_up_visit: 168,
    complaint: 120,
  },
  feedbackWorkingDays: 5,
  warrantyMonths: 12,
};

const partySchema = z.strictObject({
  companyName: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  address: z.string().check(z.trim(), z.minLength(1), z.maxLength(500)),
  contact: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
});

/** A rate in %, to four decimals (0.0125 % is a plausible daily late fee). */
const percent = z.number().check(z.minimum(0), z.maximum(100), z.multipleOf(0.0001));

/** The contract header and clauses 9, 10, 12.1, 14 as data. */
export const contractTermsSchema = z.strictObject({
  contractNumber: z.string().check(z.trim(), z.minLength(1), z.maxLength(80)),
  provider: partySchema,
  customer: partySchema,
  effectiveDate: isoDateSchema,
  termYears: z.int().check(z.positive(), z.maximum(50)),
  /** In the currency's main unit, to the cent; at most 10^15 (exact in a double and in DynamoDB). */
  totalAmount: z.number().check(z.nonnegative(), z.maximum(1e15), z.multipleOf(0.01)),
  currency: z._default(
    z.string().check(z.regex(/^[A-Z]{3}$/, { message: 'an ISO 4217 code, e.g. CNY' })),
    'CNY',
  ),
  sla: slaTermsSchema,
  liquidatedDamagesRatePercent: percent,
  /** 10.1.1: every breached promise a claim, or at most one per calendar month (domain/damages.ts). */
  damagesCounting: z._default(z.enum(['per_breach', 'per_month']), 'per_breach'),
  /** 10.1.1: at most this % of the total is claimable over the whole contract (none: no cap). */
  damagesCapPercent: z.optional(percent),
  lateFeeRatePercent: percent,
  /** 10.1.2: the late fee once per late payment, or for each day it stays unpaid (domain/late-fees.ts). */
  lateFeeCounting: z._default(z.enum(['per_payment', 'per_day']), 'per_payment'),
  confidentialityYears: z.int().check(z.minimum(0), z.maximum(50)),
  language: z._default(z.enum(['zh-CN', 'en']), 'zh-CN'),
});
export type ContractTerms = z.infer<typeof contractTermsSchema>;

/** One version of a contract; in force only once both parties confirmed it (11.1). */
export interface ContractVersion {
  contractId: string;
  version: number;
  terms: ContractTerms;
  providerConfirmedAt?: string;
  customerConfirmedAt?: string;
  terminatedAt?: string;
}

export function inForceFrom(version: ContractVersion): string | undefined {
  if (!version.providerConfirmedAt || !version.customerConfirmedAt) return undefined;
  const confirmed = [version.providerConfirmedAt, version.customerConfirmedAt].sort()[1]!;
  const effective = `${version.terms.effectiveDate}T00:00:00.000Z`;
  return confirmed > effective ? confirmed : effective;
}

/**
 * The version a request is judged by: the latest version in force at `at` (11.1). A
 * terminated contract accepts no new requests (9.2), so none is in force after termination.
 */
export function versionInForce(versions: readonly ContractVersion[], at: Date): ContractVersion | undefined {
  const when = at.toISOString();
  if (versions.some((v) => v.terminatedAt !== undefined && v.terminatedAt <= when)) return undefined;
  return versions
    .filter((v) => {
      const from = inForceFrom(v);
      return from !== undefined && from <= when;
    })
    .sort((a, b) => b.version - a.version)[0];
}

/** What a request keeps of the contract at receipt, so later amendments never re-judge it. */
export interface AppliedTerms {
  contractId: string;
  contractVersion: number;
  responseHours: number;
  completionHours: number;
  warrantyMonths: number;
  feedbackWorkingDays: number;
}

export const DEFAULT_CONTRACT_ID = 'default';

export function applyTerms(kind: RequestKind, sla: SlaTerms, contract?: ContractVersion): AppliedTerms {
  return {
    contractId: contract?.contractId ?? DEFAULT_CONTRACT_ID,
    contractVersion: contract?.version ?? 0,
    responseHours: sla.responseHours,
    completionHours: sla.completionHours[kind] ?? defaultSlaTerms.completionHours[kind],
    warrantyMonths: sla.warrantyMonths,
    feedbackWorkingDays: sla.feedbackWorkingDays,
  };
}
