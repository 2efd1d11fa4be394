import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerItemCallsDirectly, type DynaliteStore } from '#local/direct-dynamodb.ts';
import { dynaliteWithStore } from '#local/dynamodb.ts';

/**
 * The simulation's shortcut (local/direct-dynamodb.ts): item calls go straight to dynalite's
 * actions. The code must see what it sees over HTTP (the same items, pages, capacity and errors),
 * and the calls must not reach the server's HTTP handler.
 */
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

type Table = {
  server: Server;
  store: DynaliteStore;
  requests: () => number;
  documents: DynamoDBDocumentClient;
  stop: () => void;
};
const tables: Table[] = [];

async function startTable(direct: boolean): Promise<Table> {
  const { server, store } = dynaliteWithStore({ createTableMs: 0 });
  let requests = 0;
  server.on('request', () => {
    requests += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stop = direct
    ? answerItemCallsDirectly(endpoint, store, { server, startsEmpty: true })
    : () => undefined;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  await client.send(
    new CreateTableCommand({
      TableName: 'items',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: ['pk', 'sk', 'status', 'at'].map((name) => ({
        AttributeName: name,
        AttributeType: 'S',
      })),
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byStatus',
          KeySchema: [
            { AttributeName: 'status', KeyType: 'HASH' },
            { AttributeName: 'at', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  const table = {
    server,
    store,
    requests: () => requests,
    documents: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    stop,
  };
  tables.push(table);
  return table;
}

let direct: Table;
let overHttp: Table;

beforeAll(async () => {
  direct = await startTable(true);
  overHttp = await startTable(false);
});

afterAll(async () => {
  for (const { server, documents, stop } of tables) {
    stop();
    documents.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** An answer as the code reads it: without the transport's metadata. */
const answer = ({ $metadata: _, ...rest }: { $metadata: unknown }) => rest;

/** An error as the code reads it: its class, name, message, fault and HTTP status. */
async function failure(call: Promise<unknown>) {
  const error = (await call.then(
    () => undefined,
    (caught: unknown) => caught,
  )) as Error & { $fault?: string; $metadata?: { httpStatusCode?: number } };
  return {
    conditional: error instanceof ConditionalCheckFailedException,
    notFound: error instanceof ResourceNotFoundException,
    name: error?.name,
    message: error?.message,
    fault: error?.$fault,
    status: error?.$metadata?.httpStatusCode,
  };
}

/** The same calls on both tables, in order: what each step answered. */
async function onBoth<T>(steps: (documents: DynamoDBDocumentClient) => (() => Promise<T>)[]) {
  const run = async (table: Table) => {
    const answers: unknown[] = [];
    for (const step of steps(table.documents)) answers.push(await step());
    return answers;
  };
  return { direct: await run(direct), overHttp: await run(overHttp) };
}

describe('answering item calls directly', () => {
  it('answers writes, reads, pages of a query and consumed capacity as over HTTP', async () => {
    const capacity = { ReturnConsumedCapacity: 'INDEXES' } as const;
    const before = direct.requests();
    const { direct: directly, overHttp: overHttpAnswers } = await onBoth((documents) => [
      ...[1, 2, 3].map(
        (n) => () =>
          documents
            .send(
              new PutCommand({
                TableName: 'items',
                Item: {
                  pk: 'r',
                  sk: `${n}`,
                  status: 'open',
                  at: `2026-01-0${n}`,
                  n,
                  tags: new Set(['a', 'b']),
                },
                ConditionExpression: 'attribute_not_exists(pk)',
                ...capacity,
              }),
            )
            .then(answer),
      ),
      () =>
        documents
          .send(
            new UpdateCommand({
              TableName: 'items',
              Key: { pk: 'r', sk: '2' },
              UpdateExpression: 'SET #s = :s, n = n + :one REMOVE tags',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: { ':s': 'closed', ':one': 1 },
              ReturnValues: 'ALL_NEW',
              ...capacity,
            }),
          )
          .then(answer),
      () =>
        documents
          .send(new GetCommand({ TableName: 'items', Key: { pk: 'r', sk: '1' }, ...capacity }))
          .then(answer),
      () => documents.send(new GetCommand({ TableName: 'items', Key: { pk: 'r', sk: '9' } })).then(answer),
      () =>
        documents
          .send(
            new QueryCommand({
              TableName: 'items',
              IndexName: 'byStatus',
              KeyConditionExpression: '#s = :s',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: { ':s': 'open' },
              Limit: 1,
              ScanIndexForward: false,
              ...capacity,
            }),
          )
          .then(answer),
      () =>
        documents
          .send(
            new QueryCommand({
              TableName: 'items',
              KeyConditionExpression: 'pk = :pk',
              FilterExpression: 'n > :n',
              ExpressionAttributeValues: { ':pk': 'r', ':n': 1 },
              ProjectionExpression: 'sk, n',
              ExclusiveStartKey: { pk: 'r', sk: '1' },
            }),
          )
          .then(answer),
      () =>
        documents
          .send(
            new BatchWriteCommand({
              RequestItems: {
                items: [
                  { PutRequest: { Item: { pk: 'b', sk: '1', list: [1, 'two', { three: null }] } } },
                  { DeleteRequest: { Key: { pk: 'r', sk: '3' } } },
                ],
              },
            }),
          )
          .then(answer),
      () => documents.send(new ScanCommand({ TableName: 'items', ...capacity })).then(answer),
      () =>
        documents
          .send(new DeleteCommand({ TableName: 'items', Key: { pk: 'r', sk: '1' }, ReturnValues: 'ALL_OLD' }))
          .then(answer),
    ]);
    expect(directly).toEqual(overHttpAnswers);
    // What the code reads, to be sure the comparison compares something.
    expect(directly[3]).toMatchObject({ Attributes: { status: 'closed', n: 3 } });
    expect(directly[6]).toMatchObject({ Items: [{ sk: '3' }], LastEvaluatedKey: { pk: 'r', sk: '3' } });
    expect((directly[9] as { Items: unknown[] }).Items).toHaveLength(3);
    expect(directly[4]).toMatchObject({ ConsumedCapacity: { TableName: 'items', CapacityUnits: 0.5 } });
    // None of it reached the server's HTTP handler.
    expect(direct.requests()).toBe(before);
  });

  it('keeps binary attributes as bytes', async () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    const { direct: directly, overHttp: overHttpAnswers } = await onBoth((documents) => [
      () =>
        documents.send(
          new PutCommand({ TableName: 'items', Item: { pk: 'bin', sk: '1', bytes, set: new Set([bytes]) } }),
        ),
      () => documents.send(new GetCommand({ TableName: 'items', Key: { pk: 'bin', sk: '1' } })).then(answer),
    ]);
    expect(directly[1]).toEqual(overHttpAnswers[1]);
    const item = (directly[1] as { Item: { bytes: Uint8Array; set: Set<Uint8Array> } }).Item;
    expect(item.bytes).toBeInstanceOf(Uint8Array);
    expect([...item.bytes]).toEqual([...bytes]);
    expect([...item.set].map((value) => [...value])).toEqual([[...bytes]]);
  });

  it('reads as bytes the binary attributes another client wrote over HTTP', async () => {
    const { server, store } = dynaliteWithStore({ createTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const stop = answerItemCallsDirectly(endpoint, store, { server, startsEmpty: true });
    const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    try {
      await client.send(
        new CreateTableCommand({
          TableName: 'shared',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        }),
      );
      await waitUntilTableExists({ client, maxWaitTime: 5, minDelay: 0.01 }, { TableName: 'shared' });
      // As the AWS CLI would send it: DynamoDB's JSON protocol, the bytes in base64.
      const written = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.PutItem',
          'x-amz-date': '20260101T000000Z',
          authorization:
            'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
        },
        body: JSON.stringify({ TableName: 'shared', Item: { pk: { S: 'a' }, b: { B: 'AQID' } } }),
      });
      expect(written.status).toBe(200);
      const read = await DynamoDBDocumentClient.from(client).send(
        new GetCommand({ TableName: 'shared', Key: { pk: 'a' } }),
      );
      const bytes = read.Item?.b as Uint8Array;
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect([...bytes]).toEqual([1, 2, 3]);
    } finally {
      stop();
      server.close();
    }
  });

  it('throws the exceptions the SDK throws over HTTP, with their messages', async () => {
    const { direct: directly, overHttp: overHttpAnswers } = await onBoth((documents) => [
      () =>
        failure(
          documents.send(
            new PutCommand({
              TableName: 'items',
              Item: { pk: 'r', sk: '2' },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          ),
        ),
      () => failure(documents.send(new GetCommand({ TableName: 'items', Key: { pk: 'r' } }))),
      () => failure(documents.send(new GetCommand({ TableName: 'missing', Key: { pk: 'r', sk: '1' } }))),
      () =>
        failure(
          documents.send(
            new UpdateCommand({
              TableName: 'items',
              Key: { pk: 'r', sk: '2' },
              UpdateExpression: 'SET n = :n',
            }),
          ),
        ),
    ]);
    expect(directly).toEqual(overHttpAnswers);
    expect(directly[0]).toMatchObject({
      conditional: true,
      name: 'ConditionalCheckFailedException',
      status: 400,
    });
    expect(directly[1]).toMatchObject({ name: 'ValidationException', fault: 'client' });
    expect(directly[2]).toMatchObject({ notFound: true, name: 'ResourceNotFoundException' });
    expect(directly[3]).toMatchObject({ name: 'ValidationException' });
  });

  it('keeps the in-memory table as strings (local/dynalite-memory.ts), though it loads dynalite itself', () => {
    // As Buffers cut from shared slabs, a 10,000-lifecycle simulation's table took twice the memory.
    const { db } = direct.store as { db: { supports: { encodings: Record<string, boolean> } } };
    expect(db.supports.encodings).toMatchObject({ utf8: true });
    expect(db.supports.encodings).not.toHaveProperty('buffer');
  });

  it('sees a table deleted and made again over HTTP, though it keeps table definitions between item calls', async () => {
    const { server, store } = dynaliteWithStore({ createTableMs: 0, deleteTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const stop = answerItemCallsDirectly(endpoint, store, { server, startsEmpty: true });
    const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    const documents = DynamoDBDocumentClient.from(client);
    const create = async (keys: string[]) => {
      await client.send(
        new CreateTableCommand({
          TableName: 'kept',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: keys.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
          KeySchema: keys.map((name, i) => ({ AttributeName: name, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
        }),
      );
      await waitUntilTableExists({ client, maxWaitTime: 5, minDelay: 0.01 }, { TableName: 'kept' });
    };
    try {
      await create(['pk', 'sk']);
      await documents.send(new PutCommand({ TableName: 'kept', Item: { pk: 'a', sk: '1' } }));
      expect(
        (await documents.send(new GetCommand({ TableName: 'kept', Key: { pk: 'a', sk: '1' } }))).Item,
      ).toEqual({ pk: 'a', sk: '1' });
      await client.send(new DeleteTableCommand({ TableName: 'kept' }));
      const gone = await failure(
        documents.send(new GetCommand({ TableName: 'kept', Key: { pk: 'a', sk: '1' } })),
      );
      expect(gone).toMatchObject({ notFound: true });
      // Made again with another key: an item call must use the new definition, not the one it kept.
      await create(['pk']);
      await documents.send(new PutCommand({ TableName: 'kept', Item: { pk: 'b' } }));
      expect((await documents.send(new GetCommand({ TableName: 'kept', Key: { pk: 'b' } }))).Item).toEqual({
        pk: 'b',
      });
    } finally {
      stop();
      documents.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('goes back to HTTP once stopped', async () => {
    direct.stop();
    const before = direct.requests();
    await direct.documents.send(new GetCommand({ TableName: 'items', Key: { pk: 'r', sk: '2' } }));
    expect(direct.requests()).toBe(before + 1);
  });
});
