import { describe, expect, it } from 'vitest';
import { languageOfLocale, nextLookupAttempt } from '#domain/customer-lookup.ts';
import type { EscalationPolicy } from '#domain/escalation-ladder.ts';
import { type LifecycleState, route } from '#domain/lifecycle.ts';

const policy: EscalationPolicy = {
  ladder: {
    levels: [{ name: 'Team lead', recipients: ['lead@x.example'], delayMinutes: 0 }],
    approachingWarningFraction: 0.75,
  },
  calendar: {
    timeZone: 'Asia/Shanghai',
    weekendDays: [0, 6],
    chinaPublicHolidays: true,
    closures: [],
    extraWorkingDays: [],
  },
};

/** A Shopify return received Monday 2 March 2026 09:00 Shanghai, its customer still being read. */
const pending: LifecycleState = {
  status: 'received',
  receivedAt: '2026-03-02T01:00:00.000Z',
  terms: { responseHours: 2, completionHours: 72 },
  escalationsTaken: [],
  confirmationSent: false,
  serviceRecordDelivered: false,
  customerLookupAt: '2026-03-02T01:01:00.000Z',
};
const at = (iso: string) => new Date(iso);

describe('nextLookupAttempt: how long a failed lookup waits', () => {
  it('doubles from a minute to an hour, then stays at an hour', () => {
    const failedAt = at('2026-03-02T01:00:00.000Z');
    const waits = [1, 2, 3, 4, 6, 7, 8, 20].map(
      (attempts) => (nextLookupAttempt(attempts, failedAt).getTime() - failedAt.getTime()) / 1000,
    );
    expect(waits).toEqual([60, 120, 240, 480, 1920, 3600, 3600, 3600]);
  });

  it('waits longer when the storefront asks for it (Retry-After), never shorter', () => {
    const failedAt = at('2026-03-02T01:00:00.000Z');
    expect(nextLookupAttempt(1, failedAt, 90).toISOString()).toBe('2026-03-02T01:01:30.000Z');
    expect(nextLookupAttempt(3, failedAt, 2).toISOString()).toBe('2026-03-02T01:04:00.000Z');
  });
});

describe('languageOfLocale', () => {
  it('reads the locales storefronts send as the languages customer emails are written in', () => {
    expect(['zh-CN', 'zh', 'zh-Hans-CN', 'en', 'en-US', 'fr', '', null].map(languageOfLocale)).toEqual([
      'zh-CN',
      'zh-CN',
      'zh-CN',
      'en',
      'en',
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('route: a request whose customer is still being looked up', () => {
  it('looks the customer up when the attempt is due, before anything else', () => {
    expect(route(pending, policy, at('2026-03-02T01:01:00.000Z'))).toEqual({
      phase: 'lookUpCustomer',
      waitSeconds: 0,
    });
    // Even with a missed deadline due: the escalation comes right after (the route is asked again).
    expect(route(pending, policy, at('2026-03-02T03:30:00.000Z')).phase).toBe('lookUpCustomer');
  });

  it('waits for whichever comes first: the next attempt or the next escalation step', () => {
    expect(route(pending, policy, at('2026-03-02T01:00:30.000Z'))).toEqual({
      phase: 'awaitAcknowledgement',
      waitSeconds: 30,
    });
    const later = { ...pending, customerLookupAt: '2026-03-02T05:00:00.000Z' };
    // The response deadline (03:00) passes first: the wait ends at 03:00:00.001.
    expect(route(later, policy, at('2026-03-02T02:30:00.000Z'))).toEqual({
      phase: 'awaitAcknowledgement',
      waitSeconds: 1801,
    });
  });

  it('keeps the confirmation and the service record until the customer is known, watching completion meanwhile', () => {
    const acknowledged = {
      ...pending,
      status: 'acknowledged' as const,
      acknowledgedAt: '2026-03-02T01:30:00.000Z',
      customerLookupAt: '2026-03-02T02:00:00.000Z',
    };
    expect(route(acknowledged, policy, at('2026-03-02T01:40:00.000Z'))).toEqual({
      phase: 'awaitCompletion',
      waitSeconds: 1200,
    });
    expect(
      route({ ...acknowledged, customerLookupAt: undefined }, policy, at('2026-03-02T01:40:00.000Z')).phase,
    ).toBe('confirmNeed');
    const completed = { ...acknowledged, status: 'completed' as const, confirmationSent: true };
    expect(route(completed, policy, at('2026-03-02T01:40:00.000Z'))).toEqual({
      phase: 'awaitCustomerDetails',
      waitSeconds: 1200,
    });
    expect(
      route({ ...completed, customerLookupAt: undefined }, policy, at('2026-03-02T01:40:00.000Z')).phase,
    ).toBe('deliverServiceRecord');
  });

  it('ends with the request: a cancelled request looks nothing up', () => {
    expect(route({ ...pending, status: 'cancelled' }, policy, at('2026-03-02T02:00:00.000Z')).phase).toBe(
      'end',
    );
  });
});
