import * as z from 'zod';
import { contractTermsSchema, slaTermsSchema } from '../../domain/contract.ts';
import { escalationLadderSchema } from '../../domain/escalation-ladder.ts';
import { customerSchema, requestKinds, requestStatuses } from '../../domain/service-request.ts';
import { tenantSettingsSchema } from '../../domain/tenant.ts';

/**
 * What the API answers, as zod schemas: the route table (functions/routes.ts) gives each
 * success response one of these, the OpenAPI document shows them, and the test suite checks
 * every response it receives against that document.
 */

const instant = z.iso.datetime({ offset: true });
const isoDate = z.iso.date();

/** The one error shape of the API. */
export const errorView = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.array(z.string())).optional(),
  }),
});

/** What API Gateway's authorizer answers itself (no key: 401; a key it refuses: 403). */
export const gatewayErrorView = z.object({ message: z.string() });

const timelineEvent = z.object({
  at: instant,
  type: z.string(),
  actor: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

const surveyAnswerView = z.object({
  serviceScore: z.number().int(),
  goodsScore: z.number().int(),
  recommendScore: z.number().int(),
  serviceOpinion: z.string().optional(),
  goodsOpinion: z.string().optional(),
});

const breachView = z.object({
  promise: z.enum(['response', 'completion', 'feedback']),
  requestId: z.string(),
  contractId: z.string(),
  deadline: instant,
  metAt: instant.optional(),
  minutesLate: z.number().int(),
  open: z.boolean(),
});

/** The customer's address no longer takes email: staff reach them another way. */
const undeliverableView = z.object({
  address: z.string(),
  reason: z.enum(['bounce', 'complaint']),
  detail: z.string(),
  at: instant,
});

/** A request as a list shows it: no timeline. */
export const requestSummaryView = z.object({
  tenantId: z.string(),
  requestId: z.string(),
  kind: z.enum(requestKinds),
  status: z.enum(requestStatuses),
  channel: z.string(),
  /** Absent while `customerLookup` reads the customer from the storefront. */
  customer: customerSchema.optional(),
  /** "Customer details pending": a storefront delivery named its customer by id, being read. */
  customerLookup: z
    .object({
      storefront: z.enum(['shopify']),
      shopDomain: z.string(),
      returnId: z.string(),
      orderId: z.string(),
      attempts: z.number().int(),
      nextAttemptAt: instant,
      lastFailure: z.object({ code: z.string(), message: z.string(), at: instant }).optional(),
    })
    .optional(),
  customerEmailUndeliverable: undeliverableView.optional(),
  orderReference: z.string().optional(),
  productReference: z.string().optional(),
  deliveryDate: isoDate.optional(),
  description: z.string(),
  terms: z.object({
    contractId: z.string(),
    contractVersion: z.number().int(),
    responseHours: z.number(),
    completionHours: z.number(),
    warrantyMonths: z.number().int(),
    feedbackWorkingDays: z.number().int(),
  }),
  assigneeId: z.string().optional(),
  receivedAt: instant,
  acknowledgedAt: instant.optional(),
  acknowledgedBy: z.string().optional(),
  dispatch: z
    .object({
      technicianId: z.string(),
      mode: z.enum(['on_site', 'remote']),
      scheduledFor: instant.optional(),
      dispatchedAt: instant,
      dispatchedBy: z.string(),
    })
    .optional(),
  completedAt: instant.optional(),
  serviceRecord: z
    .object({
      recordNumber: z.string(),
      requestId: z.string(),
      workDone: z.string(),
      startedAt: instant,
      endedAt: instant,
      staff: z.array(z.object({ staffId: z.string(), name: z.string() })),
      restoredToNormalUse: z.boolean(),
      issuedAt: instant,
    })
    .optional(),
  closedAt: instant.optional(),
  cancelledAt: instant.optional(),
  cancelReason: z.string().optional(),
  escalationsTaken: z.array(z.string()),
  confirmationSent: z.boolean(),
  serviceRecordDelivered: z.boolean(),
  survey: z
    .object({
      invitedAt: instant,
      reminderAt: instant,
      expiresAt: instant,
      remindedAt: instant.optional(),
      answeredAt: instant.optional(),
      language: z.enum(['zh-CN', 'en']),
      answer: surveyAnswerView.optional(),
      answeredVia: z.enum(['web', 'phone']).optional(),
      answeredBy: z.string().optional(),
    })
    .optional(),
});

/** A request with everything about it: timeline, deadlines, warranty and breaches. */
export const requestView = requestSummaryView.extend({
  timeline: z.array(timelineEvent),
  deadlines: z.object({ response: instant, completion: instant }),
  warranty: z.object({
    applies: z.boolean(),
    coveredUntil: isoDate.optional(),
    inWarranty: z.boolean().optional(),
  }),
  breaches: z.array(breachView),
});

/** A page of a list: `nextCursor` is absent on the last page. */
const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional() });

export const requestListView = page(requestSummaryView);

