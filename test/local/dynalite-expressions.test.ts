import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rememberDynaliteExpressions } from '#local/dynalite-expressions.ts';
import { dynaliteWithStore } from '#local/dynamodb.ts';

/**
 * dynalite's parsers remember what they parsed (local/dynalite-expressions.ts). A call that
 * repeats an expression must be judged on its own values, as a first call is: the answers
 * here are what DynamoDB gives.
 */
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let documents: DynamoDBDocumentClient;
let stop: () => void;

beforeAll(async () => {
  rememberDynaliteExpressions();
  const { server } = dynaliteWithStore({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  await client.send(
    new CreateTableCommand({
      TableName: 'items',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: ['pk', 'sk'].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
  documents = DynamoDBDocumentClient.from(client);
  stop = () => server.close();
});
afterAll(() => stop());

const claim = (pk: string, expected: unknown, note: unknown) =>
  documents.send(
    new UpdateCommand({
      TableName: 'items',
      Key: { pk, sk: 'subject' },
      UpdateExpression: 'SET #generation = #generation + :one, #note = :note',
      ConditionExpression: '#generation = :expected',
      ExpressionAttributeNames: { '#generation': 'generation', '#note': 'note' },
      ExpressionAttributeValues: { ':one': 1, ':expected': expected, ':note': note },
      ReturnValues: 'ALL_NEW',
    }),
  );

describe('an expression dynalite has parsed before', () => {
  it('is judged on the values of the call that repeats it', async () => {
    await documents.send(
      new PutCommand({ TableName: 'items', Item: { pk: 'a', sk: 'subject', generation: 1 } }),
    );
    expect((await claim('a', 1, 'first')).Attributes).toMatchObject({ generation: 2, note: 'first' });
    await expect(claim('a', 1, 'again')).rejects.toThrow(/conditional request failed/);
    expect((await claim('a', 2, 'second')).Attributes).toMatchObject({ generation: 3, note: 'second' });
    const { Item } = await documents.send(
      new GetCommand({ TableName: 'items', Key: { pk: 'a', sk: 'subject' } }),
    );
    expect(Item).toMatchObject({ generation: 3, note: 'second' });
  });

  it('is checked again for values of another type', async () => {
    await documents.send(
      new PutCommand({ TableName: 'items', Item: { pk: 'b', sk: 'subject', generation: 1 } }),
    );
    await claim('b', 1, 'number');
    const bump = (by: unknown) =>
      documents.send(
        new UpdateCommand({
          TableName: 'items',
          Key: { pk: 'b', sk: 'subject' },
          UpdateExpression: 'SET #generation = #generation + :by',
          ExpressionAttributeNames: { '#generation': 'generation' },
          ExpressionAttributeValues: { ':by': by },
        }),
      );
    await bump(1);
    await expect(bump('one')).rejects.toThrow(/Invalid UpdateExpression: Incorrect operand type/);
  });

  it('counts the names it uses as used, though another expression of its first call used them too', async () => {
    await documents.send(new PutCommand({ TableName: 'items', Item: { pk: 'd', sk: 'subject', note: 'x' } }));
    const update = (expression: string) =>
      documents.send(
        new UpdateCommand({
          TableName: 'items',
          Key: { pk: 'd', sk: 'subject' },
          UpdateExpression: expression,
          ConditionExpression: 'attribute_exists(#note)',
          ExpressionAttributeNames: { '#note': 'note' },
          ExpressionAttributeValues: { ':value': 'y' },
          ReturnValues: 'ALL_NEW',
        }),
      );
    await update('SET #note = :value');
    // Only the condition uses #note now: it is used all the same.
    expect((await update('SET extra = :value')).Attributes).toMatchObject({ note: 'y', extra: 'y' });
  });

  it('still refuses values the expression does not use', async () => {
    await documents.send(
      new PutCommand({ TableName: 'items', Item: { pk: 'c', sk: 'subject', generation: 1 } }),
    );
    await claim('c', 1, 'once');
    await expect(
      documents.send(
        new UpdateCommand({
          TableName: 'items',
          Key: { pk: 'c', sk: 'subject' },
          UpdateExpression: 'SET #generation = #generation + :one, #note = :note',
          ConditionExpression: '#generation = :expected',
          ExpressionAttributeNames: { '#generation': 'generation', '#note': 'note' },
          ExpressionAttributeValues: { ':one': 1, ':expected': 2, ':note': 'x', ':spare': 'y' },
        }),
      ),
    ).rejects.toThrow(/unused in expressions: keys: \{:spare\}/);
  });

  it('still compares BETWEEN bounds of each call', async () => {
    const between = (low: string, high: string) =>
      documents.send(
        new QueryCommand({
          TableName: 'items',
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :low AND :high',
          ExpressionAttributeValues: { ':pk': 'a', ':low': low, ':high': high },
        }),
      );
    expect((await between('a', 'z')).Items).toHaveLength(1);
    await expect(between('z', 'a')).rejects.toThrow(/upper bound to be greater than or equal to lower bound/);
  });
});
