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
    /** Bursts (workflows/watched-subject.ts): Express, by measurement and price (bench/cost-model.ts). */
    type: 'EXPRESS',
    /** Where functions that start it find its ARN (functions/adapters/config.ts). */
    arnVariable: 'SERVICE_REQUEST_STATE_MACHINE_ARN',
    definition: serviceRequestDefinition,
    /** Placeholder → function (a key of functions/catalog.ts). */
    functions: { ServiceRequestStepsFunctionArn: 'serviceRequestSteps' },
  },
  feedbackCase: {
    stateMachineName: 'feedback-case',
    type: 'EXPRESS',
    arnVariable: 'FEEDBACK_CASE_STATE_MACHINE_ARN',
    definition: feedbackCaseDefinition,
    functions: { FeedbackCaseStepsFunctionArn: 'feedbackCaseSteps' },
  },
} as const satisfies Record<
  string,
  {
    stateMachineName: string;
    type: 'STANDARD' | 'EXPRESS';
    arnVariable: string;
    definition: StateMachineDefinition;
    functions: Record<string, string>;
  }
>;
