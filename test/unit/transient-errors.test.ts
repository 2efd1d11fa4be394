import middy from '@middy/core';
import { describe, expect, it } from 'vitest';
import { transientAwsErrors } from '../../functions/shared/errors.ts';

/** What a workflow step's Retry sees when DynamoDB or SES fails (workflows/deadline-watch.ts). */
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

  it('lets every other error fail the step as itself', async () => {
    await expect(
      stepThatThrows(awsError('ConditionalCheckFailedException', 400))(undefined, {} as never),
    ).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
  });
});
