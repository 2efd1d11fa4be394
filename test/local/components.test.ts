import {
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableDefinition } from '#functions/adapters/table-definition.ts';
import { send, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(async () => {
  await runtime.dispose();
});

describe('local DynamoDB (dynalite)', () => {
  it('has the table CDK defines, with its keys and indexes', async () => {
    const dynamodb = new DynamoDBClient({
      endpoint: runtime.urls.dynamodb,
      region: 'us-east-1',
      credentials,
    });
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: runtime.tableName }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(
      tableDefinition.globalSecondaryIndexes.map((i) => i.indexName).sort(),
    );

    await dynamodb.send(
      new PutItemCommand({
        TableName: runtime.tableName,
        Item: { pk: { S: 'TENANT#t1#X' }, sk: { S: 'Y' }, v: { N: '1' } },
      }),
    );
    const { Item } = await dynamodb.send(
      new GetItemCommand({ TableName: runtime.tableName, Key: { pk: { S: 'TENANT#t1#X' }, sk: { S: 'Y' } } }),
    );
    expect(Item?.v).toEqual({ N: '1' });
  });
});

describe('local SES', () => {
  it('keeps every email sent through the SESv2 client for the mailbox and tests', async () => {
    const ses = new SESv2Client({ endpoint: runtime.urls.ses, region: 'us-east-1', credentials });
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'service@demo.example',
        Destination: { ToAddresses: ['someone@example.com'] },
        Content: {
          Simple: { Subject: { Data: 'Hello from the test' }, Body: { Text: { Data: 'Body text' } } },
        },
      }),
    );
    const mail = (await runtime.mailbox()).filter((e) => e.subject === 'Hello from the test');
    expect(mail).toHaveLength(1);
    expect(mail[0]!.destination.to).toEqual(['someone@example.com']);
    expect((await send(`${runtime.urls.ses}/`, { method: 'GET', headers: {} })).status).toBe(200);
  });
});

describe('local HTTP API', () => {
  it('reports each component on /health', async () => {
    const health = await runtime.api('GET', '/health', undefined, { apiKey: null });
    expect(health.status).toBe(200);
    expect(health.body.components).toEqual({
      dynamodb: runtime.urls.dynamodb,
      ses: runtime.urls.ses,
      stepFunctions: runtime.urls.stepFunctions,
      shopify: runtime.urls.shopify,
      sqs: runtime.urls.sqs,
      cognito: runtime.urls.cognito,
      api: runtime.urls.api,
    });
  });

  it('answers 401 without an API key, 403 with a wrong one, 404 for an unknown route', async () => {
    expect((await runtime.api('GET', '/v1/requests', undefined, { apiKey: null })).status).toBe(401);
    const forged = runtime.demo.apiKey.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    expect((await runtime.api('GET', '/v1/requests', undefined, { apiKey: forged })).status).toBe(403);
    expect((await runtime.api('GET', '/v1/nothing-here')).status).toBe(404);
  });

  it('moves the virtual clock through /_local/clock/advance and rejects a bad amount', async () => {
    const before = (await runtime.api('GET', '/_local/clock', undefined, { apiKey: null })).body.now;
    const advanced = await runtime.api('POST', '/_local/clock/advance', { seconds: 7200 }, { apiKey: null });
    expect(advanced.status).toBe(200);
    expect(new Date(advanced.body.now).getTime() - new Date(before).getTime()).toBe(7_200_000);
    expect(
      (await runtime.api('POST', '/_local/clock/advance', { seconds: -1 }, { apiKey: null })).status,
    ).toBe(422);
    expect((await runtime.api('POST', '/_local/clock/advance', '{oops', { apiKey: null })).status).toBe(400);
  });
});
