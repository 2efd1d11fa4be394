import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { StaffMember } from '#domain/tenant.ts';
import { config } from './config.ts';

/**
 * Staff sign-ins: one Cognito user pool for every tenant, a user per staff member, named by
 * their email, carrying their tenant and staff id (functions/adapters/staff-tokens.ts reads
 * them back from the ID token). The pool is made by CDK on AWS and by the local runtime locally.
 */
const cognito = new CognitoIdentityProviderClient({
  maxAttempts: 3,
  requestHandler: { requestTimeout: 5_000, connectionTimeout: 2_000 },
});

const poolId = () => {
  const id = config().STAFF_USER_POOL_ID;
  if (!id) throw new Error('STAFF_USER_POOL_ID is not set: staff sign-in is not configured');
  return id;
};

/**
 * Gives a staff member a sign-in with this password: temporary (an invitation: they choose their
 * own at the next sign-in) or permanent (the local demo). False if they had one already.
 */
export async function createStaffLogin(
  tenantId: string,
  staff: Pick<StaffMember, 'staffId' | 'email'>,
  password: { temporary: string } | { permanent: string },
): Promise<boolean> {
  let created = true;
  try {
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId(),
        Username: staff.email,
        // Our own email invites them (the tenant's sender, in the tenant's language), not Cognito's.
        MessageAction: 'SUPPRESS',
        TemporaryPassword: 'temporary' in password ? password.temporary : undefined,
        UserAttributes: [
          { Name: 'email', Value: staff.email },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'custom:tenant', Value: tenantId },
          { Name: 'custom:staff', Value: staff.staffId },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof UsernameExistsException) && (error as Error).name !== 'UsernameExistsException')
      throw error;
    created = false;
  }
  // A permanent password is set in a second call; a temporary one only on creation. A member who
  // had a sign-in (an invitation sent again, a start that failed between the two calls) gets the
  // password given now either way.
  if ('permanent' in password || !created)
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId(),
        Username: staff.email,
        Password: 'permanent' in password ? password.permanent : password.temporary,
        Permanent: 'permanent' in password,
      }),
    );
  return created;
}

/** Stops (or lets again) a staff member sign in; a token they hold is refused by the authorizer. */
export async function setStaffLoginEnabled(email: string, enabled: boolean): Promise<void> {
  const user = { UserPoolId: poolId(), Username: email };
  try {
    await cognito.send(enabled ? new AdminEnableUserCommand(user) : new AdminDisableUserCommand(user));
  } catch (error) {
    // A member on the list who was never invited has no sign-in: nothing to stop or allow.
    if ((error as Error).name !== 'UserNotFoundException') throw error;
  }
}

/**
 * Removes a staff member's sign-in, if it is this tenant's (sign-ins are named by email in one
 * pool for every tenant: another tenant's person of the same address is left alone). True if one
 * was removed.
 */
export async function deleteStaffLogin(tenantId: string, email: string): Promise<boolean> {
  const user = { UserPoolId: poolId(), Username: email };
  try {
    const found = await cognito.send(new AdminGetUserCommand(user));
    const tenant = found.UserAttributes?.find((a) => a.Name === 'custom:tenant')?.Value;
    if (tenant !== tenantId) return false;
    await cognito.send(new AdminDeleteUserCommand(user));
    return true;
  } catch (error) {
    if ((error as Error).name === 'UserNotFoundException') return false;
    throw error;
  }
}
