import { isoDateSchema } from '#domain/calendar-date.ts';
import { channelSchema, requestKindSchema, requestStatuses } from '#domain/service-request.ts';
import { staffMemberSchema } from '#domain/tenant.ts';
import * as z from '#domain/zod.ts';
import { dayRangeQuery } from './day-range.ts';

/**
 * The bodies and query strings handlers parse that are not domain objects, defined once: the
 * handlers parse with them and the OpenAPI document (functions/documents) shows them.
 */
export const dispatchSchema = z.strictObject({
  technicianId: z.string().check(z.minLength(1), z.maxLength(80)),
  mode: z.enum(['on_site', 'remote']),
  scheduledFor: z.optional(z.iso.datetime({ offset: true })),
});

/** `Idempotency-Key` (optional): a client's name for one request, so a retry creates nothing new. */
export const idempotencyHeaders = z.object({
  'idempotency-key': z.optional(
    z.string().check(z.regex(/^[\x21-\x7e]{1,255}$/, { message: '1 to 255 visible ASCII characters' })),
  ),
});

/** `If-Match` (optional): the ETag of the version a change was made from. */
export const ifMatchHeaders = z.object({
  'if-match': z.optional(
    z.string().check(z.regex(/^(\*|"\d{1,12}")$/, { message: 'an ETag from GET /v1/settings, e.g. "3"' })),
  ),
});

/** `POST /v1/requests/{id}/assign` (#37): to whom, and why when it is taken from someone. */
export const assignSchema = z.strictObject({
  staffId: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,80}$/)),
  reason: z.optional(z.string().check(z.trim(), z.maxLength(1000))),
});

export const cancelSchema = z.strictObject({
  reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(1000)),
});

/** A page of a list: at most 200 items (50 unless asked), then the `nextCursor` it answered. */
const limit = z._default(
  z.pipe(
    z.pipe(
      z
        .string()
        .check(z.regex(/^(?:[1-9]|[1-9][0-9]|1[0-9]{2}|200)$/, { message: 'a whole number from 1 to 200' })),
      z.transform(Number),
    ),
    z.int().check(z.minimum(1), z.maximum(200)),
  ),
  50,
);
const cursor = z.optional(
  z.string().check(z.regex(/^[A-Za-z0-9_-]{1,2000}$/, { message: 'a nextCursor from a previous page' })),
);

/** `GET /v1/requests`: open ones unless a status is given; the worklist's filters (#37). */
export const requestListQuery = z.strictObject({
  status: z.optional(z.enum(requestStatuses)),
  kind: z.optional(requestKindSchema),
  channel: z.optional(channelSchema),
  /** A staff id (whom it is assigned or dispatched to), or `none`: assigned to no one. */
  assignee: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,80}$/))),
  /** `true`: only those whose current promise is past its deadline. */
  breached: z.optional(z.literal('true')),
  /** Only those whose current promise is due before this instant (e.g. the end of today). */
  dueBefore: z.optional(z.iso.datetime({ offset: true })),
  /** Words in the id, order number, product or the customer's name, email or phone (as written). */
  q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
  limit,
  cursor,
});

/** `GET /v1/feedback`: the worklist, open cases unless a status is given. */
export const feedbackListQuery = z.strictObject({
  status: z._default(z.enum(['open', 'resolved', 'closed']), 'open'),
  limit,
  cursor,
});

/** `GET /v1/api-keys`. */
export const apiKeyListQuery = z.strictObject({ limit, cursor });

/** A page of a list with nothing to filter by. */
export const pageQuery = z.strictObject({ limit, cursor });

/** `GET /v1/access-trail`: one UTC day of the trail, a page at a time. */
export const accessTrailQuery = z.strictObject({ date: isoDateSchema, limit, cursor });

/** `GET /v1/surveys`: periodic surveys sent in at most a year of days; `answered=false` is whom to phone. */
export const periodicSurveyListQuery = dayRangeQuery(366, {
  answered: z.optional(z.enum(['true', 'false'])),
  limit,
  cursor,
});

/**
 * `?lang=` of a page: Chinese, the contract's official language (14.2), unless English is asked
 * for. Lenient: a page opened from an email may carry anything a mail client adds.
 */
export const languageQuery = z.object({ lang: z.catch(z.optional(z.enum(['zh-CN', 'en'])), undefined) });

/** `?lang=` of a document (an attachment): strict, as for the API. Chinese is the official text (14.2). */
export const documentLanguageQuery = z.strictObject({ lang: z.optional(z.enum(['zh-CN', 'en'])) });

/**
 * A contract attachment: of which contract version (`?contractId&version`; the version in force,
 * else the latest, without `version`; the default terms without `contractId`), in which language.
 */
export const attachmentQuery = z
  .extend(documentLanguageQuery, {
    contractId: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,80}$/))),
    version: z.optional(z.string().check(z.regex(/^[1-9][0-9]{0,5}$/))),
  })
  .check(
    z.refine((q) => q.version === undefined || q.contractId !== undefined, {
      message: 'a version is of a contract: give contractId too',
      path: ['version'],
    }),
  );

/** A document that takes no query: a parameter it does not know is a mistake worth saying. */
export const noQuery = z.strictObject({});

/** `GET /v1/reports/satisfaction`: two years at most, for it reads every survey and case in them. */
export const satisfactionReportQuery = dayRangeQuery(731, {
  format: z._default(z.enum(['json', 'csv']), 'json'),
  /** With format=csv: which rows, the satisfaction ones (`rows`) or the promises by month (`promises`). */
  table: z._default(z.enum(['rows', 'promises']), 'rows'),
});

/** `GET /v1/contracts/{id}/statement`: at most the days of a year of the contract. */
export const statementQuery = dayRangeQuery(366, {
  format: z._default(z.enum(['json', 'csv', 'html']), 'json'),
});

/** `GET /v1/calendar`: at most a year of days. */
export const calendarQuery = dayRangeQuery(366, {});

/** Clause 12: the customer whose data is exported, by the address they gave. */
export const customerDataSchema = z.strictObject({
  email: z.string().check(z.trim(), z.email(), z.maxLength(254)),
});

/** Clause 12: a customer to erase, and why (recorded on their items' timelines, then anonymized too). */
export const erasureSchema = z.strictObject({
  email: z.string().check(z.trim(), z.email(), z.maxLength(254)),
  reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(500)),
});

/** A new staff member an admin invites (#15): who they are, what they do, what they are qualified for. */
export const staffInvitationSchema = z.strictObject({
  staffId: staffMemberSchema.shape.staffId,
  name: staffMemberSchema.shape.name,
  email: staffMemberSchema.shape.email,
  roles: staffMemberSchema.shape.roles,
  skills: z.optional(staffMemberSchema.shape.skills.def.innerType),
  language: staffMemberSchema.shape.language,
});
