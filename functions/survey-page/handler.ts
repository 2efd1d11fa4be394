import type { Language } from '#domain/service-request.ts';
import { surveyFormSchema } from '#domain/survey.ts';
import { now } from '../adapters/clock.ts';
import { getPeriodicSurvey, isPeriodicSurveyId } from '../adapters/periodic-surveys.ts';
import { getRequest } from '../adapters/requests.ts';
import { verifyLinkToken } from '../adapters/signed-links.ts';
import { getTenant } from '../adapters/tenants.ts';
import { type ContextOf, type OperationId, serveRoutes } from '../http/router.ts';
import { digestOf } from '../shared/digests.ts';
import { isTransientAwsError } from '../shared/errors.ts';
import { type HttpResult, html } from '../shared/http.ts';
import { logger } from '../shared/logger.ts';
import { recordPeriodicSurveyAnswer, recordSurveyAnswer } from '../shared/survey-answers.ts';
import { messagePage, surveyPage } from './page.ts';
import { surveyPageRoutes } from './routes.ts';

type Context<Id extends OperationId<typeof surveyPageRoutes>> = ContextOf<typeof surveyPageRoutes, Id>;

/** `GET/POST /s/{token}`: the customer's survey page, reached from the service-record email (7.1.2). */
async function handle({
  event,
  params,
  query,
  form,
}: Context<'showSurvey' | 'answerSurvey'>): Promise<HttpResult> {
  const at = now();
  const requested: Language | undefined = query.lang;
  const check = await verifyLinkToken(params.token!, at);
  const fallback = requested ?? 'zh-CN';
  if (!check.ok)
    return html(
      check.reason === 'expired' ? 410 : 404,
      messagePage(fallback, check.reason === 'expired' ? 'expired' : 'invalid'),
    );
  if (check.claims.action !== 'survey') return html(404, messagePage(fallback, 'invalid'));
  const [tenant, subject] = await Promise.all([
    getTenant(check.claims.tenantId),
    surveySubject(check.claims.tenantId, check.claims.requestId),
  ]);
  if (!subject || !tenant || tenant.suspendedAt) return html(404, messagePage(fallback, 'invalid'));
  const language = requested ?? subject.survey.language;
  if (event.requestContext.http.method === 'GET') {
    if (subject.survey.answeredAt) return html(409, messagePage(language, 'answered'));
    if (at >= new Date(subject.survey.expiresAt)) return html(410, messagePage(language, 'expired'));
    return html(200, surveyPage(language));
  }

  const values = form;
  const parsed = surveyFormSchema.safeParse(values);
  if (!parsed.success) {
    const errors = Object.fromEntries(
      parsed.error.issues.map((issue) => [
        String(issue.path[0]),
        language === 'zh-CN' ? '请选择一个分数' : 'Please choose a score',
      ]),
    );
    return html(422, surveyPage(language, { values, errors }));
  }
  const by = subject.customer ? `customer:${subject.customer.email}` : 'customer';
  // Even when it was answered before: a submit retried after a failure makes sure of the
  // answer's feedback case and wake-up (functions/shared/survey-answers.ts).
  let outcome: Awaited<ReturnType<typeof recordSurveyAnswer>>;
  try {
    outcome =
      subject.kind === 'request'
        ? await recordSurveyAnswer(tenant, subject.request, parsed.data, { channel: 'web', by }, at)
        : await recordPeriodicSurveyAnswer(tenant, subject.periodic, parsed.data, { channel: 'web', by }, at);
  } catch (error) {
    if (!isTransientAwsError(error)) throw error;
    logger.warn('Survey answer not finished; the customer is asked to submit again', { error });
    return html(503, messagePage(language, 'unavailable'));
  }
  if (outcome === 'already-answered') {
    // The same answer submitted again (a retry after a failure, a second tap) is thanked as the
    // first was: it is what was recorded (#34). A different one is told the survey is answered.
    const recorded = (await surveySubject(check.claims.tenantId, check.claims.requestId))?.survey.answer;
    const same = recorded !== undefined && digestOf(recorded) === digestOf(parsed.data);
    return same ? html(200, messagePage(language, 'thanks')) : html(409, messagePage(language, 'answered'));
  }
  if (outcome === 'expired') return html(410, messagePage(language, 'expired'));
  return html(200, messagePage(language, 'thanks'));
}

/** A survey link names a request (its survey after the service record) or a periodic survey. */
async function surveySubject(tenantId: string, id: string) {
  if (isPeriodicSurveyId(id)) {
    const periodic = await getPeriodicSurvey(tenantId, id);
    return periodic
      ? { kind: 'periodic' as const, periodic, survey: periodic, customer: periodic.customer }
      : undefined;
  }
  const request = await getRequest(tenantId, id);
  return request?.survey
    ? { kind: 'request' as const, request, survey: request.survey, customer: request.customer }
    : undefined;
}

export const handler = serveRoutes('surveyPage', surveyPageRoutes, {
  showSurvey: handle,
  answerSurvey: handle,
});
