import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { reportCsv, satisfactionReport } from '../../domain/satisfaction-report.ts';
import { now } from '../adapters/clock.ts';
import { feedbackFactsBetween } from '../adapters/feedback-cases.ts';
import { periodicSurveysBetween } from '../adapters/periodic-surveys.ts';
import { requestSurveysBetween } from '../adapters/requests.ts';
import { getTenant } from '../adapters/tenants.ts';
import { satisfactionReportQuery } from '../shared/api-schemas.ts';
import { instantsOfDays } from '../shared/day-range.ts';
import { DomainError, NotFoundError } from '../shared/errors.ts';
import { callerOf, type HttpEvent, type HttpResult, httpErrors, json, parseQuery } from '../shared/http.ts';
import { logger } from '../shared/logger.ts';

/** `GET /v1/reports/satisfaction?from&to[&format=csv]` (7.2.2), for managers and admins. */
async function report(event: HttpEvent): Promise<HttpResult> {
  const caller = callerOf(event);
  if (caller.role === 'agent') throw new DomainError(403, 'Forbidden', 'Reports are for managers and admins');
  const query = parseQuery(event, satisfactionReportQuery);
  const tenant = await getTenant(caller.tenantId);
  if (!tenant) throw new NotFoundError('tenant');
  const { from, to } = instantsOfDays(tenant.timeZone, query.from, query.to);

  const [requestSurveys, periodic, feedback] = await Promise.all([
    requestSurveysBetween(caller.tenantId, from, to),
    periodicSurveysBetween(caller.tenantId, from, to),
    feedbackFactsBetween(caller.tenantId, from, to),
  ]);
  const { rows, changes } = satisfactionReport(
    [
      ...requestSurveys,
      // 7.1.1: surveys sent on the tenant's schedule, not after a request.
      ...periodic.map((s) => ({ kind: 'periodic', invitedAt: s.invitedAt, answer: s.answer })),
    ],
    feedback,
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
