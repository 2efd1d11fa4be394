import { currentDeadline } from '#domain/deadlines.ts';
import { kindNames } from '#domain/kind-names.ts';
import { openRequestStatuses } from '#domain/request-status.ts';
import { isQualified, requiredSkill } from '#domain/skills.ts';
import { activeStaffMember } from '#domain/tenant.ts';
import { sendOnce } from '../adapters/mailer.ts';
import { getRequest, recordStep, type StoredRequest } from '../adapters/requests.ts';
import { consoleLinkOf } from '../adapters/signed-links.ts';
import type { StoredTenant } from '../adapters/tenants.ts';
import { assignedEmail, dispatchedEmail } from '../emails/staff-emails.ts';
import { ConflictError, ValidationError } from './errors.ts';
import { logger } from './logger.ts';
import { wakeRequest } from './watched-kinds.ts';

/**
 * Assignment (#37): a team lead gives an open request to a colleague who can do it (a technician
 * holds the skill its kind needs; an agent or manager can own any); taking it from someone who
 * holds it needs a reason. Conditional on the assignee read, so two assignments at once do not
 * both win. The colleague is emailed once (a retry of the same assignment sends nothing new).
 */
export async function assignRequest(
  tenant: StoredTenant,
  request: StoredRequest,
  input: { staffId: string; reason?: string; actor: string },
  at: Date,
): Promise<StoredRequest> {
  if (!(openRequestStatuses as readonly string[]).includes(request.status))
    throw new ConflictError(`Cannot assign a request that is ${request.status}`);
  const member = activeStaffMember(tenant.staff, input.staffId);
  if (!member)
    throw new ValidationError('No colleague of this tenant can take it', {
      staffId: ['not an enabled staff member of this tenant'],
    });
  const onlyTechnician = member.roles.every((role) => role === 'technician');
  if (onlyTechnician && !isQualified(member.skills, request.kind, tenant.requiredSkills)) {
    const skill = requiredSkill(request.kind, tenant.requiredSkills);
    throw new ValidationError(`${member.name} lacks the skill "${skill}" a ${request.kind} request needs`, {
      staffId: [`lacks required skill "${skill}"`],
    });
  }
  if (request.assigneeId === member.staffId) {
    await tellAssignee(tenant, request, input.actor);
    return request;
  }
  if (request.assigneeId && !input.reason?.trim())
    throw new ValidationError(`It is ${request.assigneeId}'s: say why it moves`, {
      reason: ['required to take a request from the colleague who holds it'],
    });
  const assigned = await recordStep(request.tenantId, request.requestId, {
    requireStatus: openRequestStatuses,
    expect: { assigneeId: request.assigneeId },
    fields: { assigneeId: member.staffId, assignedAt: at.toISOString(), assignedBy: input.actor },
    event: {
      at: at.toISOString(),
      type: 'assigned',
      actor: input.actor,
      details: {
        to: member.staffId,
        ...(request.assigneeId ? { from: request.assigneeId } : {}),
        ...(input.reason?.trim() ? { reason: input.reason.trim() } : {}),
      },
    },
  });
  if (!assigned) {
    const now = await getRequest(request.tenantId, request.requestId);
    throw new ConflictError(
      now?.assigneeId === member.staffId
        ? 'Assigned to them meanwhile'
        : `It changed meanwhile (now ${now?.assigneeId ?? 'no one'}'s, ${now?.status}): look again`,
    );
  }
  // Escalations follow the assignee: the lifecycle re-plans its warning.
  await wakeRequest(assigned);
  await tellAssignee(tenant, assigned, input.actor, input.reason);
  return assigned;
}

const nameOf = (tenant: StoredTenant, actor: string) =>
  tenant.staff.find((member) => member.staffId === actor)?.name ?? actor;

/**
 * The colleague is told, once per assignment (its time names it). A failed send is logged, not
 * an error: the assignment is recorded, and the same assignment again sends it then.
 */
async function tellAssignee(tenant: StoredTenant, request: StoredRequest, actor: string, reason?: string) {
  const member = request.assigneeId ? activeStaffMember(tenant.staff, request.assigneeId) : undefined;
  const { assignedAt } = request;
  if (!member || !assignedAt) return;
  const language = member.language ?? tenant.language;
  const due = currentDeadline(request.status, new Date(request.receivedAt), request.terms);
  await sendOrLog(tenant, `assigned:${request.requestId}:${member.staffId}:${assignedAt}`, () =>
    assignedEmail(
      member.email,
      {
        requestId: request.requestId,
        kind: kindNames[language][request.kind],
        customerName: request.customer?.name ?? '—',
        by: nameOf(tenant, actor),
        link: consoleLinkOf(request.requestId),
        timeZone: tenant.timeZone,
        reason,
        deadline: due?.deadline.toISOString(),
      },
      language,
    ),
  );
}

/** The dispatched technician is told: the appointment, the customer, the link (once per dispatch). */
export async function tellDispatchedTechnician(tenant: StoredTenant, request: StoredRequest): Promise<void> {
  const dispatch = request.dispatch;
  const member = dispatch ? activeStaffMember(tenant.staff, dispatch.technicianId) : undefined;
  if (!dispatch || !member) return;
  const language = member.language ?? tenant.language;
  await sendOrLog(tenant, `dispatched:${request.requestId}:${member.staffId}:${dispatch.dispatchedAt}`, () =>
    dispatchedEmail(
      member.email,
      {
        requestId: request.requestId,
        kind: kindNames[language][request.kind],
        customerName: request.customer?.name ?? '—',
        customerPhone: request.customer?.phone,
        description: request.description,
        by: nameOf(tenant, dispatch.dispatchedBy ?? ''),
        link: consoleLinkOf(request.requestId),
        timeZone: tenant.timeZone,
        mode: dispatch.mode,
        scheduledFor: dispatch.scheduledFor,
      },
      language,
    ),
  );
}

async function sendOrLog(tenant: StoredTenant, key: string, email: () => Parameters<typeof sendOnce>[2]) {
  try {
    await sendOnce(tenant, key, email());
  } catch (error) {
    logger.warn('Staff notification not sent', { tenantId: tenant.tenantId, key, error });
  }
}
