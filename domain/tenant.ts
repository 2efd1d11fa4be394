import { slaTermsSchema } from './contract.ts';
import { emailSettingsSchema } from './email-sender.ts';
import { escalationLadderSchema, unknownLadderStaff } from './escalation-ladder.ts';
import { languageSchema, requestKindSchema } from './service-request.ts';
import { calendarSettingsSchema } from './working-calendar.ts';
import * as z from './zod.ts';

/** A provider's staff member: agents, technicians and managers (REQUIREMENTS "Parties"). */
export const staffMemberSchema = z.object({
  staffId: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,80}$/)),
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  email: z.string().check(z.trim(), z.email()),
  roles: z.array(z.enum(['agent', 'technician', 'manager', 'admin'])).check(z.minLength(1)),
  /** 6.2.1a: what this person is qualified for (see domain/skills.ts). */
  skills: z._default(z.array(z.string().check(z.trim(), z.minLength(1), z.maxLength(60))), []),
  /** The console's language for them (the tenant's when unset). */
  language: z.optional(languageSchema),
  /** Disabled by an admin: they can no longer sign in, and a token they still hold is refused. */
  disabledAt: z.optional(z.iso.datetime({ offset: true })),
  /** When their last invitation went out: a member on the list without one was added, not yet invited. */
  invitedAt: z.optional(z.iso.datetime({ offset: true })),
});
export type StaffMember = z.infer<typeof staffMemberSchema>;

/** A storefront's webhook secret: at least 16 characters (what Shopify and WooCommerce issue is longer). */
const webhookSecretSchema = z.string().check(z.minLength(16), z.maxLength(512));

/** A shop's permanent domain, as Shopify names it in `X-Shopify-Shop-Domain`. */
const shopDomainSchema = z.string().check(
  z.trim(),
  z.toLowerCase(),
  z.maxLength(255),
  z.regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, {
    message: 'the shop’s myshopify.com domain, e.g. demo-shop.myshopify.com',
  }),
);

/**
 * What a WooCommerce order status means to a tenant: a request of a kind, or `cancel` (the order
 * no longer wants service: the request it opened is withdrawn, #33).
 */
export const wooStatusActionSchema = z.union([requestKindSchema, z.literal('cancel')]);
export type WooStatusAction = z.infer<typeof wooStatusActionSchema>;

/**
 * WooCommerce sends an order's status without the `wc-` prefix WordPress stores it with; either
 * may be typed in the settings: both are one status.
 */
export const wooStatus = (status: string) => status.trim().replace(/^wc-/, '');

/** What a tenant's statuses say of an order's status, however either spells the `wc-` prefix. */
export const wooStatusAction = (
  statuses: Record<string, WooStatusAction>,
  status: string,
): WooStatusAction | undefined =>
  statuses[wooStatus(status)] ??
  Object.entries(statuses).find(([s]) => wooStatus(s) === wooStatus(status))?.[1];

/**
 * By default a return request opens a return, and the common returns plugins' `return-cancelled`
 * and WooCommerce's own `cancelled` withdraw it. `refunded` opens nothing by default: a refund
 * (an order cancelled before it shipped, a goodwill refund) needs no service.
 */
export const DEFAULT_WOO_STATUSES: Record<string, WooStatusAction> = {
  'return-requested': 'return',
  'return-cancelled': 'cancel',
  cancelled: 'cancel',
};

const wooStatusesSchema = z.pipe(
  z.record(z.string().check(z.minLength(1), z.maxLength(80)), wooStatusActionSchema),
  z.transform((statuses) => Object.fromEntries(Object.entries(statuses).map(([s, a]) => [wooStatus(s), a]))),
);

/**
 * The storefronts a tenant connects (6.1.1: only official channels). Secrets are write-only:
 * stored sealed (functions/adapters/storefront-secrets.ts), never shown by any GET.
 */
