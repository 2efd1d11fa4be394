import middy from '@middy/core';
import { describe, expect, it } from 'vitest';
import { transientAwsErrors } from '#functions/shared/errors.ts';

/** What a workflow step's Retry sees when DynamoDB or SES fails (workflows/watched-subject.ts). */
const stepThatThrows = (error: unknown) =>
  middy<unknown, unknown>()
    .use(transientAwsErrors())
    .handler(async () => {
      throw error;
    });

const awsError = (name: string, status: number, retryable = false) =>
  Object.assign(new Error(`${name} happened`), {
    name,
    $metadata: { httpStatusCode: status },
    ...(retryable ? { $retryable: {} } : {}),
  });

describe('transient AWS errors in workflow steps', () => {
  it('turns throttling and 5xx into TransientError, which the workflow retries', async () => {
    for (const error of [
      awsError('ProvisionedThroughputExceededException', 400),
      awsError('InternalServerError', 500),
      awsError('Whatever', 400, true),
    ]) {
      await expect(stepThatThrows(error)(undefined, {} as never)).rejects.toMatchObject({
        name: 'TransientError',
        message: error.message,
      });
    }
  });

  it('turns Node connection failures (refused, reset, timed out, hang-up) into TransientError', async () => {
    const connectionError = (code: string, message: string) => Object.assign(new Error(message), { code });
    for (const error of [
      connectionError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:8005'),
      connectionError('ECONNRESET', 'read ECONNRESET'),
      connectionError('ETIMEDOUT', 'connect ETIMEDOUT'),
      connectionError('EPIPE', 'write EPIPE'),
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      Object.assign(new Error('Connection timed out after 10000 ms'), { name: 'TimeoutError' }),
      Object.assign(new Error('email x is being sent by an earlier attempt'), { name: 'EmailInDoubt' }),
    ]) {
      await expect(stepThatThrows(error)(undefined, {} as never)).rejects.toMatchObject({
        name: 'TransientError',
      });
    }
  });

  it('lets every other error fail the step as itself', async () => {
    await expect(
      stepThatThrows(awsError('ConditionalCheckFailedException', 400))(undefined, {} as never),
    ).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
  });
});
