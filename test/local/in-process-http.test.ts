import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerInProcess } from '../../local/in-process-http.ts';

/**
 * The simulation's shortcut (local/in-process-http.ts): the AWS SDK's requests to a local
 * server are answered by that server in this process. What the code sees must not change (the
 * same items, the same errors); only the socket goes, and only for the server named.
 */
const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

type Table = { server: Server; endpoint: string; connections: () => number; client: DynamoDBClient };
const tables: Table[] = [];

async function startTable(): Promise<Table> {
  const server = dynalite({ createTableMs: 0 });
  let connections = 0;
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  const table = { server, endpoint, connections: () => connections, client };
  tables.push(table);
  return table;
}

async function createTable(client: DynamoDBClient) {
  await client.send(
    new CreateTableCommand({
      TableName: 'items',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
}

let answered: Table;
let overSockets: Table;
let stopAnswering: () => void;

beforeAll(async () => {
  answered = await startTable();
  overSockets = await startTable();
  stopAnswering = answerInProcess(answered.endpoint, answered.server);
  await createTable(answered.client);
  await createTable(overSockets.client);
});

afterAll(async () => {
  stopAnswering();
  for (const { server, client } of tables) {
    client.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

describe('answering the SDK in process', () => {
  it('serves writes, reads and queries as the server does, without opening a connection', async () => {
    const client = answered.client;
    await client.send(
      new PutItemCommand({ TableName: 'items', Item: { pk: { S: 'a' }, sk: { S: '1' }, n: { N: '7' } } }),
    );
    await client.send(
      new PutItemCommand({ TableName: 'items', Item: { pk: { S: 'a' }, sk: { S: '2' }, n: { N: '8' } } }),
    );
    const got = await client.send(
      new GetItemCommand({
        TableName: 'items',
        Key: { pk: { S: 'a' }, sk: { S: '1' } },
        ConsistentRead: true,
      }),
    );
    expect(got.Item).toEqual({ pk: { S: 'a' }, sk: { S: '1' }, n: { N: '7' } });
    const queried = await client.send(
      new QueryCommand({
        TableName: 'items',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'a' } },
        ScanIndexForward: false,
      }),
    );
    expect(queried.Items?.map((item) => item.sk?.S)).toEqual(['2', '1']);
    expect(answered.connections()).toBe(0);
  });

  it('gives the server’s errors as the SDK’s exceptions, with their messages', async () => {
    const client = answered.client;
    const refused = client.send(
      new PutItemCommand({
        TableName: 'items',
        Item: { pk: { S: 'a' }, sk: { S: '1' } },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    await expect(refused).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    await expect(
      client.send(new GetItemCommand({ TableName: 'items', Key: { pk: { S: 'a' } } })),
    ).rejects.toThrow(/The provided key element does not match the schema/);
    expect(answered.connections()).toBe(0);
  });

  it('leaves every other endpoint on its socket, and the named one once it is given back', async () => {
    await overSockets.client.send(
      new PutItemCommand({ TableName: 'items', Item: { pk: { S: 'b' }, sk: { S: '1' } } }),
    );
    expect(overSockets.connections()).toBeGreaterThan(0);

    stopAnswering();
    const got = await answered.client.send(
      new GetItemCommand({ TableName: 'items', Key: { pk: { S: 'a' }, sk: { S: '2' } } }),
    );
    expect(got.Item?.n).toEqual({ N: '8' });
    expect(answered.connections()).toBeGreaterThan(0);
  });
});
