import { z } from 'zod';
import { isoDateSchema } from './calendar-date.ts';
import { type RequestKind, requestKinds } from './service-request.ts';

/** The SLA terms of a contract (6.1.2, 6.2.1b, 7.2.1, 8.1.2); blanks of the template are settings. */
export const slaTermsSchema = z.object({
  responseHours: z.number().positive().max(720),
  completionHours: z.record(
    z.enum(requestKinds),
    z
      .number()
      .positive()
      .max(24 * 365),
  ),
  feedbackWorkingDays: z.number().int().positive().max(60),
  warrantyMonths: z.number().int().min(0).max(120),
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

const partySchema = z.object({
  companyName: z.string().trim().min(1).max(200),
  address: z.string().trim().min(1).max(500),
  contact: z.string().trim().min(1).max(200),
});

/** The contract header and clauses 9, 10, 12.1, 14 as data. */
export const contractTermsSchema = z.object({
  contractNumber: z.string().trim().min(1).max(80),
  provider: partySchema,
  customer: partySchema,
  effectiveDate: isoDateSchema,
  termYears: z.number().int().positive().max(50),
  totalAmount: z.number().nonnegative(),
  currency: z.string().length(3).default('CNY'),
  sla: slaTermsSchema,
  liquidatedDamagesRatePercent: z.number().min(0).max(100),
  lateFeeRatePercent: z.number().min(0).max(100),
  confidentialityYears: z.number().int().min(0).max(50),
  language: z.enum(['zh-CN', 'en']).default('zh-CN'),
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