export const storefrontsSchema = z.object({
  shopify: z.optional(
    z.object({
      shopDomain: shopDomainSchema,
      /** The app's client secret: Shopify signs each webhook with it. */
      secret: webhookSecretSchema,
      /**
       * An Admin API access token (scopes read_orders, read_returns, read_customers): a return's
       * webhook carries only ids, its customer and items are read from the Admin GraphQL API.
       */
      adminAccessToken: z.string().check(z.minLength(16), z.maxLength(512)),
      /** What a Shopify return request becomes (3.1b): a return unless the tenant says otherwise. */
      returnKind: z._default(requestKindSchema, 'return'),
    }),
  ),
  woocommerce: z.optional(
    z.object({
      secret: webhookSecretSchema,
      /**
       * Order statuses that mean after-sales work: the kind of request each opens, or `cancel`.
       * Stored without the `wc-` prefix; `null` in a settings change removes one.
       */
      statuses: z._default(wooStatusesSchema, DEFAULT_WOO_STATUSES),
    }),
  ),
  generic: z.optional(z.object({ secret: webhookSecretSchema })),
});
export type Storefronts = z.infer<typeof storefrontsSchema>;

/**
 * The IANA zones a tenant's calendar may be in: those the runtime's ICU knows (canonical names)
 * and UTC. An enum, not a refinement, so the API document lists what the server accepts.
 */
export const TIME_ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone')] as [string, ...string[]];

export const tenantSettingsSchema = z.object({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  /** Customer-facing emails default to the contract's official language (14.2). */
  language: z._default(languageSchema, 'zh-CN'),
  timeZone: z._default(
    z.enum(TIME_ZONES, { message: 'an IANA time zone, e.g. Asia/Shanghai' }),
    'Asia/Shanghai',
  ),
  escalationLadder: escalationLadderSchema,
  defaultTerms: slaTermsSchema,
  staff: z._default(z.array(staffMemberSchema), []),
  requiredSkills: z._default(z.partialRecord(requestKindSchema, z.string().check(z.minLength(1))), {}),
  storefronts: z._default(storefrontsSchema, {}),
  /** The sender's name and Reply-To of every email (its own domain: PUT /v1/settings/sending-domain). */
  email: z._default(emailSettingsSchema, {}),
  /**
   * 3.1c: periodic follow-up visits to every customer served, every this many days after their
   * last completed service or visit (each visit ends with the satisfaction survey, 7.1.1).
   */
  followUpVisitEveryDays: z.optional(z.int().check(z.minimum(7), z.maximum(730))),
  /**
   * 6.1.2, "respond and confirm the need": a reply to the customer (#36) on a request nobody has
   * responded to yet counts as the response, and stands for the confirmation email. Off: only
   * acknowledging responds.
   */
  replyConfirmsNeed: z.optional(z.boolean()),
  /** 7.1.1: a satisfaction survey to every customer served, every this many days. */
  periodicSurveyEveryDays: z.optional(z.int().check(z.minimum(7), z.maximum(730))),
  /**
   * Who answers for feedback cases (7.2.1) unless staff assign one: a staff id. Without it, the
   * staff member who is the first escalation level's first recipient.
   */
  feedbackOwnerId: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,80}$/))),
  /**
   * 12.2: a customer's personal data is anonymized this many days after the last promise that
   * needs it (their warranties, their last feedback case closed): kept for a claim or a complaint
   * about the service, not for ever. Unset: DEFAULT_RETENTION_DAYS (domain/personal-data.ts).
   */
  personalDataRetentionDays: z.optional(z.int().check(z.minimum(1), z.maximum(3650))),
  /** Working days for feedback deadlines (7.2.1), in `timeZone`. */
  calendar: z._default(calendarSettingsSchema, {
    weekendDays: [0, 6],
    chinaPublicHolidays: true,
    closures: [],
    extraWorkingDays: [],
  }),
});
export type TenantSettings = z.infer<typeof tenantSettingsSchema>;

/**
 * Who a feedback case is assigned to: the configured owner, else the first escalation level
 * (its first recipient, if on the staff list). Never the person who served the customer: a
 * complaint or a low score may be about them.
 */
export function feedbackOwner(
  settings: Pick<TenantSettings, 'feedbackOwnerId' | 'staff' | 'escalationLadder'>,
): string | undefined {
  if (settings.feedbackOwnerId && activeStaffMember(settings.staff, settings.feedbackOwnerId))
    return settings.feedbackOwnerId;
  const firstRecipient = settings.escalationLadder.levels[0]?.recipients[0]?.toLowerCase();
  return activeStaff(settings.staff).find(
    (s) => s.email.toLowerCase() === firstRecipient || s.staffId.toLowerCase() === firstRecipient,
  )?.staffId;
}

