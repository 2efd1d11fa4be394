import * as z from '#domain/zod.ts';

/**
 * The answers about people (functions/people-api, Shopify's privacy topics): apart from
 * views.ts, which every HTTP function bundles whole (its schemas are built as it loads).
 */
const instant = z.iso.datetime({ offset: true });

/**
 * Clause 12: everything held about one customer. Each request, feedback case and periodic
 * survey is the item as stored (less the table's keys), its timeline whole.
 */
export const customerDataView = z.object({
  exportedAt: instant,
  tenant: z.object({ tenantId: z.string(), name: z.string() }),
  email: z.string(),
  requests: z.array(z.looseObject({ requestId: z.string() })),
  feedbackCases: z.array(z.looseObject({ feedbackId: z.string() })),
  periodicSurveys: z.array(z.looseObject({ surveyId: z.string() })),
  /** Their follow-up visit and periodic survey schedules (3.1c, 7.1.1). */
  campaigns: z.array(z.looseObject({})),
  /** Their address bounced for good or complained: it is not emailed. */
  suppressions: z.array(z.looseObject({ address: z.string() })),
  /** Contracts naming the address as the customer's contact (kept under 12.1, not erased). */
  contracts: z.array(z.looseObject({ contractId: z.string(), version: z.int() })),
});

/** A staff member as the tenant's list holds them (#15). */
export const staffMemberView = z.object({
  staffId: z.string(),
  name: z.string(),
  email: z.string(),
  roles: z.array(z.enum(['agent', 'technician', 'manager', 'admin'])),
  skills: z.array(z.string()),
  language: z.optional(z.enum(['zh-CN', 'en'])),
  disabledAt: z.optional(instant),
  invitedAt: z.optional(instant),
});

/**
 * Who is calling and the tenant they work for (the console's session): their role, language and
 * time zone, and the names and skills of their colleagues (timelines name people by staff id;
 * dispatch picks a qualified technician).
 */
export const meView = z.object({
  tenantId: z.string(),
  tenantName: z.string(),
  timeZone: z.string(),
  role: z.enum(['agent', 'manager', 'admin']),
  /** Absent for an API key that names nobody. */
  staffId: z.optional(z.string()),
  name: z.optional(z.string()),
  language: z.enum(['zh-CN', 'en']),
  colleagues: z.array(
    z.object({
      staffId: z.string(),
      name: z.string(),
      roles: z.array(z.enum(['agent', 'technician', 'manager', 'admin'])),
      skills: z.array(z.string()),
      disabled: z.boolean(),
    }),
  ),
  /** 6.2.1a: the skill each kind of request needs, the tenant's or the default (a technician without it cannot be dispatched). */
  requiredSkills: z.record(z.string(), z.string()),
});

/** What an erasure did. */
export const erasureView = z.object({
  /** The requests, feedback cases and periodic surveys anonymized (none: nothing was held). */
  subjects: z.array(z.string()),
  /** Of those, the ones whose lifecycle was running and was ended. */
  lifecyclesEnded: z.array(z.string()),
});

/** A storefront's data request (Shopify customers/data_request) and the export made for it. */
export const dataRequestSummaryView = z.object({
  dataRequestId: z.string(),
  source: z.string(),
  receivedAt: instant,
  email: z.string(),
  subjects: z.int(),
  /** When the merchant first fetched the export. */
  readAt: z.optional(instant),
  /** The customer was erased since they asked: the export is deleted once fetched. */
  customerErasedAt: z.optional(instant),
});
export const dataRequestListView = z.object({
  items: z.array(dataRequestSummaryView),
  nextCursor: z.optional(z.string()),
});
export const dataRequestView = z.object({ ...dataRequestSummaryView.shape, export: customerDataView });
