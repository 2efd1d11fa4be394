import { randomBytes } from 'node:crypto';
import type { StaffMember, TenantSettings } from '#domain/tenant.ts';
import { now } from '../adapters/clock.ts';
import { config } from '../adapters/config.ts';
import { sendOnce } from '../adapters/mailer.ts';
import { createStaffLogin, setStaffLoginEnabled } from '../adapters/staff-directory.ts';
import { getTenant, type StoredTenant, saveTenantSettings } from '../adapters/tenants.ts';
import { staffInvitationEmail } from '../emails/staff-emails.ts';
import type { ContextOf, OperationId } from '../http/router.ts';
import { ConflictError, NotFoundError } from '../shared/errors.ts';
import { type Caller, type HttpResult, json } from '../shared/http.ts';
import type { peopleApiRoutes } from './routes.ts';

/**
 * Admins add, invite again, disable and enable staff (#15). The tenant's staff list is the
 * truth (roles, skills, disabled or not; the authorizer reads it at every call); each member's
 * sign-in is a Cognito user named by their email (functions/adapters/staff-directory.ts).
 */
type Context<Id extends OperationId<typeof peopleApiRoutes>> = ContextOf<typeof peopleApiRoutes, Id>;

/** A temporary password the pool's policy takes (12+ characters, every class). */
const temporaryPassword = () => `Tmp-${randomBytes(9).toString('base64url')}-7k`;

/**
 * Applies a change to the staff list on the settings as they are now (a concurrent change to
 * the settings is read again, not lost); the change throws to refuse.
 */
async function changeStaff(
  tenantId: string,
  change: (staff: StaffMember[]) => StaffMember[],
): Promise<StoredTenant> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const tenant = await getTenant(tenantId, { consistent: true });
    if (!tenant) throw new NotFoundError(`tenant ${tenantId}`);
    const { tenantId: _id, createdAt: _at, settingsVersion: _v, ...settings } = tenant;
    const next: TenantSettings = { ...settings, staff: change(tenant.staff) };
    const saved = await saveTenantSettings(tenant, next);
    if (saved) return saved;
  }
  throw new ConflictError('The settings kept changing while this change was applied: try again');
}

/**
 * Gives the member a sign-in (or a new temporary password), emails it in the tenant's language,
 * then records that it went out (`invitedAt`): until then a retry of the same invitation goes on.
 */
async function sendInvitation(tenant: StoredTenant, member: StaffMember): Promise<StaffMember> {
  const password = temporaryPassword();
  await createStaffLogin(tenant.tenantId, member, { temporary: password });
  await sendOnce(
    tenant,
    // Each invitation its own email (each a new password, the last one valid); a retried send of one, once.
    `staff-invitation:${member.staffId}:${randomBytes(8).toString('hex')}`,
    staffInvitationEmail(member.email, {
      language: member.language ?? tenant.language,
      merchant: tenant.name,
      name: member.name,
      consoleUrl: `${config().PUBLIC_BASE_URL}/console/`,
      temporaryPassword: password,
    }),
  );
  const invitedAt = now().toISOString();
  await changeStaff(tenant.tenantId, (staff) =>
    staff.map((s) => (s.staffId === member.staffId ? { ...s, invitedAt } : s)),
  );
  return { ...member, invitedAt };
}

/**
 * `POST /v1/staff`: a new member on the list, invited by email. The list is written first: a
 * retry after a failure before the invitation went out (same id and email, never invited) goes
 * on with the member as listed instead of answering 409.
 */
export async function inviteStaff({ body, caller }: Context<'inviteStaff'>): Promise<HttpResult> {
  let member: StaffMember = { ...body, skills: body.skills ?? [] };
  const sameEmail = (s: StaffMember) => s.email.toLowerCase() === member.email.toLowerCase();
  const tenant = await changeStaff(caller.tenantId, (staff) => {
    const listed = staff.find((s) => s.staffId === member.staffId);
    if (listed && sameEmail(listed) && !listed.invitedAt) {
      member = listed;
      return staff;
    }
    if (listed) throw new ConflictError(`A staff member ${member.staffId} exists already`);
    if (staff.some(sameEmail)) throw new ConflictError(`A staff member with ${member.email} exists already`);
    return [...staff, member];
  });
  return json(201, await sendInvitation(tenant, member));
}

const memberOf = (tenant: StoredTenant, staffId: string) => {
  const member = tenant.staff.find((s) => s.staffId === staffId);
  if (!member) throw new NotFoundError(`staff member ${staffId}`);
  return member;
};

/** `POST /v1/staff/{staffId}/invitation`: the invitation again, with a new temporary password. */
export async function reinviteStaff({ params, caller }: Context<'reinviteStaff'>): Promise<HttpResult> {
  const tenant = await getTenant(caller.tenantId, { consistent: true });
  if (!tenant) throw new NotFoundError(`tenant ${caller.tenantId}`);
  const member = memberOf(tenant, params.staffId);
  if (member.disabledAt) throw new ConflictError('The staff member is disabled: enable them first');
  return json(200, await sendInvitation(tenant, member));
}

/** `POST /v1/staff/{staffId}/disable` and `/enable`: the list first (the authorizer reads it), then the sign-in. */
async function setDisabled(caller: Caller, staffId: string, disabled: boolean) {
  let changed: StaffMember | undefined;
  await changeStaff(caller.tenantId, (staff) =>
    staff.map((s) => {
      if (s.staffId !== staffId) return s;
      if (disabled && caller.staffId === staffId) throw new ConflictError('You cannot disable yourself');
      const { disabledAt: _was, ...rest } = s;
      changed = disabled ? { ...rest, disabledAt: s.disabledAt ?? now().toISOString() } : rest;
      return changed;
    }),
  );
  if (!changed) throw new NotFoundError(`staff member ${staffId}`);
  await setStaffLoginEnabled(changed.email, !disabled);
  return json(200, changed);
}

export const disableStaff = ({ params, caller }: Context<'disableStaff'>) =>
  setDisabled(caller, params.staffId, true);
export const enableStaff = ({ params, caller }: Context<'enableStaff'>) =>
  setDisabled(caller, params.staffId, false);