export const feedbackSummaryView = z.object({
  tenantId: z.string(),
  feedbackId: z.string(),
  category: z.enum(['complaint', 'low_score', 'suggestion', 'opinion']),
  customer: customerSchema,
  customerEmailUndeliverable: undeliverableView.optional(),
  content: z.string(),
  requestId: z.string().optional(),
  requestKind: z.string().optional(),
  assigneeId: z.string().optional(),
  contractId: z.string(),
  workingDays: z.number().int(),
  status: z.enum(['open', 'resolved', 'closed']),
  receivedAt: instant,
  dueAt: instant,
  dueConfirmed: z.boolean().optional(),
  escalationsTaken: z.array(z.string()),
  resultSent: z.boolean(),
  resolution: z
    .object({
      result: z.string(),
      changes: z.string().optional(),
      resolvedAt: instant,
      resolvedBy: z.string(),
    })
    .optional(),
  closedAt: instant.optional(),
});

export const feedbackView = feedbackSummaryView.extend({
  timeline: z.array(timelineEvent),
  breaches: z.array(breachView),
});

export const feedbackListView = page(feedbackSummaryView);

export const periodicSurveyView = z.object({
  tenantId: z.string(),
  surveyId: z.string(),
  customer: customerSchema,
  language: z.enum(['zh-CN', 'en']),
  invitedAt: instant,
  reminderAt: instant,
  expiresAt: instant,
  remindedAt: instant.optional(),
  answer: surveyAnswerView.optional(),
  answeredAt: instant.optional(),
  answeredVia: z.enum(['web', 'phone']).optional(),
  answeredBy: z.string().optional(),
  emailRejected: z.string().optional(),
});

export const periodicSurveyListView = page(periodicSurveyView);

const nullableNumber = z.number().nullable();
export const satisfactionReportView = z.object({
  from: isoDate,
  to: isoDate,
  timeZone: z.string(),
  rows: z.array(
    z.object({
      period: z.string(),
      kind: z.string(),
      surveysSent: z.number().int(),
      answered: z.number().int(),
      responseRate: nullableNumber,
      csatService: nullableNumber,
      csatGoods: nullableNumber,
      satisfiedPercent: nullableNumber,
      nps: nullableNumber,
      feedbackOpened: z.number().int(),
      feedbackOnTime: z.number().int(),
      feedbackLate: z.number().int(),
      feedbackOverdue: z.number().int(),
    }),
  ),
  changes: z.array(
    z.object({
      feedbackId: z.string(),
      kind: z.string().optional(),
      resolvedAt: instant,
      changes: z.string(),
    }),
  ),
});

const apiKeyRole = z.enum(['agent', 'manager', 'admin']);
export const apiKeyView = z.object({
  tenantId: z.string(),
  keyId: z.string(),
  role: apiKeyRole,
  staffId: z.string().optional(),
  createdAt: instant,
  revokedAt: instant.optional(),
});
/** The one answer that shows a key's secret. */
export const newApiKeyView = z.object({
  apiKey: z.string(),
  keyId: z.string(),
  role: apiKeyRole,
  staffId: z.string().optional(),
  createdAt: instant,
});
export const apiKeyListView = page(apiKeyView);
export const revokedApiKeyView = z.object({ keyId: z.string(), revoked: z.literal(true) });

/** Settings as shown: storefront secrets never, only whether each storefront is configured. */
export const settingsView = tenantSettingsSchema
  .omit({ storefronts: true, escalationLadder: true, defaultTerms: true })
  .extend({
    tenantId: z.string(),
    createdAt: instant,
    settingsVersion: z.number().int().optional(),
    escalationLadder: escalationLadderSchema,
    defaultTerms: slaTermsSchema,
    storefronts: z.object({
      shopify: z.object({
        configured: z.boolean(),
        shopDomain: z.string().optional(),
        returnKind: z.enum(requestKinds).optional(),
      }),
      woocommerce: z.object({
        configured: z.boolean(),
        statuses: z.record(z.string(), z.string()).optional(),
      }),
      generic: z.object({ configured: z.boolean() }),
    }),
  });

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

const confirmation = z.object({ at: instant, by: z.string(), evidence: z.string().optional() });
export const contractView = z.object({
  contractId: z.string(),
  inForceVersion: z.number().int().nullable(),
  terminated: z.boolean(),
  versions: z.array(
    z.object({
      contractId: z.string(),
      version: z.number().int(),
      terms: contractTermsSchema,
      providerConfirmedAt: instant.optional(),
      customerConfirmedAt: instant.optional(),
      providerConfirmation: confirmation.optional(),
      customerConfirmation: confirmation.optional(),
      terminatedAt: instant.optional(),
      termination: z
        .object({ at: instant, ground: z.enum(['mutual_agreement', 'breach']), note: z.string().optional() })
        .optional(),
      inForceFrom: instant.nullable(),
      status: z.enum(['terminated', 'in_force', 'awaiting_confirmation', 'superseded', 'confirmed']),
    }),
  ),
});

/** A storefront delivery's outcome: the request it made (201) or found (200), or why it was ignored. */
export const deliveryView = z.union([
  z.object({ requestId: z.string(), status: z.enum(requestStatuses), duplicate: z.boolean() }),
  z.object({ ignored: z.literal(true), reason: z.string() }),
]);

/** The OpenAPI document itself: an object, described by the specification, not again here. */
export const openApiView = z.record(z.string(), z.unknown());
