import { z } from 'zod';
import { contractTermsSchema } from '../../domain/contract.ts';
import { storefrontsSchema, tenantSettingsSchema } from '../../domain/tenant.ts';

export const createApiKeySchema = z.object({
  role: z.enum(['agent', 'manager', 'admin']),
  /** The staff member acting through the key (shown in request timelines). */
  staffId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,80}$/)
    .optional(),
  label: z.string().trim().max(120).optional(),
});

/** Storefront secrets are write-only: omit `secret` to keep the stored one, `null` disconnects. */
const storefrontsPatchSchema = z.object({
  shopify: storefrontsSchema.shape.shopify
    .unwrap()
    .extend({ secret: z.string().min(16).max(512).optional() })
    .nullable()
    .optional(),
  woocommerce: storefrontsSchema.shape.woocommerce
    .unwrap()
    .extend({ secret: z.string().min(16).max(512).optional() })
    .nullable()
    .optional(),
  generic: z
    .object({ secret: z.string().min(16).max(512).optional() })
    .nullable()
    .optional(),
});

/**
 * What PUT /v1/settings takes, as documented: a merge patch of the settings (domain/tenant.ts
 * `patchSettings` applies and validates it): every field optional, `null` clears an optional one.
 */
export const settingsPatchSchema = z.object({
  ...Object.fromEntries(
    Object.entries(tenantSettingsSchema.shape).map(([name, schema]) => [name, schema.optional()]),
  ),
  followUpVisitEveryDays: tenantSettingsSchema.shape.followUpVisitEveryDays.unwrap().nullable().optional(),
  periodicSurveyEveryDays: tenantSettingsSchema.shape.periodicSurveyEveryDays.unwrap().nullable().optional(),
  feedbackOwnerId: tenantSettingsSchema.shape.feedbackOwnerId.unwrap().nullable().optional(),
  storefronts: storefrontsPatchSchema.optional(),
});

export const createContractSchema = z.object({
  contractId: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/),
  terms: contractTermsSchema,
});

export const proposeVersionSchema = z.object({ terms: contractTermsSchema });

export const confirmVersionSchema = z.object({
  party: z.enum(['provider', 'customer']),
  /** For the customer's confirmation: where its written confirmation is (a signed copy, an email id). */
  evidence: z.string().trim().min(1).max(500).optional(),
});

export const terminateContractSchema = z.object({
  /** 9.2: by mutual agreement, or for the other party's breach. */
  ground: z.enum(['mutual_agreement', 'breach']),
  note: z.string().trim().max(2000).optional(),
});
