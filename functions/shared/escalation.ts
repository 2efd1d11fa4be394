import { keptLate } from '#domain/breach.ts';
import {
  dueEscalations,
  type EscalationPolicy,
  type EscalationStep,
  keysTakenWith,
  recipientAddresses,
  type WatchedDeadline,
} from '#domain/escalation-ladder.ts';
import type { Customer } from '#domain/service-request.ts';
import { recordBreach, recordBreachMet } from '../adapters/breaches.ts';
import { sendOnce } from '../adapters/mailer.ts';
import type { TimelineEvent } from '../adapters/requests.ts';
import { consoleLinkOf, signLink } from '../adapters/signed-links.ts';
import { policyOf, type StoredTenant } from '../adapters/tenants.ts';
import { escalationEmail } from '../emails/escalation-email.ts';

/** A request or a feedback case, as the escalation ladder sees it. */
export interface EscalationSubject {
  tenantId: string;
  /** The request or feedback case id; its breaches are filed under it. */
  subjectId: string;
  contractId: string;
  /** A request's contract version, stored with its breaches for the statement (10.1.1). */
  contractVersion?: number;
  assigneeId?: string;
  /** Undefined while a storefront's customer details are still being looked up. */
  customer?: Customer;
  customerWords: string;
  what: string;
  /** The promise a deadline stands for, in the managers' language. */
  promiseText: (promise: WatchedDeadline['promise']) => string;
  escalationsTaken: readonly string[];
  /** What a recipient may do straight from the email: each a signed link in their name. */
  offers: readonly ('acknowledge' | 'takeOver')[];
}

/**
 * Escalation links carry a week's expiry, but the action page honours an expired link for as
 * long as what it acts on is still open (functions/action-links): every reminder also brings
 * fresh ones.
 */
const ACTION_LINK_SECONDS = 7 * 24 * 3600;

/** The subject's offers as links signed in the recipient's name. */
async function actionLinks(subject: EscalationSubject, recipient: string, at: Date) {
  const expiresAt = Math.floor(at.getTime() / 1000) + ACTION_LINK_SECONDS;
  const links: { acknowledge?: string; takeOver?: string; console: string } = {
    console: consoleLinkOf(subject.subjectId),
  };
  for (const action of subject.offers)
    links[action] = await signLink({
      tenantId: subject.tenantId,
      requestId: subject.subjectId,
      action,
      actor: recipient,
      expiresAt,
    });
  return links;
}

type MarkTaken<T> = (keys: string[], event: TimelineEvent) => Promise<T | undefined>;

/**
 * The one escalation mechanism (6.1.2, 7.2.1): takes every step of the tenant's ladder that is
 * due for the subject's watched deadlines, in time order. Breach recorded once (conditional
 * put), each recipient emailed at least once and never twice in a row (the mailer's key), each
 * step marked taken once (the caller's conditional update) and only after its emails went: a
 * retried step repeats nothing that was done and skips nothing that was not. Returns the
 * subject as the last `markTaken` left it (undefined when nothing was due or another attempt
 * had marked it first).
 */
export async function takeDueEscalations<T>(
  tenant: StoredTenant,
  subject: EscalationSubject,
  watched: readonly WatchedDeadline[],
  at: Date,
  markTaken: MarkTaken<T>,
): Promise<{ due: number; updated?: T }> {
  const policy = policyOf(tenant);
  const steps = dueEscalations(watched, policy, subject, at);
  let updated: T | undefined;
  for (const step of steps)
    updated = (await takeStep(tenant, policy, subject, step, at, markTaken)) ?? updated;
  return { due: steps.length, updated };
}

async function takeStep<T>(
  tenant: StoredTenant,
  policy: EscalationPolicy,
  subject: EscalationSubject,
  step: EscalationStep,
  at: Date,
  markTaken: MarkTaken<T>,
): Promise<T | undefined> {
  const { watched } = step;
  const details = { promise: watched.promise, level: step.level, deadline: watched.deadline.toISOString() };
  const event = (type: string, extra: Record<string, unknown> = {}): TimelineEvent => ({
    at: at.toISOString(),
    type,
    actor: 'system',
    details: { ...details, ...extra },
  });
  const keys = keysTakenWith(step, policy, at);

  if (step.kind === 'warning' && at > watched.deadline) {
    // Too late to warn: the deadline itself has passed and the ladder takes over.
    return markTaken(keys, event('warning_skipped'));
  }
  if (step.kind !== 'warning') {
    await recordBreach(subject.tenantId, {
      promise: watched.promise,
      requestId: subject.subjectId,
      contractId: subject.contractId,
      ...(subject.contractVersion !== undefined ? { contractVersion: subject.contractVersion } : {}),
      deadline: watched.deadline.toISOString(),
    });
  }
  if (step.kind === 'breach') return markTaken(keys, event('deadline_missed'));

  const assignee = tenant.staff.find((s) => s.staffId === subject.assigneeId);
  const recipients =
    step.kind === 'warning'
      ? assignee
        ? [assignee.email]
        : []
      : recipientAddresses(policy.ladder.levels[step.level - 1]!.recipients, tenant.staff);
  const rejected: string[] = [];
  for (const recipient of recipients) {
    const email = escalationEmail(
      {
        reference: subject.subjectId,
        what: subject.what,
        promise: subject.promiseText(watched.promise),
        deadline: watched.deadline,
        level: step.level,
        reminder: step.kind === 'reminder',
        levelName: policy.ladder.levels[step.level - 1]?.name,
        assigneeName: assignee?.name,
        customer: subject.customer,
        customerWords: subject.customerWords,
        now: at,
        actions: await actionLinks(subject, recipient, at),
        language: tenant.language,
        timeZone: tenant.timeZone,
      },
      [recipient],
    );
    const outcome = await sendOnce(tenant, `escalation:${subject.subjectId}:${step.key}:${recipient}`, email);
    if (!outcome.sent && outcome.reason === 'rejected') rejected.push(recipient);
  }
  const type = { warning: 'deadline_approaching', level: 'escalated', reminder: 'reminded' }[step.kind];
  return markTaken(keys, event(type, { recipients, ...(rejected.length > 0 ? { rejected } : {}) }));
}

/**
 * A watched promise was kept at `keptAt`: if that was after its deadline, its breach is met
 * then (and recorded, if no escalation step had yet); on time leaves no trace in the ledger.
 */
export async function promiseKept(
  subject: Pick<EscalationSubject, 'tenantId' | 'subjectId' | 'contractId' | 'contractVersion'>,
  promise: WatchedDeadline['promise'],
  deadline: Date,
  keptAt: string,
): Promise<void> {
  if (!keptLate(deadline, new Date(keptAt))) return;
  await recordBreachMet(subject.tenantId, {
    promise,
    requestId: subject.subjectId,
    contractId: subject.contractId,
    ...(subject.contractVersion !== undefined ? { contractVersion: subject.contractVersion } : {}),
    deadline: deadline.toISOString(),
    metAt: keptAt,
  });
}
