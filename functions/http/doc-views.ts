import { contractTermsSchema, slaTermsSchema } from '#domain/contract.ts';
import { escalationLadderSchema } from '#domain/escalation-ladder.ts';
import { requestKinds } from '#domain/service-request.ts';
import { tenantSettingsSchema } from '#domain/tenant.ts';
import * as z from '#domain/zod.ts';
import {
  apiKeyRole,
  apiKeyView,
  conversationMarksView,
  feedbackSummaryView,
  instant,
  isoDate,
  periodicSurveyView,
  requestSummaryView,
} from './views.ts';

/**
 * The answers only the OpenAPI document describes (functions/route-docs.ts): apart from views.ts,
 * which handlers bundle whole (a view's schema is built as its module loads), so that no
 * function carries the schemas of answers it never gives.
 */

/** The one error shape of the API. */
export const errorView = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.optional(z.record(z.string(), z.array(z.string()))),
  }),
});

/** What API Gateway's authorizer answers itself (no key: 401; a key it refuses: 403). */
export const gatewayErrorView = z.object({ message: z.string() });

const timelineEvent = z.object({
  at: instant,
  type: z.string(),
  actor: z.string(),
  details: z.optional(z.record(z.string(), z.unknown())),
});

const breachView = z.object({
  promise: z.enum(['response', 'completion', 'feedback']),
  requestId: z.string(),
  contractId: z.string(),
  /** The contract version the request is judged by (breaches recorded before 10.1.1's statement have none). */
  contractVersion: z.optional(z.int()),
  deadline: instant,
  metAt: z.optional(instant),
  minutesLate: z.int(),
  open: z.boolean(),
});

/** A request with everything about it: timeline, deadlines, warranty and breaches. */
export const requestView = z.extend(requestSummaryView, {
  ...conversationMarksView.shape,
  timeline: z.array(timelineEvent),
  warranty: z.object({
    applies: z.boolean(),
    coveredUntil: z.optional(isoDate),
    inWarranty: z.optional(z.boolean()),
  }),
  breaches: z.array(breachView),
});

/** A page of a list: `nextCursor` is absent on the last page. */
const page = <T extends z.ZodMiniType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.optional(z.string()) });

export const requestListView = page(requestSummaryView);

export const feedbackView = z.extend(feedbackSummaryView, {
  ...conversationMarksView.shape,
  timeline: z.array(timelineEvent),
  breaches: z.array(breachView),
});

export const feedbackListView = page(feedbackSummaryView);

export const periodicSurveyListView = page(periodicSurveyView);

const nullableNumber = z.nullable(z.number());
export const satisfactionReportView = z.object({
  from: isoDate,
  to: isoDate,
  timeZone: z.string(),
  rows: z.array(
    z.object({
      period: z.string(),
      kind: z.string(),
      surveysSent: z.int(),
      answered: z.int(),
      responseRate: nullableNumber,
      csatService: nullableNumber,
      csatGoods: nullableNumber,
      satisfiedPercent: nullableNumber,
      nps: nullableNumber,
      feedbackOpened: z.int(),
      feedbackOnTime: z.int(),
      feedbackLate: z.int(),
      feedbackOverdue: z.int(),
    }),
  ),
  /** Promises kept, month by month (domain/promise-report.ts): on-time rates and breaches recorded. */
  promises: z.array(
    z.object({
      period: z.string(),
      requestsReceived: z.int(),
      responseOnTime: z.int(),
      responseLate: z.int(),
      responseOverdue: z.int(),
      responseOnTimePercent: nullableNumber,
      completionOnTime: z.int(),
      completionLate: z.int(),
      completionOverdue: z.int(),
      completionOnTimePercent: nullableNumber,
      responseBreaches: z.int(),
      completionBreaches: z.int(),
      feedbackBreaches: z.int(),
    }),
  ),
  changes: z.array(
    z.object({
      feedbackId: z.string(),
      kind: z.optional(z.string()),
      resolvedAt: instant,
      changes: z.string(),
    }),
  ),
});

/** The one answer that shows a key's secret. */
export const newApiKeyView = z.object({
  apiKey: z.string(),
  keyId: z.string(),
  role: apiKeyRole,
  staffId: z.optional(z.string()),
  createdAt: instant,
});
export const apiKeyListView = page(apiKeyView);
export const revokedApiKeyView = z.object({ keyId: z.string(), revoked: z.literal(true) });

const installmentView = z.object({
  dueDate: isoDate,
  amount: z.string(),
  label: z.optional(z.string()),
});
export const paymentScheduleView = z.object({
  contractId: z.string(),
  installments: z.array(installmentView),
});
export const paymentView = z.object({ paidOn: isoDate, amount: z.string(), reference: z.string() });

