import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import { reportCsv, satisfactionReport } from '../../domain/satisfaction-report.ts';
import { startOfLocalDay } from '../../domain/working-calendar.ts';
import { now } from '../adapters/clock.ts';
import { feedbackCasesBetween } from '../adapters/feedback-cases.ts';
import { periodicSurveysBetween } from '../adapters/periodic-surveys.ts';
import { requestsWithSurveys } from '../adapters/requests.ts';
import { getTenant } from '../adapters/tenants.ts';
import { DomainError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { callerOf, type HttpEvent, type HttpResult, httpErrors, json, parseQuery } from '../shared/http.ts';
import { logger } from '../shared/logger.ts';

const querySchema = z
  .object({
    /** First and last day (inclusive), in the tenant's calendar. */
    from: z.iso.date(),
    to: z.iso.date(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] });

/** `GET /v1/reports/satisfaction?from&to[&format=csv]` (7.2.2), for managers and admins. */
async function report(event: HttpEvent): Promise<HttpResult> {
  const caller = callerOf(event);
  if (caller.role === 'agent') throw new DomainError(403, 'Forbidden', 'Reports are for managers and admins');
  const query = parseQuery(event, querySchema);
  const tenant = await getTenant(caller.tenantId);
  if (!tenant) throw new NotFoundError('tenant');
  const from = startOfLocalDay(tenant.timeZone, query.from).toISOString();
  const dayAfter = new Date(Date.parse(`${query.to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const to = startOfLocalDay(tenant.timeZone, dayAfter).toISOString();
  if (Date.parse(to) - Date.parse(from) > 366 * 86_400_000 * 2)
    throw new ValidationError('At most two years at a time', { to: ['at most two years after from'] });

  const [requests, periodic, feedback] = await Promise.all([
    requestsWithSurveys(caller.tenantId, from, to),
    periodicSurveysBetween(caller.tenantId, from, to),
    feedbackCasesBetween(caller.tenantId, from, to),
  ]);
  const { rows, changes } = satisfactionReport(
    [
      ...requests.map((r) => ({ kind: r.kind, invitedAt: r.survey!.invitedAt, answer: r.survey!.answer })),
      // 7.1.1: surveys sent on the tenant's schedule, not after a request.
      ...periodic.map((s) => ({ kind: 'periodic', invitedAt: s.invitedAt, answer: s.answer })),
    ],
    feedback.map((f) => ({
      feedbackId: f.feedbackId,
      kind: f.requestKind,
      receivedAt: f.receivedAt,
      dueAt: f.dueAt,
      resolvedAt: f.resolution?.resolvedAt,
      changes: f.resolution?.changes,
    })),
    tenant.timeZone,
    now(),
  );
  if (query.format === 'csv') {
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="satisfaction-${query.from}-${query.to}.csv"`,
      },
      body: reportCsv(rows),
    };
  }
  return json(200, { from: query.from, to: query.to, timeZone: tenant.timeZone, rows, changes });
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(injectLambdaContext(logger))
  .use(httpErrors())
  .handler(report);
