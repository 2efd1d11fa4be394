import { dueEscalation, escalationSchedule, type WatchedDeadline } from '../../domain/escalation-ladder.ts';
import type { Customer } from '../../domain/service-request.ts';
import { recordBreach } from '../adapters/breaches.ts';
import { sendOnce } from '../adapters/mailer.ts';
import type { TimelineEvent } from '../adapters/requests.ts';
import { signLink } from '../adapters/signed-links.ts';
import type { StoredTenant } from '../adapters/tenants.ts';
import { escalationEmail } from '../emails/escalation-email.ts';

/** A request or a feedback case, as the escalation ladder sees it. */
export interface EscalationSubject {
  tenantId: string;
  /** The request or feedback case id; its breaches are filed under it. */
  subjectId: string;
  contractId: string;
  assigneeId?: string;
  customer: Customer;
  customerWords: string;
  what: string;
  promise: string;
  escalationsTaken: readonly string[];
  /** What a recipient may do straight from the email: each a signed link in their name. */
  offers: readonly ('acknowledge' | 'takeOver')[];
}

/** Escalation links stay valid for a week: long enough for a weekend, short enough to matter. */
const ACTION_LINK_SECONDS = 7 * 24 * 3600;

/** The subject's offers as links signed in the recipient's name. */
async function actionLinks(subject: EscalationSubject, recipient: string, at: Date) {
  const expiresAt = Math.floor(at.getTime() / 1000) + ACTION_LINK_SECONDS;
  const links: { acknowledge?: string; takeOver?: string } = {};
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

/**
 * The one escalation mechanism (6.1.2, 7.2.1): takes the earliest due step of the tenant's
 * ladder for a watched deadline. Breach recorded once (conditional put), each recipient
 * emailed once (the mailer's key), the step marked taken once (the caller's conditional
 * update): a retried step repeats nothing. Returns whether a step was due, and the subject as
 * `markTaken` left it (undefined when another attempt had marked it first).
 */
export async function takeDueEscalation<T>(
  tenant: StoredTenant,
  subject: EscalationSubject,
  watched: WatchedDeadline,
  at: Date,
  markTaken: (key: string, event: TimelineEvent) => Promise<T | undefined>,
): Promise<{ due: boolean; updated?: T }> {
  const schedule = escalationSchedule(watched, tenant.escalationLadder, {
    hasAssignee: subject.assigneeId !== undefined,
  });
  const due = dueEscalation(schedule, new Set(subject.escalationsTaken), at);
  if (!due) return { due: false };
  const details = { promise: watched.promise, level: due.level, deadline: watched.deadline.toISOString() };

  if (due.level === 0 && at >= watched.deadline) {
    // Too late to warn: the deadline itself has passed and the ladder takes over.
    return {
      due: true,
      updated: await markTaken(due.key, {
        at: at.toISOString(),
        type: 'warning_skipped',
        actor: 'system',
        details,
      }),
    };
  }
  if (due.level >= 1) {
    await recordBreach(subject.tenantId, {
      promise: watched.promise,
      requestId: subject.subjectId,
      contractId: subject.contractId,
      deadline: watched.deadline.toISOString(),
    });
  }
  const assignee = tenant.staff.find((s) => s.staffId === subject.assigneeId);
  const recipients =
    due.level === 0
      ? assignee
        ? [assignee.email]
        : []
      : tenant.escalationLadder.levels[due.level - 1]!.recipients;
  for (const recipient of recipients) {
    const email = escalationEmail(
      {
        reference: subject.subjectId,
        what: subject.what,
        promise: subject.promise,
        deadline: watched.deadline,
        level: due.level,
        levelName: tenant.escalationLadder.levels[due.level - 1]?.name,
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
    await sendOnce(subject.tenantId, `escalation:${subject.subjectId}:${due.key}:${recipient}`, email);
  }
  const updated = await markTaken(due.key, {
    at: at.toISOString(),
    type: due.level === 0 ? 'deadline_approaching' : 'escalated',
    actor: 'system',
    details: { ...details, recipients },
  });
  return { due: true, updated };
}
