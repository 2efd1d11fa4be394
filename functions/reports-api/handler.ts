import { DEFAULT_CONTRACT_ID } from '#domain/contract.ts';
import { promiseCsv, promiseReport } from '#domain/promise-report.ts';
import { reportCsv, satisfactionReport } from '#domain/satisfaction-report.ts';
import { breachesBetween } from '../adapters/breaches.ts';
import { now } from '../adapters/clock.ts';
import { contractsOfTenant } from '../adapters/contracts.ts';
import { feedbackFactsBetween } from '../adapters/feedback-cases.ts';
import { periodicSurveysBetween } from '../adapters/periodic-surveys.ts';
import { requestFactsBetween, requestSurveysBetween } from '../adapters/requests.ts';
import type { StoredTenant } from '../adapters/tenants.ts';
import { type ContextOf, type OperationId, serveRoutes } from '../http/router.ts';
import { tenantOf } from '../shared/caller.ts';
import { instantsOfDays } from '../shared/day-range.ts';
import { NotFoundError } from '../shared/errors.ts';
import { csvDownload, type HttpResult, html, json } from '../shared/http.ts';
import { reportsApiRoutes } from './routes.ts';
import { contractStatement, statementCsv, statementPage } from './statement.ts';

type Context<Id extends OperationId<typeof reportsApiRoutes>> = ContextOf<typeof reportsApiRoutes, Id>;

/** Satisfaction (7.2.2): surveys after requests and on the tenant's schedule, and feedback handled. */
async function satisfactionOf(tenant: StoredTenant, from: string, to: string) {
  const [requestSurveys, periodic, feedback] = await Promise.all([
    requestSurveysBetween(tenant.tenantId, from, to),
    periodicSurveysBetween(tenant.tenantId, from, to),
    feedbackFactsBetween(tenant.tenantId, from, to),
  ]);
  return satisfactionReport(
    [
      ...requestSurveys,
      // 7.1.1: surveys sent on the tenant's schedule, not after a request.
      ...periodic.map((s) => ({ kind: 'periodic', invitedAt: s.invitedAt, answer: s.answer })),
    ],
    feedback,
    tenant.timeZone,
    now(),
  );
}

/** The promises (5.1.1, 7.2.1): on-time rates from the requests, breaches as recorded. */
async function promisesOf(tenant: StoredTenant, from: string, to: string) {
  const [requests, contracts] = await Promise.all([
    requestFactsBetween(tenant.tenantId, from, to),
    contractsOfTenant(tenant.tenantId),
  ]);
  const breaches = await breachesBetween(
    tenant.tenantId,
    [DEFAULT_CONTRACT_ID, ...contracts.keys()],
    from,
    to,
  );
  return promiseReport(requests, breaches, tenant.timeZone, now());
}

/** `GET /v1/reports/satisfaction?from&to[&format=csv[&table=promises]]` (7.2.2), for managers and admins. */
async function report({ query, caller }: Context<'satisfactionReport'>): Promise<HttpResult> {
  const tenant = await tenantOf(caller);
  const { from, to } = instantsOfDays(tenant.timeZone, query.from, query.to);
  // A CSV is one table: only what it shows is read.
  if (query.format === 'csv' && query.table === 'rows')
    return csvDownload(
      `satisfaction-${query.from}-${query.to}.csv`,
      reportCsv((await satisfactionOf(tenant, from, to)).rows),
    );
  if (query.format === 'csv')
    return csvDownload(
      `promises-${query.from}-${query.to}.csv`,
      promiseCsv(await promisesOf(tenant, from, to)),
    );
  const [{ rows, changes }, promises] = await Promise.all([
    satisfactionOf(tenant, from, to),
    promisesOf(tenant, from, to),
  ]);
  return json(200, { from: query.from, to: query.to, timeZone: tenant.timeZone, rows, promises, changes });
}

/** `GET /v1/contracts/{id}/statement?from&to[&format=csv]` (10.1.1), for managers and admins. */
async function statement({ params, query, caller }: Context<'contractStatement'>): Promise<HttpResult> {
  const tenant = await tenantOf(caller);
  const period = {
    ...instantsOfDays(tenant.timeZone, query.from, query.to),
    timeZone: tenant.timeZone,
    lastDay: query.to,
  };
  const found = await contractStatement(caller.tenantId, params.contractId!, period, now());
  if (!found) throw new NotFoundError(`contract ${params.contractId}`);
  if (query.format === 'html')
    return html(200, statementPage(found, { ...period, from: query.from, to: query.to }));
  if (query.format === 'csv')
    return csvDownload(
      `statement-${found.contractNumber}-${query.from}-${query.to}.csv`,
      statementCsv(found),
    );
  return json(200, { ...found, from: query.from, to: query.to, timeZone: tenant.timeZone });
}

export const handler = serveRoutes('reportsApi', reportsApiRoutes, {
  satisfactionReport: report,
  contractStatement: statement,
});
