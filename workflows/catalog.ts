import type { StateMachineDefinition } from './asl.ts';
import { feedbackCaseDefinition } from './feedback-case/definition.ts';
import { serviceRequestDefinition } from './service-request/definition.ts';

/**
 * Every state machine, with the functions its `${Placeholders}` name. CDK deploys these and
 * the local runtime registers the same definitions.
 */
export const workflowCatalog = {
  serviceRequest: {
    stateMachineName: 'service-request',
    /** Where functions that start it find its ARN (functions/adapters/config.ts). */
    arnVariable: 'SERVICE_REQUEST_STATE_MACHINE_ARN',
    definition: serviceRequestDefinition,
    /** Placeholder → function (a key of functions/catalog.ts). */
    functions: { ServiceRequestStepsFunctionArn: 'serviceRequestSteps' },
  },
  feedbackCase: {
    stateMachineName: 'feedback-case',
    arnVariable: 'FEEDBACK_CASE_STATE_MACHINE_ARN',
    definition: feedbackCaseDefinition,
    functions: { FeedbackCaseStepsFunctionArn: 'feedbackCaseSteps' },
  },
} as const satisfies Record<
  string,
  {
    stateMachineName: string;
    arnVariable: string;
    definition: StateMachineDefinition;
    functions: Record<string, string>;
  }
>;

/**
 * The statuses with which a lifecycle's execution ends without having finished its subject: the
 * EventBridge rule (infra/constructs/schedules.ts) and the local runtime send those status
 * changes to the reconciler, which restarts the lifecycle at once.
 */
export const LIFECYCLE_ENDED_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;