/** A contract's damages statement (10.1.1): functions/reports-api/statement.ts. */
export const statementView = z.object({
  contractId: z.string(),
  contractNumber: z.string(),
  contractVersion: z.int(),
  provider: z.string(),
  customer: z.string(),
  from: isoDate,
  to: isoDate,
  timeZone: z.string(),
  final: z.boolean(),
  currency: z.string(),
  counting: z.enum(['per_breach', 'per_month']),
  lines: z.array(
    z.object({
      subjectId: z.string(),
      promise: z.enum(['response', 'completion', 'feedback']),
      deadline: instant,
      metAt: z.optional(instant),
      minutesLate: z.int(),
      contractVersion: z.int(),
      ratePercent: z.number(),
      /** In the contract's currency, as a decimal string (exact). */
      damages: z.string(),
      note: z.optional(z.enum(['counted_in_month', 'capped'])),
    }),
  ),
  damagesTotal: z.string(),
  claimedBefore: z.string(),
  /** 10.1.2: every installment due by the period's end, as it stood then, and its late fee. */
  payments: z.object({
    counting: z.enum(['per_payment', 'per_day']),
    lateFeeRatePercent: z.number(),
    installments: z.array(
      z.object({
        dueDate: isoDate,
        label: z.optional(z.string()),
        amount: z.string(),
        paid: z.string(),
        outstanding: z.string(),
        paidInFullOn: z.optional(isoDate),
        daysLate: z.int(),
        lateFee: z.string(),
      }),
    ),
    totals: z.object({ due: z.string(), paid: z.string(), overdue: z.string(), lateFees: z.string() }),
  }),
});

export const accessTrailView = z.object({
  items: z.array(
    z.object({
      at: instant,
      actor: z.string(),
      role: z.string(),
      operation: z.string(),
      subjects: z.array(z.string()),
    }),
  ),
  nextCursor: z.optional(z.string()),
});

/** The tenant's own sending domain and the DNS records that verify it. */
export const sendingDomainView = z.object({
  domain: z.string(),
  status: z.enum(['pending', 'verified', 'failed']),
  dnsRecords: z.array(z.object({ type: z.literal('CNAME'), name: z.string(), value: z.string() })),
  requestedAt: instant,
  verifiedAt: z.optional(instant),
  /** The From of the tenant's emails now. */
  sendsAs: z.string(),
});

/** Settings as shown: storefront secrets never, only whether each storefront is configured. */
export const settingsView = z.extend(
  z.omit(tenantSettingsSchema, { storefronts: true, escalationLadder: true, defaultTerms: true }),
  {
    tenantId: z.string(),
    createdAt: instant,
    settingsVersion: z.optional(z.int()),
    escalationLadder: escalationLadderSchema,
    defaultTerms: slaTermsSchema,
    storefronts: z.object({
      shopify: z.object({
        configured: z.boolean(),
        shopDomain: z.optional(z.string()),
        returnKind: z.optional(z.enum(requestKinds)),
      }),
      woocommerce: z.object({
        configured: z.boolean(),
        statuses: z.optional(z.record(z.string(), z.string())),
      }),
      generic: z.object({ configured: z.boolean() }),
    }),
  },
);

export const calendarView = z.object({
  timeZone: z.string(),
  days: z.array(
    z.object({
      date: isoDate,
      working: z.boolean(),
      kind: z.enum([
        'extra_working_day',
        'closure',
        'make_up_working_day',
        'public_holiday',
        'weekend',
        'working_day',
      ]),
      estimated: z.boolean(),
    }),
  ),
});

const confirmation = z.object({ at: instant, by: z.string(), evidence: z.optional(z.string()) });
export const contractView = z.object({
  contractId: z.string(),
  inForceVersion: z.nullable(z.int()),
  terminated: z.boolean(),
  versions: z.array(
    z.object({
      contractId: z.string(),
      version: z.int(),
      terms: contractTermsSchema,
      providerConfirmedAt: z.optional(instant),
      customerConfirmedAt: z.optional(instant),
      providerConfirmation: z.optional(confirmation),
      customerConfirmation: z.optional(confirmation),
      terminatedAt: z.optional(instant),
      termination: z.optional(
        z.object({
          at: instant,
          ground: z.enum(['mutual_agreement', 'breach']),
          note: z.optional(z.string()),
        }),
      ),
      inForceFrom: z.nullable(instant),
      status: z.enum(['terminated', 'in_force', 'awaiting_confirmation', 'superseded', 'confirmed']),
    }),
  ),
});

/**
 * A storefront delivery, kept (202): `deliveryId` names it in the storefront inbox, from which it
 * is made a request (functions/storefront-inbox); `verified` is false when its signature could
 * not be checked yet (the table down) and will be before anything is made of it.
 */
export const deliveryKeptView = z.object({
  accepted: z.literal(true),
  deliveryId: z.string(),
  verified: z.boolean(),
});

/** What WooCommerce's ping (`webhook_id=N`, sent when a webhook is saved) is answered. */
export const pingView = z.object({ ignored: z.literal(true), reason: z.literal('ping') });

/** The OpenAPI document itself: an object, described by the specification, not again here. */
export const openApiView = z.record(z.string(), z.unknown());
