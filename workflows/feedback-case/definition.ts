import type { StateMachineDefinition, TaskState } from '../asl.ts';
import { awaitCallbackState, EXECUTION_TIMEOUT_SECONDS, stepState } from '../deadline-watch.ts';

/**
 * One feedback case (7.2.1): handled within the contract's working days of receipt on the
 * tenant's calendar, escalating up the ladder on a miss, and the customer told the result.
 * Same pattern as the service-request workflow: resume, route, wait.
 */
// biome-ignore lint/suspicious/noTemplateCurlyInString: an ASL definition substitution, not a JS template
const FEEDBACK_CASE_STEPS = '${FeedbackCaseStepsFunctionArn}';

const ids = { 'tenantId.$': '$.tenantId', 'feedbackId.$': '$.feedbackId' };

const step = (name: string, next: { Next: string } | { End: true }, comment: string): TaskState =>
  stepState(FEEDBACK_CASE_STEPS, ids, name, next, comment);

export const feedbackCaseDefinition: StateMachineDefinition = {
  Comment:
    'Feedback case: handled within the contract working days, result told to the customer (clause 7.2.1)',
  StartAt: 'Resume where the case is',
  TimeoutSeconds: EXECUTION_TIMEOUT_SECONDS,
  States: {
    'Resume where the case is': step(
      'resume',
      { Next: 'Route by phase' },
      'Reads the case; returns its phase and the seconds to its next timer',
    ),
    'Route by phase': {
      Type: 'Choice',
      Choices: [
        { Variable: '$.phase', StringEquals: 'awaitResolution', Next: 'Await resolution' },
        { Variable: '$.phase', StringEquals: 'escalate', Next: 'Escalate missed deadline' },
        { Variable: '$.phase', StringEquals: 'notifyCustomer', Next: 'Tell the customer the result' },
        { Variable: '$.phase', StringEquals: 'close', Next: 'Close case' },
        { Variable: '$.phase', StringEquals: 'end', Next: 'Done' },
      ],
      Default: 'Unknown phase',
    },
    'Await resolution': awaitCallbackState(
      FEEDBACK_CASE_STEPS,
      ids,
      'resolution',
      { route: 'Route by phase', escalate: 'Escalate missed deadline' },
      'Staff resolve the case; times out at the working-day deadline or the next escalation step',
    ),
    'Escalate missed deadline': step(
      'escalate',
      { Next: 'Route by phase' },
      'Records the breach once and emails the due level once',
    ),
    'Tell the customer the result': step(
      'notifyCustomer',
      { Next: 'Close case' },
      'Emails the customer the result (7.2.1)',
    ),
    'Close case': step('close', { End: true }, 'Marks the case closed'),
    Done: { Type: 'Succeed', Comment: 'Nothing left to do' },
    'Unknown phase': {
      Type: 'Fail',
      Error: 'UnknownPhase',
      Cause: 'The resume step returned a phase this workflow does not know',
    },
  },
};
