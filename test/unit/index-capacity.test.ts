import { describe, expect, it } from 'vitest';
import { tableDefinition } from '#functions/adapters/table-definition.ts';
import { feedbackSummaryView, requestSummaryView } from '#functions/http/views.ts';
import { indexWriteUnits } from '#local/dynamodb-capacity.ts';

const index = (name: string) => tableDefinition.globalSecondaryIndexes.find((i) => i.indexName === name)!;
const s = (value: string) => ({ S: value });
const request = (status: string, extra: Record<string, { S: string }> = {}) => ({
  pk: s('TENANT#demo#REQUEST#sr_1'),
  sk: s('REQUEST'),
  gsi1pk: s(`TENANT#demo#STATUS#${status}`),
  gsi1sk: s('2026-03-02T01:00:00.000Z#sr_1'),
  status: s(status),
  description: s('x'.repeat(1500)),
  ...extra,
});

describe('index write units, as DynamoDB counts them (the bench’s cost model)', () => {
  const byStatus = index('byStatus');

  it('counts an entry added by its projected size, a removed one as 1, a moved one as both', () => {
    expect(indexWriteUnits(byStatus, undefined, request('received'))).toBe(2);
    const { gsi1pk: _pk, gsi1sk: _sk, ...unlisted } = request('cancelled');
    expect(indexWriteUnits(byStatus, request('cancelled'), unlisted)).toBe(1);
    expect(indexWriteUnits(byStatus, request('received'), request('acknowledged'))).toBe(1 + 2);
    expect(indexWriteUnits(byStatus, undefined, unlisted)).toBe(0);
  });

  it('costs nothing when a write changes only what the index does not hold', () => {
    const before = request('dispatched', { timeline: s('[]') });
    const after = request('dispatched', { timeline: s('[{"type":"escalated"}]'), phase: s('completion') });
    expect(indexWriteUnits(byStatus, before, after)).toBe(0);
    // The long timeline is not in the entry: a small entry costs one unit.
    const small = { ...request('received'), description: s('short'), timeline: s('y'.repeat(5000)) };
    expect(indexWriteUnits(byStatus, undefined, small)).toBe(1);
    expect(indexWriteUnits(index('byDue'), before, after)).toBe(0);
  });

  it('projects everything a worklist shows', () => {
    const projected = new Set<string>('nonKeyAttributes' in byStatus ? byStatus.nonKeyAttributes : []);
    const shown = [...Object.keys(requestSummaryView.shape), ...Object.keys(feedbackSummaryView.shape)];
    // A request's deadlines are computed from what is projected: when it came, and its terms.
    expect(shown.filter((name) => !projected.has(name))).toEqual(['deadlines']);
    expect(['receivedAt', 'terms'].filter((name) => !projected.has(name))).toEqual([]);
  });
});
