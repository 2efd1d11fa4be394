import type { Customer, Language } from '#domain/service-request.ts';
import type { SurveyAnswer } from '#domain/survey.ts';
import { applyStep, getItem, putNew, queryAll, queryPage, withoutKeys } from './table.ts';

/** A satisfaction survey sent to a customer on the tenant's schedule, not after a request (7.1.1). */
export interface PeriodicSurvey {
  tenantId: string;
  surveyId: string;
  customer: Customer;
  language: Language;
  invitedAt: string;
  reminderAt: string;
  expiresAt: string;
  remindedAt?: string;
  answer?: SurveyAnswer;
  answeredAt?: string;
  answeredVia?: 'web' | 'phone';
  answeredBy?: string;
  /** SES refused the invitation for good: staff reach the customer by phone instead (7.1.2). */
  emailRejected?: string;
}

/** Periodic survey ids start with `ps_`; a request's survey is named by its request (`sr_…`). */
export const isPeriodicSurveyId = (id: string) => id.startsWith('ps_');

export const periodicSurveyKey = (tenantId: string, surveyId: string) => ({
  pk: `TENANT#${tenantId}#SURVEY#${surveyId}`,
  sk: 'SURVEY',
});
const indexKey = (tenantId: string) => `TENANT#${tenantId}#PERIODIC-SURVEYS`;

const strip = (item: PeriodicSurvey & Record<string, unknown>): PeriodicSurvey => withoutKeys(item);

export async function insertPeriodicSurvey(survey: PeriodicSurvey): Promise<boolean> {
  return putNew({
    ...periodicSurveyKey(survey.tenantId, survey.surveyId),
    gsi2pk: indexKey(survey.tenantId),
    gsi2sk: `${survey.invitedAt}#${survey.surveyId}`,
    ...survey,
  });
}

export async function getPeriodicSurvey(
  tenantId: string,
  surveyId: string,
): Promise<PeriodicSurvey | undefined> {
  const item = await getItem<PeriodicSurvey & Record<string, unknown>>(periodicSurveyKey(tenantId, surveyId));
  return item ? strip(item) : undefined;
}

/** Records the answer once; undefined when it was already answered (or has expired). */
export async function answerPeriodicSurvey(
  tenantId: string,
  surveyId: string,
  answer: SurveyAnswer,
  via: { channel: 'web' | 'phone'; by: string },
  at: Date,
) {
  const updated = await applyStep<PeriodicSurvey & Record<string, unknown>>(
    periodicSurveyKey(tenantId, surveyId),
    {
      fields: { answer, answeredAt: at.toISOString(), answeredVia: via.channel, answeredBy: via.by },
      extraCondition: 'attribute_not_exists(answeredAt)',
    },
  );
  return updated ? strip(updated) : undefined;
}

export async function markPeriodicSurveyEmailRejected(
  tenantId: string,
  surveyId: string,
  detail: string,
): Promise<void> {
  await applyStep(periodicSurveyKey(tenantId, surveyId), { fields: { emailRejected: detail } });
}

export async function markPeriodicSurveyReminded(
  tenantId: string,
  surveyId: string,
  at: Date,
): Promise<boolean> {
  const updated = await applyStep(periodicSurveyKey(tenantId, surveyId), {
    fields: { remindedAt: at.toISOString() },
    extraCondition: 'attribute_not_exists(remindedAt) AND attribute_not_exists(answeredAt)',
  });
  return updated !== undefined;
}

/** A page of the periodic surveys sent in [from, to), optionally only answered or unanswered ones. */
export async function periodicSurveysPage(
  tenantId: string,
  range: { from: string; to: string; answered?: boolean },
  page: { limit: number; cursor?: string },
): Promise<{ items: PeriodicSurvey[]; nextCursor?: string }> {
  const filter =
    range.answered === undefined
      ? {}
      : {
          FilterExpression: range.answered
            ? 'attribute_exists(answeredAt)'
            : 'attribute_not_exists(answeredAt)',
        };
  const { items, nextCursor } = await queryPage<PeriodicSurvey & Record<string, unknown>>(
    {
      IndexName: 'byTime',
      // [from, to): the sort key is `<invitedAt>#<id>`, so `to` itself sorts after every id of it.
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': indexKey(tenantId), ':from': range.from, ':to': range.to },
      ...filter,
    },
    { ...page, partition: { attribute: 'gsi2pk', value: indexKey(tenantId) } },
  );
  return { items: items.map(strip).filter((s) => s.invitedAt < range.to), nextCursor };
}

/** Periodic surveys sent in [from, to). */
export async function periodicSurveysBetween(
  tenantId: string,
  from: string,
  to: string,
): Promise<PeriodicSurvey[]> {
  const items = await queryAll<PeriodicSurvey & Record<string, unknown>>({
    IndexName: 'byTime',
    KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': indexKey(tenantId), ':from': from, ':to': to },
  });
  return items.map(strip).filter((s) => s.invitedAt < to);
}
