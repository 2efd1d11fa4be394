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
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerInProcess } from '#local/in-process-http.ts';

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

describe('answering the SDK in process from an express app (the local SES)', () => {
  let mail: { server: Server; endpoint: string; connections: () => number; stop: () => void };
  beforeAll(async () => {
    const start = (require('aws-ses-v2-local') as { default: (config: object) => Promise<Server> }).default;
    const server = await start({ host: '127.0.0.1', port: 0 });
    let connections = 0;
    server.on('connection', () => {
      connections += 1;
    });
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const given = answerInProcess(endpoint, server);
    mail = {
      server,
      endpoint,
      connections: () => connections,
      stop: () => {
        given();
        server.close();
      },
    };
  });
  afterAll(() => mail.stop());

  const send = (to: string[], body: { Text?: { Data: string } } = { Text: { Data: 'See you on Monday' } }) =>
    new SESv2Client({ endpoint: mail.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 }).send(
      new SendEmailCommand({
        FromEmailAddress: 'service@aftersales.example',
        Destination: { ToAddresses: to },
        Content: {
          Simple: {
            Subject: { Data: 'Your repair is booked', Charset: 'UTF-8' },
            Body: body,
          },
        },
      }),
    );

  it('takes an email and answers with its message id, without opening a connection', async () => {
    const sent = await send(['zhang.san@customer.example']);
    expect(sent.MessageId).toMatch(/\S/);
    const { getStoreReadonly } = require('aws-ses-v2-local/dist/store') as {
      getStoreReadonly: () => {
        emails: { messageId: string; subject: string; destination: { to: string[] } }[];
      };
    };
    const kept = getStoreReadonly().emails.find((email) => email.messageId === sent.MessageId);
    expect(kept?.subject).toBe('Your repair is booked');
    expect(kept?.destination.to).toEqual(['zhang.san@customer.example']);
    expect(mail.connections()).toBe(0);
  });

  it('gives its refusals as the SDK’s exceptions', async () => {
    await expect(send(['zhang.san@customer.example'], {})).rejects.toMatchObject({
      message: 'Bad Request Exception',
      $metadata: { httpStatusCode: 400 },
    });
    expect(mail.connections()).toBe(0);
  });
});
