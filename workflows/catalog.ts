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
    definition: serviceRequestDefinition,
    /** Placeholder → function (a key of functions/catalog.ts). */
    functions: { ServiceRequestStepsFunctionArn: 'serviceRequestSteps' },
  },
  feedbackCase: {
    stateMachineName: 'feedback-case',
    definition: feedbackCaseDefinition,
    functions: { FeedbackCaseStepsFunctionArn: 'feedbackCaseSteps' },
  },
} as const satisfies Record<
  string,
  { stateMachineName: string; definition: StateMachineDefinition; functions: Record<string, string> }
>;
