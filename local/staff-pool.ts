import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';

/** The staff user pool and the console's app client, as infra/constructs/staff-pool.ts makes them on AWS. */
export interface StaffPool {
  userPoolId: string;
  clientId: string;
}

/** Made on the first start, in the Cognito stand-in's own (persisted) state; its ids kept in `path`. */
export async function ensureStaffPool(endpoint: string, path: string): Promise<StaffPool> {
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as StaffPool;
  const cognito = new CognitoIdentityProviderClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const pool = await cognito.send(
    new CreateUserPoolCommand({
      PoolName: 'aftersales-staff',
      UsernameAttributes: ['email'],
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
      ClientName: 'console',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  const staffPool = { userPoolId, clientId: client.UserPoolClient!.ClientId! };
  writeFileSync(path, `${JSON.stringify(staffPool, null, 2)}\n`);
  return staffPool;
}
