import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getItems, keys, putItem } from '#functions/adapters/table.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * Several items in one read (functions/adapters/table.ts `getItems`, which every burst step uses
 * for its subject and tenant): what was just written, in the order asked, none where none is.
 */
let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(async () => {
  await runtime.dispose();
});

describe('reading several items at once', () => {
  it('answers each key in the order asked, nothing where no item is', async () => {
    const tenantId = runtime.demo.tenantId;
    await putItem({ ...keys.request(tenantId, 'sr_batch_a'), note: 'a' });
    await putItem({ ...keys.request(tenantId, 'sr_batch_b'), note: 'b' });
    const [b, missing, tenant, a] = await getItems<{ note?: string; name?: string }>([
      keys.request(tenantId, 'sr_batch_b'),
      keys.request(tenantId, 'sr_batch_none'),
      keys.tenant(tenantId),
      keys.request(tenantId, 'sr_batch_a'),
    ]);
    expect(b?.note).toBe('b');
    expect(missing).toBeUndefined();
    expect(tenant?.name).toBeTruthy();
    expect(a?.note).toBe('a');
  });

  it('answers a key asked twice twice (DynamoDB refuses a batch that repeats a key)', async () => {
    const key = keys.request(runtime.demo.tenantId, 'sr_batch_a');
    const [first, again] = await getItems<{ note: string }>([key, key]);
    expect([first?.note, again?.note]).toEqual(['a', 'a']);
  });

  it('sees a write made just before', async () => {
    const key = keys.request(runtime.demo.tenantId, 'sr_batch_c');
    await putItem({ ...key, note: 'first' });
    await putItem({ ...key, note: 'second' });
    expect((await getItems<{ note: string }>([key]))[0]?.note).toBe('second');
  });
});
