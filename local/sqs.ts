import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tracked } from './activity.ts';

/** What Lambda's SQS event source gives a function, and what it answers (partial batch responses). */
export interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: { ApproximateReceiveCount: string };
  eventSource: 'aws:sqs';
  eventSourceARN: string;
}
export type SqsConsumer = (event: { Records: SqsRecord[] }) => Promise<unknown>;

export interface LocalQueueSpec {
  name: string;
  /** As the deployed queue: how long a message someone failed stays invisible, and how often it is tried. */
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
  consume: SqsConsumer;
}

export interface LocalQueue {
  queueUrl: string;
  /** Messages that failed maxReceiveCount times (the deployed dead-letter queue). */
  deadLetters: SqsRecord[];
}

export interface LocalQueues {
  /** One endpoint for every queue, as SQS has: a call names its queue by QueueUrl. */
  endpoint: string;
  queues: Record<string, LocalQueue>;
  close(): Promise<void>;
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/**
 * SQS queues, as much as the code uses: SendMessage and SendMessageBatch over the AWS JSON
 * protocol the SDK speaks, routed by QueueUrl, and delivery to each queue's consumer as Lambda's
 * event source mapping does it (one record per invocation as deployed, partial batch failures
 * delivered again after the visibility timeout on the runtime's clock, dead-lettered after
 * maxReceiveCount). No emulator on npm fires Lambda consumers, so this stand-in does; messages
 * live in memory.
 */
export async function startLocalQueues(options: {
  port: number;
  queues: LocalQueueSpec[];
}): Promise<LocalQueues> {
  const started = new Map(options.queues.map((spec) => [spec.name, queueOf(spec)]));
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify(body));
      };
      let input: { QueueUrl?: string; Entries?: { Id: string; MessageBody: string }[]; MessageBody?: string };
      try {
        input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        return answer(400, { __type: 'com.amazonaws.sqs#InvalidParameterValue', message: 'Malformed JSON' });
      }
      const queue = started.get(
        String(input.QueueUrl ?? '')
          .split('/')
          .at(-1) ?? '',
      );
      if (!queue)
        return answer(400, {
          __type: 'com.amazonaws.sqs#QueueDoesNotExist',
          message: 'The specified queue does not exist.',
        });
      const result = queue.receive(String(request.headers['x-amz-target'] ?? ''), input);
      answer(result.status, result.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    queues: Object.fromEntries(
      [...started].map(([name, queue]) => [
        name,
        { queueUrl: `${endpoint}/000000000000/${name}`, deadLetters: queue.deadLetters },
      ]),
    ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function queueOf(options: LocalQueueSpec) {
  const deadLetters: SqsRecord[] = [];
  const arn = `arn:aws:sqs:us-east-1:000000000000:${options.name}`;

  const deliver = (records: SqsRecord[]) => {
    void tracked(async () => {
      let failed: SqsRecord[];
      try {
        const answer = (await options.consume({ Records: records })) as
          | { batchItemFailures?: { itemIdentifier: string }[] }
          | undefined;
        const ids = new Set((answer?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        failed = records.filter((record) => ids.has(record.messageId));
      } catch (error) {
        console.error(`[${options.name}]`, error);
        failed = records;
      }
      for (const record of failed) {
        const received = Number(record.attributes.ApproximateReceiveCount);
        if (received >= options.maxReceiveCount) {
          deadLetters.push(record);
          console.error(`[${options.name}] dead letter after ${received} tries: ${record.body}`);
          continue;
        }
        const again = { ...record, attributes: { ApproximateReceiveCount: String(received + 1) } };
        const timer = setTimeout(() => deliver([again]), options.visibilityTimeoutSeconds * 1000);
        (timer as { unref?: () => void }).unref?.();
      }
    }, `SQS ${options.name}`);
  };

  const record = (body: string): SqsRecord => ({
    messageId: randomUUID(),
    receiptHandle: randomUUID(),
    body,
    attributes: { ApproximateReceiveCount: '1' },
    eventSource: 'aws:sqs',
    eventSourceARN: arn,
  });

  const receive = (
    target: string,
    input: { Entries?: { Id: string; MessageBody: string }[]; MessageBody?: string },
  ): { status: number; body: unknown } => {
    if (target === 'AmazonSQS.SendMessageBatch' && Array.isArray(input.Entries)) {
      const records = input.Entries.map((entry) => ({ id: entry.Id, record: record(entry.MessageBody) }));
      // One record per invocation, as the deployed event source mapping (batch size 1).
      for (const { record } of records) deliver([record]);
      return {
        status: 200,
        body: {
          Successful: records.map(({ id, record }) => ({
            Id: id,
            MessageId: record.messageId,
            MD5OfMessageBody: md5(record.body),
          })),
          Failed: [],
        },
      };
    }
    if (target === 'AmazonSQS.SendMessage' && typeof input.MessageBody === 'string') {
      const one = record(input.MessageBody);
      deliver([one]);
      return { status: 200, body: { MessageId: one.messageId, MD5OfMessageBody: md5(one.body) } };
    }
    return {
      status: 400,
      body: {
        __type: 'com.amazonaws.sqs#UnsupportedOperation',
        message: `${target || 'This call'} is not served by the local queue`,
      },
    };
  };
  return { deadLetters, receive };
}
