import { gunzipSync } from 'node:zlib';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { TestRuntime } from './runtime.ts';

/** Every item of a runtime's table, as stored, read from outside (a Scan through the SDK). */
export async function everyItem(runtime: TestRuntime): Promise<Record<string, unknown>[]> {
  const dynamodb = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: runtime.urls.dynamodb,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, any> | undefined;
  do {
    const page = await dynamodb.send(new ScanCommand({ TableName: runtime.tableName, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** A binary attribute as text: gunzipped when it is gzip (a kept export), else as bytes. */
const binaryText = (value: Uint8Array) =>
  (value[0] === 0x1f && value[1] === 0x8b ? gunzipSync(value) : Buffer.from(value)).toString('utf8');

/** The items whose text holds any of `needles`, case-insensitively (binary attributes read as text). */
export function itemsMentioning(items: Record<string, unknown>[], needles: readonly string[]) {
  const lowered = needles.map((n) => n.toLowerCase());
  return items.filter((item) => {
    const text = JSON.stringify(item, (_key, value) =>
      value instanceof Uint8Array ? binaryText(value) : value,
    ).toLowerCase();
    return lowered.some((needle) => text.includes(needle));
  });
}
