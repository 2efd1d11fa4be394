/**
 * Every Lambda function of the product, once: the CDK stack creates one NodejsFunction per
 * entry (and grants exactly what `uses` lists), and the local runtime imports the same entry
 * in-process. Paths are relative to the repository root.
 */
export interface FunctionSpec {
  entry: string;
  description: string;
  timeoutSeconds: number;
  /** Run on a schedule (infra/constructs/schedules.ts): one failure fails a whole pass, and is alarmed. */
  schedule?: 'daily' | 'every 5 minutes';
  /**
   * Concurrency kept for it alone: the workflow steps must run whatever the API's load (each
   * lifecycle waits on them). The account needs this much above its unreserved minimum (100).
   */
  reservedConcurrency?: number;
  uses: {
    /** The DynamoDB actions its code calls, granted on the table and its indexes only. */
    table: readonly TableAction[];
    /**
     * Writes only the access trail (functions/adapters/access-trail.ts): PutItem is granted on the
     * trail's own partitions alone (a function with PutItem in `table` writes it with that).
     */
    writesAccessTrailOnly?: true;
    sendsEmail: boolean;
    /** Starts bursts of these workflows (StartExecution): intake, a staff or customer change, the reconciler. */
    startsWorkflows: readonly WorkflowName[];
    /** Parks its lifecycle's next wake-up as a one-time schedule (infra/constructs/wake-ups.ts). */
    parksWakeUps?: true;
    /** Signs or verifies email links (reads the signing secret from SSM on AWS). */
    signsLinks: boolean;
    /** Seals or opens storefront secrets (reads the storefront-secrets key from SSM on AWS). */
    storefrontSecrets?: true;
    /** Adds, checks and removes tenants' own SES sending domains. */
    managesSendingDomains?: true;
    /** Checks the secret header CloudFront adds (reads it from Secrets Manager through SSM on AWS). */
    checksOrigin?: true;
    /** Creates, disables and enables staff sign-ins in the staff user pool (#15). */
    managesStaffLogins?: true;
    /** Keeps storefront deliveries in the storefront inbox (SQS SendMessage, #33). */
    keepsStorefrontDeliveries?: true;
    /** Reads the raw emails SES receiving keeps in the inbound bucket (#36). */
    readsInboundMail?: true;
  };
}

export type WorkflowName = 'serviceRequest' | 'feedbackCase';

export type TableAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:Query';

const readWrite: readonly TableAction[] = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:Query',
];

/** Also deletes: what is removed for good (API keys, sending domains, erased customers, ended contracts). */
const readWriteDelete: readonly TableAction[] = [...readWrite, 'dynamodb:DeleteItem'];

/**
 * Reads the table, and writes only the access trail: every function serving HTTP routes records
 * answers that show a customer's personal data (functions/http/router.ts, clause 12).
 */
const readsAndRecordsAccess = {
  table: ['dynamodb:GetItem', 'dynamodb:Query'],
  writesAccessTrailOnly: true,
  sendsEmail: false,
  startsWorkflows: [],
  signsLinks: false,
} as const;

