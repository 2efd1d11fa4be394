import { contractTermsSchema } from '#domain/contract.ts';
import { sendingDomainSchema as domainNameSchema } from '#domain/email-sender.ts';
import { installmentSchema } from '#domain/late-fees.ts';
import { storefrontsSchema, tenantSettingsSchema, wooStatusActionSchema } from '#domain/tenant.ts';
import * as z from '#domain/zod.ts';

export const createApiKeySchema = z.strictObject({
  role: z.enum(['agent', 'manager', 'admin']),
  /** The staff member acting through the key (shown in request timelines). */
  staffId: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,80}$/))),
  label: z.optional(z.string().check(z.trim(), z.maxLength(120))),
});

/**
 * What PUT /v1/settings takes, as documented: a merge patch of the settings (domain/tenant.ts
 * `patchSettings` applies it and validates the result): every field optional at every depth,
 * arrays replaced whole, `null` clears an optional field or disconnects a storefront. What GET
 * shows besides the settings (tenantId, createdAt, settingsVersion, a storefront's `configured`)
 * may be sent back and is ignored.
 */
const shape = tenantSettingsSchema.shape;
/** A secret as the storefront issued it (what we store sealed is never accepted back as one). */
const issuedSecret = z.string().check(
  z.minLength(16),
  z.maxLength(512),
  z.refine((value) => !value.startsWith('sealed:'), { message: 'the secret as the storefront issued it' }),
);
const storefrontPatch = <T extends z.ZodMiniObject>(
  storefront: T,
  secrets: Record<string, typeof issuedSecret>,
) =>
  z.optional(
    z.nullable(
      z.strictObject(
        z.extend(z.partial(storefront), {
          ...Object.fromEntries(Object.entries(secrets).map(([name, schema]) => [name, z.optional(schema)])),
          configured: z.optional(z.boolean()),
        }).shape,
      ),
    ),
  );
export const settingsPatchSchema = z.strictObject({
  name: z.optional(shape.name),
  language: z.optional(shape.language.def.innerType),
  timeZone: z.optional(shape.timeZone.def.innerType),
  escalationLadder: z.optional(z.partial(shape.escalationLadder)),
  defaultTerms: z.optional(
    z.extend(z.partial(shape.defaultTerms), {
      completionHours: z.optional(z.partial(shape.defaultTerms.shape.completionHours)),
    }),
  ),
  staff: z.optional(shape.staff.def.innerType),
  requiredSkills: z.optional(shape.requiredSkills.def.innerType),
  followUpVisitEveryDays: z.optional(z.nullable(shape.followUpVisitEveryDays.def.innerType)),
  periodicSurveyEveryDays: z.optional(z.nullable(shape.periodicSurveyEveryDays.def.innerType)),
  feedbackOwnerId: z.optional(z.nullable(shape.feedbackOwnerId.def.innerType)),
  replyConfirmsNeed: z.optional(z.nullable(shape.replyConfirmsNeed.def.innerType)),
  personalDataRetentionDays: z.optional(z.nullable(shape.personalDataRetentionDays.def.innerType)),
  calendar: z.optional(
    z.extend(z.partial(shape.calendar.def.innerType), {
      workingHours: z.optional(z.nullable(shape.calendar.def.innerType.shape.workingHours.def.innerType)),
    }),
  ),
  email: z.optional(
    z.strictObject({
      fromName: z.optional(z.nullable(shape.email.def.innerType.shape.fromName.def.innerType)),
      replyTo: z.optional(z.nullable(shape.email.def.innerType.shape.replyTo.def.innerType)),
    }),
  ),
  storefronts: z.optional(
    z.strictObject({
      shopify: storefrontPatch(storefrontsSchema.shape.shopify.def.innerType, {
        secret: issuedSecret,
        adminAccessToken: issuedSecret,
      }),
      woocommerce: z.optional(
        z.nullable(
          z.strictObject({
            secret: z.optional(issuedSecret),
            // A merge patch: a status set to null is no longer after-sales work.
            statuses: z.optional(
              z.record(z.string().check(z.minLength(1), z.maxLength(80)), z.nullable(wooStatusActionSchema)),
            ),
            configured: z.optional(z.boolean()),
          }),
        ),
      ),
      generic: storefrontPatch(storefrontsSchema.shape.generic.def.innerType, { secret: issuedSecret }),
    }),
  ),
  tenantId: z.optional(z.string()),
  createdAt: z.optional(z.string()),
  settingsVersion: z.optional(z.int()),
});

/** PUT /v1/contracts/{id}/payment-schedule: the installments, replaced whole. */
export const paymentScheduleSchema = z.strictObject({
  installments: z.array(installmentSchema).check(z.maxLength(240)),
});

/** PUT /v1/settings/sending-domain. */
export const sendingDomainSchema = z.strictObject({ domain: domainNameSchema });

export const createContractSchema = z.strictObject({
  contractId: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,80}$/)),
  terms: contractTermsSchema,
});

export const proposeVersionSchema = z.strictObject({ terms: contractTermsSchema });

/** Where the customer's written confirmation is (a signed copy, an email id). */
const evidence = z.string().check(z.trim(), z.minLength(1), z.maxLength(500));

/** The provider confirms by saying so; the customer's confirmation needs its evidence (in the schema, so a client knows). */
export const confirmVersionSchema = z.discriminatedUnion('party', [
  z.strictObject({ party: z.literal('provider'), evidence: z.optional(evidence) }),
  z.strictObject({ party: z.literal('customer'), evidence }),
]);

export const terminateContractSchema = z.strictObject({
  /** 9.2: by mutual agreement, or for the other party's breach. */
  ground: z.enum(['mutual_agreement', 'breach']),
  note: z.optional(z.string().check(z.trim(), z.maxLength(2000))),
});
