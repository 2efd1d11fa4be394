import { customerSchema, requestKinds, requestStatuses } from '#domain/service-request.ts';
import * as z from '#domain/zod.ts';

/**
 * What the API answers, as zod schemas: the route docs (functions/route-docs.ts) give each
 * response one of these, the OpenAPI document shows them, and the test suite checks every
 * response it receives against that document. Here the views handlers use to shape answers;
 * the ones only the document describes are in doc-views.ts, people-views.ts.
 */

export const instant = z.iso.datetime({ offset: true });
export const isoDate = z.iso.date();

const surveyAnswerView = z.object({
  serviceScore: z.int(),
  goodsScore: z.int(),
  recommendScore: z.int(),
  serviceOpinion: z.optional(z.string()),
  goodsOpinion: z.optional(z.string()),
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
  customer: z.optional(customerSchema),
  /** "Customer details pending": a storefront delivery named its customer by id, being read. */
  customerLookup: z.optional(
    z.object({
      storefront: z.enum(['shopify', 'woocommerce']),
      shopDomain: z.string(),
      /** Shopify: the return whose customer is read. */
      returnId: z.optional(z.string()),
      orderId: z.string(),
      attempts: z.int(),
      /** When it is read next; absent when only staff can enter the details (WooCommerce). */
      nextAttemptAt: z.optional(instant),
      lastFailure: z.optional(z.object({ code: z.string(), message: z.string(), at: instant })),
    }),
  ),
  customerEmailUndeliverable: z.optional(undeliverableView),
  orderReference: z.optional(z.string()),
  productReference: z.optional(z.string()),
  deliveryDate: z.optional(isoDate),
  description: z.string(),
  terms: z.object({
    contractId: z.string(),
    contractVersion: z.int(),
    responseHours: z.number(),
    completionHours: z.number(),
    warrantyMonths: z.int(),
    feedbackWorkingDays: z.int(),
  }),
  assigneeId: z.optional(z.string()),
  /** When the response (5.1.1) and the completion are due: what a worklist orders by. */
  deadlines: z.object({ response: instant, completion: instant }),
  receivedAt: instant,
  acknowledgedAt: z.optional(instant),
  acknowledgedBy: z.optional(z.string()),
  dispatch: z.optional(
    z.object({
      technicianId: z.string(),
      mode: z.enum(['on_site', 'remote']),
      scheduledFor: z.optional(instant),
      dispatchedAt: instant,
      dispatchedBy: z.string(),
    }),
  ),
  completedAt: z.optional(instant),
  serviceRecord: z.optional(
    z.object({
      recordNumber: z.string(),
      requestId: z.string(),
      workDone: z.string(),
      startedAt: instant,
      endedAt: instant,
      staff: z.array(z.object({ staffId: z.string(), name: z.string() })),
      restoredToNormalUse: z.boolean(),
      issuedAt: instant,
    }),
  ),
  closedAt: z.optional(instant),
  cancelledAt: z.optional(instant),
  cancelReason: z.optional(z.string()),
  escalationsTaken: z.array(z.string()),
  confirmationSent: z.boolean(),
  serviceRecordDelivered: z.boolean(),
  survey: z.optional(
    z.object({
      invitedAt: instant,
      reminderAt: instant,
      expiresAt: instant,
      remindedAt: z.optional(instant),
      answeredAt: z.optional(instant),
      language: z.enum(['zh-CN', 'en']),
      answer: z.optional(surveyAnswerView),
      answeredVia: z.optional(z.enum(['web', 'phone'])),
      answeredBy: z.optional(z.string()),
    }),
  ),
});

