import type { SSMClient } from '@aws-sdk/client-ssm';

/** The SSM client, loaded at the first read: a function that never reads a parameter never loads it. */
let ssm: Promise<{
  client: SSMClient;
  GetParameterCommand: typeof import('@aws-sdk/client-ssm').GetParameterCommand;
}>;
const ssmClient = () =>
  (ssm ??= import('@aws-sdk/client-ssm').then(({ SSMClient, GetParameterCommand }) => ({
    client: new SSMClient({}),
    GetParameterCommand,
  })));
const values = new Map<string, Promise<string>>();

/**
 * A secret from SSM Parameter Store (a SecureString, or a Secrets Manager secret through its
 * `/aws/reference/secretsmanager/<name>` path), read once per cold start; a failed read is
 * tried again by the next caller.
 */
export function secretParameter(name: string): Promise<string> {
  let value = values.get(name);
  if (!value) {
    value = ssmClient()
      .then(({ client, GetParameterCommand }) =>
        client.send(new GetParameterCommand({ Name: name, WithDecryption: true })),
      )
      .then((result) => {
        const found = result.Parameter?.Value;
        if (!found) throw new Error(`SSM parameter ${name} is missing or empty`);
        return found;
      })
      .catch((error: unknown) => {
        values.delete(name);
        throw error;
      });
    values.set(name, value);
  }
  return value;
}
