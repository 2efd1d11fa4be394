/**
 * Every Lambda function of the product, once: the CDK stack creates one NodejsFunction per
 * entry (and grants exactly what `uses` lists), and the local runtime imports the same entry
 * in-process. Paths are relative to the repository root.
 */
export interface FunctionSpec {
  entry: string;
  description: string;
  timeoutSeconds: number;
  uses: {
    table: 'read' | 'readWrite';
    sendsEmail: boolean;
    /** Step Functions calls it makes: start executions of these workflows, answer task tokens. */
    startsWorkflows: readonly WorkflowName[];
    answersTaskTokens: boolean;
  };
}

export type WorkflowName = 'serviceRequest';

export const functionCatalog = {
  authorizer: {
    entry: 'functions/authorizer/handler.ts',
    description: 'HTTP API Lambda authorizer: tenant API keys (Bearer)',
    timeoutSeconds: 5,
    uses: { table: 'read', sendsEmail: false, startsWorkflows: [], answersTaskTokens: false },
  },
  requestsApi: {
    entry: 'functions/requests-api/handler.ts',
    description: 'Staff actions on service requests: create, read, acknowledge, dispatch, complete, cancel',
    timeoutSeconds: 15,
    uses: {
      table: 'readWrite',
      sendsEmail: false,
      startsWorkflows: ['serviceRequest'],
      answersTaskTokens: true,
    },
  },
  actionLinks: {
    entry: 'functions/action-links/handler.ts',
    description: 'Signed links in escalation emails: acknowledge or take over without logging in',
    timeoutSeconds: 15,
    uses: { table: 'readWrite', sendsEmail: false, startsWorkflows: [], answersTaskTokens: true },
  },
  serviceRequestSteps: {
    entry: 'functions/service-request-steps/handler.ts',
    description:
      'Task steps of the service-request workflow: resume, await, escalate, confirm, record, close',
    timeoutSeconds: 30,
    uses: { table: 'readWrite', sendsEmail: true, startsWorkflows: [], answersTaskTokens: true },
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functionCatalog;
