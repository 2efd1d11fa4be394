import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

const ssm = new SSMClient({});
const values = new Map<string, Promise<string>>();

/**
 * A secret from SSM Parameter Store (a SecureString, or a Secrets Manager secret through its
 * `/aws/reference/secretsmanager/<name>` path), read once per cold start; a failed read is
 * tried again by the next caller.
 */
export function secretParameter(name: string): Promise<string> {
  let value = values.get(name);
  if (!value) {
    value = ssm
      .send(new GetParameterCommand({ Name: name, WithDecryption: true }))
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