export const feedbackSummaryView = z.object({
  tenantId: z.string(),
  feedbackId: z.string(),
  category: z.enum(['complaint', 'low_score', 'suggestion', 'opinion']),
  customer: customerSchema,
  customerEmailUndeliverable: z.optional(undeliverableView),
  content: z.string(),
  requestId: z.optional(z.string()),
  requestKind: z.optional(z.string()),
  assigneeId: z.optional(z.string()),
  contractId: z.string(),
  workingDays: z.int(),
  status: z.enum(['open', 'resolved', 'closed']),
  receivedAt: instant,
  dueAt: instant,
  dueConfirmed: z.optional(z.boolean()),
  escalationsTaken: z.array(z.string()),
  resultSent: z.boolean(),
  resolution: z.optional(
    z.object({
      result: z.string(),
      changes: z.optional(z.string()),
      resolvedAt: instant,
      resolvedBy: z.string(),
    }),
  ),
  closedAt: z.optional(instant),
});

export const periodicSurveyView = z.object({
  tenantId: z.string(),
  surveyId: z.string(),
  customer: customerSchema,
  language: z.enum(['zh-CN', 'en']),
  invitedAt: instant,
  reminderAt: instant,
  expiresAt: instant,
  remindedAt: z.optional(instant),
  answer: z.optional(surveyAnswerView),
  answeredAt: z.optional(instant),
  answeredVia: z.optional(z.enum(['web', 'phone'])),
  answeredBy: z.optional(z.string()),
  emailRejected: z.optional(z.string()),
});

export const apiKeyRole = z.enum(['agent', 'manager', 'admin']);
export const apiKeyView = z.object({
  tenantId: z.string(),
  keyId: z.string(),
  role: apiKeyRole,
  staffId: z.optional(z.string()),
  createdAt: instant,
  revokedAt: z.optional(instant),
});

const attachmentView = z.object({
  filename: z.string(),
  contentType: z.string(),
  size: z.int(),
  /** Where the file is kept (for now: in the original email, on AWS in the inbound bucket). */
  key: z.optional(z.string()),
  /** Why it was not kept (too large, not a photo or a PDF by its content). */
  refused: z.optional(z.string()),
});

/** One message of a conversation (#36): a customer's email, our reply, or a staff note. */
export const messageView = z.object({
  messageId: z.string(),
  kind: z.enum(['customer', 'reply', 'note']),
  at: instant,
  author: z.string(),
  text: z.string(),
  quoted: z.optional(z.string()),
  mentions: z.optional(z.array(z.string())),
  emailSubject: z.optional(z.string()),
  attachments: z.optional(z.array(attachmentView)),
  afterEnd: z.optional(z.literal(true)),
  delivery: z.optional(z.enum(['sent', 'rejected'])),
  rejection: z.optional(z.string()),
});

export const heldMailView = z.object({
  heldId: z.string(),
  at: instant,
  reason: z.enum(['no-subject', 'unauthenticated', 'spam', 'virus', 'unknown-sender', 'automated']),
  from: z.string(),
  to: z.array(z.string()),
  emailSubject: z.string(),
  subjectId: z.optional(z.string()),
  text: z.string(),
  attachments: z.array(attachmentView),
});

/**
 * Who spoke last in a subject's conversation (#36): the customer's last email, and our last
 * reply; a later email waits for an answer. On a request's or a case's own page (the worklist's
 * index does not carry them yet).
 */
export const conversationMarksView = z.object({
  lastCustomerMessageAt: z.optional(instant),
  lastReplyToCustomerAt: z.optional(instant),
});

/** `GET /v1/worklist/counts` (domain/worklist.ts): the worklist's views at a glance. */
export const worklistCountsView = z.object({
  open: z.int(),
  byStatus: z.record(z.string(), z.int()),
  breached: z.int(),
  dueToday: z.int(),
  unassigned: z.int(),
  mine: z.optional(z.int()),
  /** When they were counted (they may be up to 15 seconds old). */
  countedAt: instant,
});

/** `GET /v1/customers/{email}` (#37): everything of one customer, newest first. */
export const customerHistoryView = z.object({
  email: z.string(),
  /** Their details as the latest request, case or survey has them. */
  customer: z.optional(customerSchema),
  requests: z.array(requestSummaryView),
  feedbackCases: z.array(feedbackSummaryView),
  periodicSurveys: z.array(periodicSurveyView),
});
