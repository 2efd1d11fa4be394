import { z } from 'zod';
import { requestStatuses } from '../../domain/service-request.ts';
import { dayRangeQuery } from './day-range.ts';

/**
 * The bodies and query strings handlers parse that are not domain objects, defined once: the
 * handlers parse with them and the OpenAPI document (functions/documents) shows them.
 */
export const dispatchSchema = z.object({
  technicianId: z.string().min(1).max(80),
  mode: z.enum(['on_site', 'remote']),
  scheduledFor: z.iso.datetime({ offset: true }).optional(),
});

/** `Idempotency-Key` (optional): a client's name for one request, so a retry creates nothing new. */
export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, { message: '1 to 255 visible ASCII characters' })
    .optional(),
});

export const cancelSchema = z.object({ reason: z.string().trim().min(1).max(1000) });

const limit = z.coerce.number().int().min(1).max(100).default(50);

/** `GET /v1/requests`: open ones unless a status is given. */
export const requestListQuery = z.object({ status: z.enum(requestStatuses).optional(), limit });

/** `GET /v1/feedback`: the worklist, open cases unless a status is given. */
export const feedbackListQuery = z.object({
  status: z.enum(['open', 'resolved', 'closed']).default('open'),
  limit,
});

/** `GET /v1/surveys`: periodic surveys sent in at most a year of days; `answered=false` is whom to phone. */
export const periodicSurveyListQuery = dayRangeQuery(366, {
  answered: z.enum(['true', 'false']).optional(),
});

/** `GET /v1/reports/satisfaction`: two years at most, for it reads every survey and case in them. */
export const satisfactionReportQuery = dayRangeQuery(731, {
  format: z.enum(['json', 'csv']).default('json'),
});

/** `GET /v1/calendar`: at most a year of days. */
export const calendarQuery = dayRangeQuery(366, {});
