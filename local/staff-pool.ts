import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { STAFF_PASSWORD_POLICY } from '#domain/staff-password.ts';

/** The staff user pool and the console's app client, as infra/constructs/staff-pool.ts makes them on AWS. */
export interface StaffPool {
  userPoolId: string;
  clientId: string;
}

/**
 * The console client's tokens as deployed: an ID token lasts an hour, a sign-in twelve
 * (infra/constructs/staff-pool.ts). Set at every start, so a pool made by an older version gets them.
 */
const consoleClientSettings = {
  ClientName: 'console',
  ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  IdTokenValidity: 1,
  AccessTokenValidity: 1,
  RefreshTokenValidity: 12,
  TokenValidityUnits: { IdToken: 'hours', AccessToken: 'hours', RefreshToken: 'hours' },
} as const;

/** Made on the first start, in the Cognito stand-in's own (persisted) state; its ids kept in `path`. */
export async function ensureStaffPool(endpoint: string, path: string): Promise<StaffPool> {
  const cognito = new CognitoIdentityProviderClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  if (existsSync(path)) {
    const kept = JSON.parse(readFileSync(path, 'utf8')) as StaffPool;
    await cognito.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: kept.userPoolId,
        ClientId: kept.clientId,
        ...consoleClientSettings,
        ExplicitAuthFlows: [...consoleClientSettings.ExplicitAuthFlows],
      }),
    );
    return kept;
  }
  const pool = await cognito.send(
    new CreateUserPoolCommand({
      PoolName: 'aftersales-staff',
      UsernameAttributes: ['email'],
      Policies: {
        PasswordPolicy: {
          MinimumLength: STAFF_PASSWORD_POLICY.minimumLength,
          RequireLowercase: STAFF_PASSWORD_POLICY.requireLowercase,
          RequireUppercase: STAFF_PASSWORD_POLICY.requireUppercase,
          RequireNumbers: STAFF_PASSWORD_POLICY.requireNumbers,
          RequireSymbols: STAFF_PASSWORD_POLICY.requireSymbols,
          TemporaryPasswordValidityDays: 7,
        },
      },
      Schema: [
        { Name: 'tenant', AttributeDataType: 'String', Mutable: false },
        { Name: 'staff', AttributeDataType: 'String', Mutable: false },
      ],
    }),
  );
  const userPoolId = pool.UserPool!.Id!;
  const client = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ...consoleClientSettings,
      ExplicitAuthFlows: [...consoleClientSettings.ExplicitAuthFlows],
    }),
  );
  const staffPool = { userPoolId, clientId: client.UserPoolClient!.ClientId! };
  writeFileSync(path, `${JSON.stringify(staffPool, null, 2)}\n`);
  return staffPool;
}
