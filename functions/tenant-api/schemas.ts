import * as z from 'zod';
import { contractTermsSchema } from '../../domain/contract.ts';
import { storefrontsSchema, tenantSettingsSchema } from '../../domain/tenant.ts';

export const createApiKeySchema = z
  .object({
    role: z.enum(['agent', 'manager', 'admin']),
    /** The staff member acting through the key (shown in request timelines). */
    staffId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,80}$/)
      .optional(),
    label: z.string().trim().max(120).optional(),
  })
  .strict();

/**
 * What PUT /v1/settings takes, as documented: a merge patch of the settings (domain/tenant.ts
 * `patchSettings` applies it and validates the result): every field optional at every depth,
 * arrays replaced whole, `null` clears an optional field or disconnects a storefront. What GET
 * shows besides the settings (tenantId, createdAt, settingsVersion, a storefront's `configured`)
 * may be sent back and is ignored.
 */
const shape = tenantSettingsSchema.shape;
/** A secret as the storefront issued it (what we store sealed is never accepted back as one). */
const issuedSecret = z
  .string()
  .min(16)
  .max(512)
  .refine((value) => !value.startsWith('sealed:'), { message: 'the secret as the storefront issued it' });
const storefrontPatch = <T extends z.ZodObject>(
  storefront: T,
  secrets: Record<string, typeof issuedSecret>,
) =>
  storefront
    .partial()
    .extend({
      ...Object.fromEntries(Object.entries(secrets).map(([name, schema]) => [name, schema.optional()])),
      configured: z.boolean().optional(),
    })
    .strict()
    .nullable()
    .optional();
export const settingsPatchSchema = z
  .object({
    name: shape.name.optional(),
    language: shape.language.unwrap().optional(),
    timeZone: shape.timeZone.unwrap().optional(),
    escalationLadder: shape.escalationLadder.partial().optional(),
    defaultTerms: shape.defaultTerms
      .partial()
      .extend({ completionHours: shape.defaultTerms.shape.completionHours.partial().optional() })
      .optional(),
    staff: shape.staff.unwrap().optional(),
    requiredSkills: shape.requiredSkills.unwrap().optional(),
    followUpVisitEveryDays: shape.followUpVisitEveryDays.unwrap().nullable().optional(),
    periodicSurveyEveryDays: shape.periodicSurveyEveryDays.unwrap().nullable().optional(),
    feedbackOwnerId: shape.feedbackOwnerId.unwrap().nullable().optional(),
    calendar: shape.calendar
      .unwrap()
      .partial()
      .extend({ workingHours: shape.calendar.unwrap().shape.workingHours.unwrap().nullable().optional() })
      .optional(),
    storefronts: z
      .object({
        shopify: storefrontPatch(storefrontsSchema.shape.shopify.unwrap(), {
          secret: issuedSecret,
          adminAccessToken: issuedSecret,
        }),
        woocommerce: storefrontPatch(storefrontsSchema.shape.woocommerce.unwrap(), { secret: issuedSecret }),
        generic: storefrontPatch(storefrontsSchema.shape.generic.unwrap(), { secret: issuedSecret }),
      })
      .strict()
      .optional(),
    tenantId: z.string().optional(),
    createdAt: z.string().optional(),
    settingsVersion: z.number().int().optional(),
  })
  .strict();

export const createContractSchema = z
  .object({
    contractId: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/),
    terms: contractTermsSchema,
  })
  .strict();

export const proposeVersionSchema = z.object({ terms: contractTermsSchema }).strict();

export const confirmVersionSchema = z
  .object({
    party: z.enum(['provider', 'customer']),
    /** For the customer's confirmation: where its written confirmation is (a signed copy, an email id). */
    evidence: z.string().trim().min(1).max(500).optional(),
  })
  .strict();

export const terminateContractSchema = z
  .object({
    /** 9.2: by mutual agreement, or for the other party's breach. */
    ground: z.enum(['mutual_agreement', 'breach']),
    note: z.string().trim().max(2000).optional(),
  })
  .strict();