export const functionCatalog = {
  authorizer: {
    entry: 'functions/authorizer/handler.ts',
    description:
      'HTTP API Lambda authorizer: tenant API keys or staff ID tokens (Bearer), through CloudFront',
    timeoutSeconds: 5,
    uses: {
      table: ['dynamodb:GetItem'],
      sendsEmail: false,
      startsWorkflows: [],
      signsLinks: false,
      checksOrigin: true,
    },
  },
  originAuthorizer: {
    entry: 'functions/origin-authorizer/handler.ts',
    description: 'HTTP API Lambda authorizer of the routes without a key: came through CloudFront',
    timeoutSeconds: 5,
    uses: {
      table: [],
      sendsEmail: false,
      startsWorkflows: [],
      signsLinks: false,
      checksOrigin: true,
    },
  },
  requestsApi: {
    entry: 'functions/requests-api/handler.ts',
    description: 'Staff actions on service requests: create, read, acknowledge, dispatch, complete, cancel',
    timeoutSeconds: 15,
    uses: {
      table: [...readWrite, 'dynamodb:BatchGetItem'],
      // The customer's confirmation goes out with the acknowledgement (6.1.2).
      sendsEmail: true,
      startsWorkflows: ['serviceRequest', 'feedbackCase'],
      signsLinks: false,
    },
  },
  actionLinks: {
    entry: 'functions/action-links/handler.ts',
    description: 'Signed links in escalation emails: acknowledge or take over without logging in',
    timeoutSeconds: 15,
    uses: {
      table: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      sendsEmail: true,
      startsWorkflows: ['serviceRequest'],
      signsLinks: true,
    },
  },
  serviceRequestSteps: {
    entry: 'functions/service-request-steps/handler.ts',
    description:
      'Task steps of the service-request workflow: resume, await, escalate, confirm, record, close',
    timeoutSeconds: 30,
    reservedConcurrency: 50,
    uses: {
      table: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      sendsEmail: true,
      // A survey answer's feedback case is opened before the request closes, if it is not yet.
      startsWorkflows: ['feedbackCase'],
      parksWakeUps: true,
      signsLinks: true,
      // A Shopify return's customer and items are read with the shop's Admin API token.
      storefrontSecrets: true,
    },
  },
  webhooks: {
    entry: 'functions/webhooks/handler.ts',
    description:
      'Storefront intake: signed Shopify, WooCommerce and generic webhooks, authenticated and kept in the storefront inbox',
    timeoutSeconds: 10,
    uses: {
      // The tenant, for the storefront's secret: all it reads. (Its router can write the access
      // trail, as every HTTP function's does; none of its routes shows personal data.)
      table: ['dynamodb:GetItem'],
      writesAccessTrailOnly: true,
      sendsEmail: false,
      startsWorkflows: [],
      signsLinks: false,
      storefrontSecrets: true,
      keepsStorefrontDeliveries: true,
    },
  },
  storefrontInbox: {
    entry: 'functions/storefront-inbox/handler.ts',
    description:
      'Storefront deliveries from the inbox: checked if kept unverified, then one request per return or order, in the order the shop says things happened',
    timeoutSeconds: 30,
    uses: {
      // Updates: a declined or cancelled Shopify return cancels its request; WooCommerce orders are tracked.
      // Deletes: Shopify's customers/redact erases a customer (their partition, their suppressions).
      table: [...readWriteDelete, 'dynamodb:BatchGetItem'],
      sendsEmail: false,
      startsWorkflows: ['serviceRequest', 'feedbackCase'],
      // A cancelled request's waiting lifecycle is ended; an erased customer's lifecycles too.
      signsLinks: false,
      storefrontSecrets: true,
    },
  },
  tenantApi: {
    entry: 'functions/tenant-api/handler.ts',
    description: 'Tenant administration: API keys, settings, contracts with two-party confirmation',
    timeoutSeconds: 10,
    uses: {
      table: readWriteDelete,
      sendsEmail: false,
      startsWorkflows: [],
      signsLinks: false,
      // Storefront secrets are sealed as they are saved.
      storefrontSecrets: true,
      managesSendingDomains: true,
    },
  },
  peopleApi: {
    entry: 'functions/people-api/handler.ts',
    description:
      'Staff sign-ins: invite, disable, enable (#15); customers’ personal data: export, erasure, storefronts’ data requests (12)',
    timeoutSeconds: 30,
    uses: {
      // Deletes: an erasure deletes the customer's partition, suppressions and kept exports.
      table: [...readWriteDelete, 'dynamodb:BatchGetItem'],
      // Staff invitations.
      sendsEmail: true,
      startsWorkflows: ['serviceRequest', 'feedbackCase'],
      // Erasing a customer ends their running lifecycles.
      signsLinks: false,
      managesStaffLogins: true,
    },
  },
  documents: {
    entry: 'functions/documents/handler.ts',
    description:
      'Documents from the live configuration: OpenAPI, the survey form (11.2), service records; unknown routes',
    timeoutSeconds: 10,
    uses: readsAndRecordsAccess,
  },
  flowCharts: {
    entry: 'functions/flow-charts/handler.ts',
    description: 'Charts: the service flow chart (11.2) and the deployed state machines',
    timeoutSeconds: 10,
    uses: readsAndRecordsAccess,
  },
  feedbackApi: {
    entry: 'functions/feedback-api/handler.ts',
    description:
      'Feedback cases: staff entry, read, resolve (7.2); periodic surveys: list, phone interviews (7.1)',
    timeoutSeconds: 15,
    uses: {
      table: [
        'dynamodb:GetItem',
        'dynamodb:BatchGetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:Query',
      ],
      sendsEmail: false,
      startsWorkflows: ['feedbackCase'],
      signsLinks: false,
    },
  },
  feedbackCaseSteps: {
    entry: 'functions/feedback-case-steps/handler.ts',
    description:
      'Task steps of the feedback-case workflow: resume, await, escalate, tell the customer, close',
    timeoutSeconds: 30,
    reservedConcurrency: 20,
    uses: {
      table: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      sendsEmail: true,
      startsWorkflows: [],
      parksWakeUps: true,
      signsLinks: true,
    },
  },
  surveyPage: {
    entry: 'functions/survey-page/handler.ts',
    description: 'The customer survey page reached from the service-record email (clause 7.1)',
    timeoutSeconds: 10,
    uses: {
      table: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      sendsEmail: false,
      startsWorkflows: ['serviceRequest', 'feedbackCase'],
      signsLinks: true,
    },
  },
  reportsApi: {
    entry: 'functions/reports-api/handler.ts',
    description: 'Satisfaction reports: CSAT, NPS, response rate, feedback timeliness (clause 7.2.2)',
    timeoutSeconds: 30,
    uses: readsAndRecordsAccess,
  },
  campaigns: {
    entry: 'functions/campaigns/handler.ts',
    description:
      'Daily: periodic follow-up visits (3.1c) and satisfaction surveys (7.1.1) that are due; feedback due dates confirmed once a holiday arrangement is published; payment reminders (10.1.2); personal and contract data retention (12)',
    // Lambda's maximum, for one tenant's run (the schedule's run only queues the tenants):
    // `npm run bench` measures ~6 ms per idle tenant and ~16 ms per survey locally.
    timeoutSeconds: 900,
    schedule: 'daily',
    uses: {
      // Deletes: retention erases customers and ends contracts' data (clause 12).
      table: [...readWriteDelete, 'dynamodb:BatchGetItem'],
      sendsEmail: true,
      startsWorkflows: ['serviceRequest', 'feedbackCase'],
      signsLinks: true,
    },
  },
  conversationsApi: {
    entry: 'functions/conversations-api/handler.ts',
    description:
      'Conversations on requests and feedback cases: notes (mentions emailed), replies to the customer, mail held for review',
    timeoutSeconds: 15,
    uses: {
      // Deletes held mail staff took in or dismissed.
      table: [...readWriteDelete, 'dynamodb:BatchGetItem'],
      sendsEmail: true,
      // A reply that is the response (6.1.2, replyConfirmsNeed) wakes the request's lifecycle.
      startsWorkflows: ['serviceRequest'],
      // A subject's reply address is an HMAC with the links' key.
      signsLinks: true,
    },
  },
  inboundMail: {
    entry: 'functions/inbound-mail/handler.ts',
    description:
      'SES receiving: a customer’s email to a reply address joins its subject’s conversation, or is held for review',
    timeoutSeconds: 30,
    uses: {
      table: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      sendsEmail: false,
      startsWorkflows: [],
      signsLinks: false,
      readsInboundMail: true,
    },
  },
  emailEvents: {
    entry: 'functions/email-events/handler.ts',
    description:
      'SES bounces and complaints: the address suppressed, the request or case it was about told, its staff asked to reach the customer another way',
    timeoutSeconds: 30,
    uses: {
      table: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      sendsEmail: true,
      startsWorkflows: [],
      signsLinks: false,
    },
  },
  reconciler: {
    entry: 'functions/reconciler/handler.ts',
    description:
      'Every 5 minutes: starts or restarts the lifecycle of any open request or feedback case whose execution is missing or over',
    timeoutSeconds: 300,
    schedule: 'every 5 minutes',
    uses: {
      // PutItem: a restart's timeline event may move old events to an archive page. PutItem and
      // DeleteItem: a due-time entry whose subject is gone is cleared by a placeholder.
      table: [
        'dynamodb:BatchGetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:Query',
      ],
      sendsEmail: false,
      startsWorkflows: ['serviceRequest', 'feedbackCase'],
      signsLinks: false,
    },
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functionCatalog;

/**
 * The storefront inbox (functions/storefront-inbox): one delivery per invocation. A delivery that
 * cannot be received yet (DynamoDB, Step Functions or the shop's API down) is tried again after
 * the visibility timeout (six times the consumer's, as Lambda wants), for about an hour and a
 * half in all, then dead-lettered (alarmed; an operator redrives it once the cause is fixed).
 */
export const STOREFRONT_INBOX_QUEUE = {
  visibilityTimeoutSeconds: 6 * functionCatalog.storefrontInbox.timeoutSeconds,
  maxReceiveCount: 30,
} as const;

/**
 * The daily run's queue (functions/campaigns): one message per tenant, one tenant per invocation.
 * Lambda wants the visibility timeout at six times the consumer's timeout; a tenant whose run
 * fails is tried this many times in all, then dead-lettered (alarmed on).
 */
export const DAILY_RUN_QUEUE = {
  visibilityTimeoutSeconds: 6 * functionCatalog.campaigns.timeoutSeconds,
  maxReceiveCount: 3,
  /** Tenants run at once: the account's SES send rate is shared by all of them. */
  maxConcurrency: 10,
} as const;
