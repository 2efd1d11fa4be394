import * as z from 'zod';
import { requestStatuses } from '../../domain/service-request.ts';
import { dayRangeQuery } from './day-range.ts';

/**
 * The bodies and query strings handlers parse that are not domain objects, defined once: the
 * handlers parse with them and the OpenAPI document (functions/documents) shows them.
 */
export const dispatchSchema = z
  .object({
    technicianId: z.string().min(1).max(80),
    mode: z.enum(['on_site', 'remote']),
    scheduledFor: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

/** `Idempotency-Key` (optional): a client's name for one request, so a retry creates nothing new. */
export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, { message: '1 to 255 visible ASCII characters' })
    .optional(),
});

/** `If-Match` (optional): the ETag of the version a change was made from. */
export const ifMatchHeaders = z.object({
  'if-match': z
    .string()
    .regex(/^(\*|"\d{1,12}")$/, { message: 'an ETag from GET /v1/settings, e.g. "3"' })
    .optional(),
});

export const cancelSchema = z.object({ reason: z.string().trim().min(1).max(1000) }).strict();

/** A page of a list: at most 200 items (50 unless asked), then the `nextCursor` it answered. */
const limit = z
  .string()
  .regex(/^\d{1,3}$/, { message: 'a whole number from 1 to 200' })
  .transform(Number)
  .pipe(z.number().int().min(1).max(200))
  .default(50);
const cursor = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,2000}$/, { message: 'a nextCursor from a previous page' })
  .optional();

/** `GET /v1/requests`: open ones unless a status is given. */
export const requestListQuery = z
  .object({ status: z.enum(requestStatuses).optional(), limit, cursor })
  .strict();

/** `GET /v1/feedback`: the worklist, open cases unless a status is given. */
export const feedbackListQuery = z
  .object({ status: z.enum(['open', 'resolved', 'closed']).default('open'), limit, cursor })
  .strict();

/** `GET /v1/api-keys`. */
export const apiKeyListQuery = z.object({ limit, cursor }).strict();

/** `GET /v1/surveys`: periodic surveys sent in at most a year of days; `answered=false` is whom to phone. */
export const periodicSurveyListQuery = dayRangeQuery(366, {
  answered: z.enum(['true', 'false']).optional(),
  limit,
  cursor,
});

/**
 * `?lang=` of a page: Chinese, the contract's official language (14.2), unless English is asked
 * for. Lenient: a page opened from an email may carry anything a mail client adds.
 */
export const languageQuery = z.object({ lang: z.enum(['zh-CN', 'en']).optional().catch(undefined) });

/** `?lang=` of a document (an attachment): strict, as for the API. Chinese is the official text (14.2). */
export const documentLanguageQuery = z.object({ lang: z.enum(['zh-CN', 'en']).optional() }).strict();

/**
 * A contract attachment: of which contract version (`?contractId&version`; the version in force,
 * else the latest, without `version`; the default terms without `contractId`), in which language.
 */
const attachmentFields = documentLanguageQuery.extend({
  contractId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,80}$/)
    .optional(),
  version: z
    .string()
    .regex(/^[1-9][0-9]{0,5}$/)
    .optional(),
});
const versionOfAContract = {
  check: (q: { contractId?: string; version?: string }) =>
    q.version === undefined || q.contractId !== undefined,
  message: { message: 'a version is of a contract: give contractId too', path: ['version'] },
};
export const attachmentQuery = attachmentFields
  .strict()
  .refine(versionOfAContract.check, versionOfAContract.message);

/** A document that takes no query: a parameter it does not know is a mistake worth saying. */
export const noQuery = z.object({}).strict();

/** `GET /v1/reports/satisfaction`: two years at most, for it reads every survey and case in them. */
export const satisfactionReportQuery = dayRangeQuery(731, {
  format: z.enum(['json', 'csv']).default('json'),
});

/** `GET /v1/calendar`: at most a year of days. */
export const calendarQuery = dayRangeQuery(366, {});
