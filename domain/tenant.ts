import { z } from 'zod';
import { slaTermsSchema } from './contract.ts';
import { escalationLadderSchema } from './escalation-ladder.ts';
import { languageSchema, requestKindSchema } from './service-request.ts';
import { calendarSettingsSchema } from './working-calendar.ts';

/** A provider's staff member: agents, technicians and managers (REQUIREMENTS "Parties"). */
const staffMemberSchema = z.object({
  staffId: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/),
  name: z.string().trim().min(1).max(200),
  email: z.string().trim().email(),
  roles: z.array(z.enum(['agent', 'technician', 'manager'])).min(1),
  /** 6.2.1a: what this person is qualified for (see domain/skills.ts). */
  skills: z.array(z.string().trim().min(1).max(60)).default([]),
});
export type StaffMember = z.infer<typeof staffMemberSchema>;

/** A storefront's webhook secret: at least 16 characters (what Shopify and WooCommerce issue is longer). */
const webhookSecretSchema = z.string().min(16).max(512);

/**
 * Which storefront events mean after-sales work (6.1.1: only official channels), per
 * storefront: Shopify topics and WooCommerce order statuses map to a request kind.
 */
export const storefrontsSchema = z.object({
  shopify: z
    .object({
      secret: webhookSecretSchema,
      topics: z.record(z.string().min(1), requestKindSchema).default({ 'returns/request': 'return' }),
    })
    .optional(),
  woocommerce: z
    .object({
      secret: webhookSecretSchema,
      statuses: z
        .record(z.string().min(1), requestKindSchema)
        .default({ refunded: 'return', 'return-requested': 'return' }),
    })
    .optional(),
  generic: z.object({ secret: webhookSecretSchema }).optional(),
});
export type Storefronts = z.infer<typeof storefrontsSchema>;

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const tenantSettingsSchema = z.object({
  name: z.string().trim().min(1).max(200),
  /** Customer-facing emails default to the contract's official language (14.2). */
  language: languageSchema.default('zh-CN'),
  timeZone: z
    .string()
    .refine(isTimeZone, { message: 'an IANA time zone, e.g. Asia/Shanghai' })
    .default('Asia/Shanghai'),
  escalationLadder: escalationLadderSchema,
  defaultTerms: slaTermsSchema,
  staff: z.array(staffMemberSchema).default([]),
  requiredSkills: z.partialRecord(requestKindSchema, z.string().min(1)).default({}),
  storefronts: storefrontsSchema.default({}),
  /**
   * 3.1c: periodic follow-up visits to every customer served, every this many days after their
   * last completed service or visit (each visit ends with the satisfaction survey, 7.1.1).
   */
  followUpVisitEveryDays: z.number().int().min(7).max(730).optional(),
  /** 7.1.1: a satisfaction survey to every customer served, every this many days. */
  periodicSurveyEveryDays: z.number().int().min(7).max(730).optional(),
  /** Working days for feedback deadlines (7.2.1), in `timeZone`. */
  calendar: calendarSettingsSchema.default({
    weekendDays: [0, 6],
    chinaPublicHolidays: true,
    closures: [],
    extraWorkingDays: [],
  }),
});
export type TenantSettings = z.infer<typeof tenantSettingsSchema>;