const activeStaff = <S extends Pick<StaffMember, 'disabledAt'>>(staff: readonly S[]) =>
  staff.filter((member) => member.disabledAt === undefined);

/** The staff member with this id who can still work (not disabled), if any: who work may be given to. */
export function activeStaffMember<S extends Pick<StaffMember, 'staffId' | 'disabledAt'>>(
  staff: readonly S[],
  staffId: string,
): S | undefined {
  return activeStaff(staff).find((member) => member.staffId === staffId);
}

/** Shown by GET /v1/settings, not settings themselves: ignored when sent back. */
const READ_ONLY_FIELDS = new Set(['tenantId', 'createdAt', 'settingsVersion']);

/**
 * Storefronts as GET shows them carry `configured` (their secrets are never shown): that flag
 * is ignored, and a storefront sent back as shown, unconfigured, changes nothing.
 */
function storefrontChanges(current: TenantSettings, change: Record<string, unknown>) {
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(change)) {
    if (!isPlainObject(value)) {
      result[name] = value;
      continue;
    }
    const { configured: _shown, ...given } = value;
    // Statuses are one with or without WordPress's `wc-` prefix: a patch's are merged as stored.
    if (name === 'woocommerce' && isPlainObject(given.statuses))
      given.statuses = Object.fromEntries(Object.entries(given.statuses).map(([s, a]) => [wooStatus(s), a]));
    const asShown = 'configured' in value && Object.keys(given).length === 0;
    const isConfigured = current.storefronts[name as keyof Storefronts] !== undefined;
    if (!asShown || isConfigured) result[name] = given;
  }
  return result;
}

/** Settings saved before statuses were stored without `wc-`, as they are stored now. */
function withWooStatusesAsStored(settings: TenantSettings): TenantSettings {
  const woo = settings.storefronts.woocommerce;
  if (!woo) return settings;
  const statuses = Object.fromEntries(Object.entries(woo.statuses).map(([s, a]) => [wooStatus(s), a]));
  return { ...settings, storefronts: { ...settings.storefronts, woocommerce: { ...woo, statuses } } };
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** RFC 7396 JSON Merge Patch: objects merge, `null` removes, anything else replaces. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/**
 * A change to a tenant's settings, as a merge patch: what it does not mention is kept (a
 * storefront's write-only secret above all), `null` clears an optional setting, and the result
 * must be valid settings as a whole. Field errors name the patch's paths.
 */
export function patchSettings(
  current: TenantSettings,
  patch: unknown,
): { ok: true; settings: TenantSettings } | { ok: false; fields: Record<string, string[]> } {
  if (!isPlainObject(patch))
    return { ok: false, fields: { '(body)': ['an object of the settings to change'] } };
  const known = new Set(Object.keys(tenantSettingsSchema.shape));
  const fields: Record<string, string[]> = Object.create(null);
  const change: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (known.has(key)) change[key] = value;
    // What GET shows besides the settings may be sent back unchanged (a read, edited, put back).
    else if (!READ_ONLY_FIELDS.has(key)) fields[key] = ['not a setting'];
  }
  if (Object.keys(fields).length > 0) return { ok: false, fields };
  if (isPlainObject(change.storefronts)) change.storefronts = storefrontChanges(current, change.storefronts);
  const parsed = tenantSettingsSchema.safeParse(mergePatch(withWooStatusesAsStored(current), change));
  if (parsed.success) {
    const unknownStaff = unknownLadderStaff(parsed.data.escalationLadder, parsed.data.staff);
    const owner = parsed.data.feedbackOwnerId;
    // Cases are given to the owner: one who is not (or no longer) on the staff list would hold them unseen.
    if (owner !== undefined && !activeStaffMember(parsed.data.staff, owner))
      unknownStaff.feedbackOwnerId = [`no staff member who can work has the id ${owner}`];
    if (Object.keys(unknownStaff).length > 0) return { ok: false, fields: unknownStaff };
    return { ok: true, settings: parsed.data };
  }
  for (const issue of parsed.error.issues) {
    const path = issue.path.join('.') || '(body)';
    fields[path] = [...(Object.hasOwn(fields, path) ? fields[path]! : []), issue.message];
  }
  return { ok: false, fields };
}
