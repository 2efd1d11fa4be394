import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { watchedFeedbackDeadline } from '#domain/feedback-case.ts';
import { now } from '../adapters/clock.ts';
import { getFeedbackCase, recordFeedbackStep, type StoredFeedbackCase } from '../adapters/feedback-cases.ts';
import { sendOnce } from '../adapters/mailer.ts';
import type { StoredTenant } from '../adapters/tenants.ts';
import { feedbackCategoryName, feedbackPromiseText, feedbackResultEmail } from '../emails/feedback-emails.ts';
import { burstSteps } from '../shared/burst-steps.ts';
import { customerVoice } from '../shared/confirm-need.ts';
import { transientAwsErrors } from '../shared/errors.ts';
import { promiseKept, takeDueEscalations } from '../shared/escalation.ts';
import { logger } from '../shared/logger.ts';
import { watchedFeedback } from '../shared/watched-kinds.ts';

type Loaded = { subject: StoredFeedbackCase; tenant: StoredTenant };

const routed = (feedback: StoredFeedbackCase, tenant: StoredTenant) =>
  watchedFeedback.route(feedback, tenant, now());

/** The case again after a write that lost to another attempt's. */
const reload = async (feedback: StoredFeedbackCase) =>
  (await getFeedbackCase(feedback.tenantId, feedback.feedbackId)) ?? feedback;

const steps = {
  async escalate({ subject: feedback, tenant }: Loaded) {
    const { tenantId, feedbackId } = feedback;
    if (feedback.status !== 'open') return routed(feedback, tenant);
    const { due, updated } = await takeDueEscalations(
      tenant,
      {
        tenantId,
        subjectId: feedbackId,
        contractId: feedback.contractId,
        assigneeId: feedback.assigneeId,
        customer: feedback.customer,
        customerWords: feedback.content,
        what: feedbackCategoryName(tenant.language, feedback.category),
        promiseText: () => feedbackPromiseText(tenant.language, feedback.workingDays),
        escalationsTaken: feedback.escalationsTaken,
        offers: ['takeOver'],
      },
      [watchedFeedbackDeadline(feedback)],
      now(),
      (keys, event) => recordFeedbackStep(tenantId, feedbackId, { onceEscalation: keys, event }),
    );
    return routed(due > 0 ? (updated ?? (await reload(feedback))) : feedback, tenant);
  },

  /** 7.2.1: the customer is told the result; a feedback breach is met now. */
  async notifyCustomer({ subject: feedback, tenant }: Loaded) {
    const { tenantId, feedbackId } = feedback;
    if (feedback.resultSent || !feedback.resolution) return routed(feedback, tenant);
    const outcome = await sendOnce(
      tenant,
      `feedback-result:${feedbackId}`,
      feedbackResultEmail(feedback, customerVoice(feedback, tenant)),
    );
    await promiseKept(
      { tenantId, subjectId: feedbackId, contractId: feedback.contractId },
      'feedback',
      new Date(feedback.dueAt),
      feedback.resolution.resolvedAt,
    );
    const updated = await recordFeedbackStep(tenantId, feedbackId, {
      onceFlag: 'resultSent',
      event: {
        at: now().toISOString(),
        type: 'result_sent_to_customer',
        actor: 'system',
        details: {
          to: feedback.customer.email,
          ...(!outcome.sent && outcome.reason === 'rejected' ? { emailRejected: outcome.detail } : {}),
        },
      },
    });
    return routed(updated ?? (await reload(feedback)), tenant);
  },

  async close({ subject: feedback, tenant }: Loaded) {
    const closed = await recordFeedbackStep(feedback.tenantId, feedback.feedbackId, {
      requireStatus: ['resolved'],
      fields: { status: 'closed', closedAt: now().toISOString() },
      event: { at: now().toISOString(), type: 'closed', actor: 'system' },
    });
    return routed(closed ?? (await reload(feedback)), tenant);
  },
};

/** Claim and park are the mechanism's (functions/shared/watched-subject.ts); the steps above, a case's own. */
const runStep = burstSteps(watchedFeedback, 'feedbackId', steps);

export const handler = middy().use(injectLambdaContext(logger)).use(transientAwsErrors()).handler(runStep);
