import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynaliteWithStore } from '#local/dynamodb.ts';

/**
 * The local table writes an item and its index entries as one (local/dynalite-atomic-writes.ts),
 * as DynamoDB does: a write cut short (the process killed, or stopped with calls in flight)
 * leaves both as they were, never an index entry its item does not hold (#34).
 */
type Operation = { type: string; key: string };
type Level = {
  put(key: string, value: unknown, done: (e?: unknown) => void): void;
  del(key: string, done: (e?: unknown) => void): void;
  batch(operations: Operation[], done: (e?: unknown) => void): void;
};

const { server, store } = dynaliteWithStore({ createTableMs: 0 });
const level = (store as { db: Level }).db;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  await client.send(
    new CreateTableCommand({
      TableName: 'items',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: ['pk', 'sk', 'watch', 'due'].map((name) => ({
        AttributeName: name,
        AttributeType: 'S',
      })),
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byDue',
          KeySchema: [
            { AttributeName: 'watch', KeyType: 'HASH' },
            { AttributeName: 'due', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    }),
  );
  documents = DynamoDBDocumentClient.from(client);
});

afterAll(async () => {
  documents.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const key = { pk: 'subject-1', sk: 'SUBJECT' };
const dueEntries = async () =>
  (
    await documents.send(
      new QueryCommand({
        TableName: 'items',
        IndexName: 'byDue',
        KeyConditionExpression: 'watch = :w',
        ExpressionAttributeValues: { ':w': 'WATCH' },
      }),
    )
  ).Items?.map((entry) => entry.due);

/**
 * The store's next write that touches an item is held: the state seen meanwhile is what a process
 * ended at that moment leaves on disk. `reached` resolves when the write is held; `finish` lets it
 * go on.
 */
function holdNextItemWrite(): { reached: Promise<void>; finish: () => void } {
  const original = { put: level.put, del: level.del, batch: level.batch };
  let finish: () => void = () => {};
  let reached: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const touchesItem = (k: string) => k.startsWith('item-');
  const hold = (write: () => void) => {
    Object.assign(level, original);
    finish = write;
    reached();
  };
  level.put = (k, value, done) =>
    touchesItem(k)
      ? hold(() => original.put.call(level, k, value, done))
      : original.put.call(level, k, value, done);
  level.del = (k, done) =>
    touchesItem(k) ? hold(() => original.del.call(level, k, done)) : original.del.call(level, k, done);
  level.batch = (operations, done) =>
    operations.some((o) => touchesItem(o.key))
      ? hold(() => original.batch.call(level, operations, done))
      : original.batch.call(level, operations, done);
  return { reached: held, finish: () => finish() };
}

const moveDue = (due: string) =>
  documents.send(
    new UpdateCommand({
      TableName: 'items',
      Key: key,
      UpdateExpression: 'SET due = :d',
      ExpressionAttributeValues: { ':d': due },
    }),
  );

describe('an item and its index entries, written as one', () => {
  it('a move of the due time stopped before its item is written has changed no index entry', async () => {
    await documents.send(
      new PutCommand({ TableName: 'items', Item: { ...key, watch: 'WATCH', due: '09:00' } }),
    );
    expect(await dueEntries()).toEqual(['09:00']);

    const write = holdNextItemWrite();
    const moved = moveDue('11:00');
    await write.reached;
    // What a process ended here leaves: the old entry only, as its item still says.
    expect(await dueEntries()).toEqual(['09:00']);
    write.finish();
    await moved;
    expect(await dueEntries()).toEqual(['11:00']);
  });

  it('a delete stopped before its item goes keeps the entry with its item', async () => {
    const write = holdNextItemWrite();
    const deleted = documents.send(new DeleteCommand({ TableName: 'items', Key: key }));
    await write.reached;
    expect(await dueEntries()).toEqual(['11:00']);
    write.finish();
    await deleted;
    expect(await dueEntries()).toEqual([]);
  });
});
