import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { keepIdleConnections, tracked } from './activity.ts';

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
 * maxReceiveCount). No emulator on npm fires Lambda consumers, so this stand-in does.
 *
 * Durable as SQS is: with a directory, each queue journals what it accepted (before answering)
 * and what was done with it, and a restart delivers again what was left undone (after the
 * visibility timeout, as SQS does a message whose consumer died), so a kill -9 loses no message
 * the sender was told was kept.
 */
export async function startLocalQueues(options: {
  port: number;
  queues: LocalQueueSpec[];
  directory?: string;
}): Promise<LocalQueues> {
  if (options.directory) mkdirSync(options.directory, { recursive: true });
  const started = new Map(
    options.queues.map((spec) => [
      spec.name,
      queueOf(
        spec,
        options.directory ? new QueueJournal(join(options.directory, `${spec.name}.jsonl`)) : undefined,
      ),
    ]),
  );
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
  keepIdleConnections(server);
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

type JournalEntry = { sent: SqsRecord } | { done: string } | { dead: SqsRecord };

/** A queue's messages on disk: one line per change, compacted to what is left at each start. */
class QueueJournal {
  constructor(private readonly path: string) {}

  /** What a previous process left: messages not yet done, and its dead letters. */
  recover(): { undone: SqsRecord[]; deadLetters: SqsRecord[] } {
    const undone = new Map<string, SqsRecord>();
    const deadLetters: SqsRecord[] = [];
    const lines = existsSync(this.path) ? readFileSync(this.path, 'utf8').split('\n') : [];
    for (const line of lines) {
      let entry: JournalEntry;
      try {
        entry = JSON.parse(line) as JournalEntry;
      } catch {
        continue; // empty, or the line a kill cut short (its sender was never answered)
      }
      if ('sent' in entry) undone.set(entry.sent.messageId, entry.sent);
      else if ('done' in entry) undone.delete(entry.done);
      else {
        undone.delete(entry.dead.messageId);
        deadLetters.push(entry.dead);
      }
    }
    const compacted = [
      ...[...undone.values()].map((sent) => ({ sent })),
      ...deadLetters.map((dead) => ({ dead })),
    ];
    writeFileSync(`${this.path}.tmp`, compacted.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
    renameSync(`${this.path}.tmp`, this.path);
    return { undone: [...undone.values()], deadLetters };
  }

  /** Synchronous: written before the sender is answered. */
  write(entry: JournalEntry): void {
    appendFileSync(this.path, `${JSON.stringify(entry)}\n`);
  }
}

function queueOf(options: LocalQueueSpec, journal?: QueueJournal) {
  const recovered = journal?.recover() ?? { undone: [], deadLetters: [] };
  const deadLetters: SqsRecord[] = recovered.deadLetters;
  const arn = `arn:aws:sqs:us-east-1:000000000000:${options.name}`;
  const visibleAgain = (record: SqsRecord) => {
    const again = {
      ...record,
      attributes: { ApproximateReceiveCount: String(Number(record.attributes.ApproximateReceiveCount) + 1) },
    };
    const timer = setTimeout(() => deliver([again]), options.visibilityTimeoutSeconds * 1000);
    (timer as { unref?: () => void }).unref?.();
  };

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
      const failedIds = new Set(failed.map((record) => record.messageId));
      for (const record of records)
        if (!failedIds.has(record.messageId)) journal?.write({ done: record.messageId });
      for (const record of failed) {
        const received = Number(record.attributes.ApproximateReceiveCount);
        if (received >= options.maxReceiveCount) {
          deadLetters.push(record);
          journal?.write({ dead: record });
          console.error(`[${options.name}] dead letter after ${received} tries: ${record.body}`);
          continue;
        }
        visibleAgain(record);
      }
    }, `SQS ${options.name}`);
  };

  const record = (body: string): SqsRecord => {
    const made: SqsRecord = {
      messageId: randomUUID(),
      receiptHandle: randomUUID(),
      body,
      attributes: { ApproximateReceiveCount: '1' },
      eventSource: 'aws:sqs',
      eventSourceARN: arn,
    };
    journal?.write({ sent: made });
    return made;
  };
  // Received by a process that died before it was done: visible again after the timeout.
  for (const undone of recovered.undone) visibleAgain(undone);

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
