import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { watchedFeedbackDeadline } from '../../domain/feedback-case.ts';
import * as z from '../../domain/zod.ts';
import { now } from '../adapters/clock.ts';
import { getFeedbackCase, recordFeedbackStep, type StoredFeedbackCase } from '../adapters/feedback-cases.ts';
import { watchAfterTimer } from '../adapters/lifecycle-watch.ts';
import { sendOnce } from '../adapters/mailer.ts';
import { getTenant, type StoredTenant } from '../adapters/tenants.ts';
import { resumeWaitingWorkflow } from '../adapters/workflows.ts';
import { feedbackCategoryName, feedbackPromiseText, feedbackResultEmail } from '../emails/feedback-emails.ts';
import { customerVoice } from '../shared/confirm-need.ts';
import { NotFoundError, transientAwsErrors } from '../shared/errors.ts';
import { promiseKept, takeDueEscalations } from '../shared/escalation.ts';
import { type RoutedFeedback, routeOfFeedback } from '../shared/feedback-intake.ts';
import { logger } from '../shared/logger.ts';

/** The input each Task state of workflows/feedback-case passes. */
const stepInputSchema = z.discriminatedUnion('step', [
  z.object({
    step: z.enum(['resume', 'escalate', 'notifyCustomer', 'close']),
    tenantId: z.string(),
    feedbackId: z.string(),
  }),
  z.object({
    step: z.literal('awaitCallback'),
    awaiting: z.literal('resolution'),
    tenantId: z.string(),
    feedbackId: z.string(),
    waitSeconds: z.number().check(z.nonnegative()),
    taskToken: z.string().check(z.minLength(1)),
  }),
]);

async function load(
  tenantId: string,
  feedbackId: string,
): Promise<{ feedback: StoredFeedbackCase; tenant: StoredTenant }> {
  const [feedback, tenant] = await Promise.all([getFeedbackCase(tenantId, feedbackId), getTenant(tenantId)]);
  if (!feedback || !tenant) throw new NotFoundError(`feedback case ${tenantId}/${feedbackId}`);
  return { feedback, tenant };
}

const steps = {
  async resume({ tenantId, feedbackId }: { tenantId: string; feedbackId: string }) {
    const { feedback, tenant } = await load(tenantId, feedbackId);
    return routeOfFeedback(feedback, tenant, now());
  },

  async awaitCallback({
    tenantId,
    feedbackId,
    waitSeconds,
    taskToken,
  }: {
    tenantId: string;
    feedbackId: string;
    waitSeconds: number;
    taskToken: string;
  }) {
    const stored = await recordFeedbackStep(tenantId, feedbackId, {
      requireStatus: ['open'],
      fields: {
        callbackToken: taskToken,
        ...watchAfterTimer(tenantId, 'feedback', feedbackId, now(), waitSeconds),
      },
    });
    if (!stored) {
      const { feedback, tenant } = await load(tenantId, feedbackId);
      await resumeWaitingWorkflow(taskToken, routeOfFeedback(feedback, tenant, now()));
    }
    return { tenantId, feedbackId };
  },

  async escalate({ tenantId, feedbackId }: { tenantId: string; feedbackId: string }) {
    const { feedback, tenant } = await load(tenantId, feedbackId);
    if (feedback.status !== 'open') return routeOfFeedback(feedback, tenant, now());
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
    const current =
      due > 0 ? (updated ?? (await getFeedbackCase(tenantId, feedbackId)) ?? feedback) : feedback;
    return routeOfFeedback(current, tenant, now());
  },

  /** 7.2.1: the customer is told the result; a feedback breach is met now. */
  async notifyCustomer({ tenantId, feedbackId }: { tenantId: string; feedbackId: string }) {
    const { feedback, tenant } = await load(tenantId, feedbackId);
    if (feedback.resultSent || !feedback.resolution) return { tenantId, feedbackId };
    const outcome = await sendOnce(
      tenantId,
      `feedback-result:${feedbackId}`,
      feedbackResultEmail(feedback, customerVoice(feedback, tenant)),
    );
    await promiseKept(
      { tenantId, subjectId: feedbackId, contractId: feedback.contractId },
      'feedback',
      new Date(feedback.dueAt),
      feedback.resolution.resolvedAt,
    );
    await recordFeedbackStep(tenantId, feedbackId, {
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
    return { tenantId, feedbackId };
  },

  async close({ tenantId, feedbackId }: { tenantId: string; feedbackId: string }) {
    await recordFeedbackStep(tenantId, feedbackId, {
      requireStatus: ['resolved'],
      fields: { status: 'closed', closedAt: now().toISOString() },
      event: { at: now().toISOString(), type: 'closed', actor: 'system' },
    });
    return { tenantId, feedbackId };
  },
};

async function runStep(event: unknown): Promise<RoutedFeedback> {
  const input = stepInputSchema.parse(event);
  return input.step === 'awaitCallback' ? steps.awaitCallback(input) : steps[input.step](input);
}

export const handler = middy<unknown, RoutedFeedback>()
  .use(injectLambdaContext(logger))
  .use(transientAwsErrors())
  .handler(runStep);
