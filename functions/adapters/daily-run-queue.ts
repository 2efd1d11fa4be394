import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { config } from './config.ts';

const sqs = new SQSClient({ requestHandler: { requestTimeout: 5_000, connectionTimeout: 2_000 } });

/** SQS's largest batch. */
const BATCH = 10;

/**
 * Queues one daily-run message per tenant (functions/campaigns): each tenant then runs in its
 * own invocation, retried on its own and dead-lettered on its own. An entry SQS refuses is sent
 * again once; if it is refused again the whole call fails, so the schedule retries it (a tenant
 * queued twice runs twice, which its idempotent items make harmless).
 */
export async function queueDailyRuns(tenantIds: readonly string[]): Promise<void> {
  const queueUrl = config().DAILY_RUN_QUEUE_URL;
  if (!queueUrl) throw new Error('DAILY_RUN_QUEUE_URL is not set');
  for (let start = 0; start < tenantIds.length; start += BATCH) {
    let entries = tenantIds
      .slice(start, start + BATCH)
      .map((tenantId, i) => ({ Id: String(i), MessageBody: JSON.stringify({ tenantId }) }));
    for (let attempt = 1; entries.length > 0; attempt++) {
      const result = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      const failed = new Set((result.Failed ?? []).map((failure) => failure.Id));
      entries = entries.filter((entry) => failed.has(entry.Id));
      if (entries.length > 0 && attempt === 2)
        throw new Error(`SQS refused the daily run of ${entries.length} tenant(s) twice`);
    }
  }
}
