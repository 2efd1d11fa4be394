import type { StateMachineDefinition, TaskState } from '../asl.ts';
import { awaitCallbackState, EXECUTION_TIMEOUT_SECONDS, stepState } from '../deadline-watch.ts';

/**
 * The lifecycle of one service request (../../shared/DESIGN.md). One Standard execution per
 * request, named by the request. Re-entrant: it always starts by reading the stored request
 * and routing to its phase, with timers computed from stored timestamps.
 */
// biome-ignore lint/suspicious/noTemplateCurlyInString: an ASL definition substitution, not a JS template
const SERVICE_REQUEST_STEPS = '${ServiceRequestStepsFunctionArn}';

const ids = { 'tenantId.$': '$.tenantId', 'requestId.$': '$.requestId' };

const step = (name: string, next: { Next: string } | { End: true }, comment: string): TaskState =>
  stepState(SERVICE_REQUEST_STEPS, ids, name, next, comment);

const awaitCallback = (awaiting: 'acknowledgement' | 'completion', comment: string): TaskState =>
  awaitCallbackState(
    SERVICE_REQUEST_STEPS,
    ids,
    awaiting,
    { route: 'Route by phase', escalate: 'Escalate missed deadline', cancelled: 'Request cancelled' },
    comment,
  );

export const serviceRequestDefinition: StateMachineDefinition = {
  Comment:
    'After-sales service request: respond within the contract hours, dispatch, complete, issue the service record',
  StartAt: 'Resume where the request is',
  TimeoutSeconds: EXECUTION_TIMEOUT_SECONDS,
  States: {
    'Resume where the request is': step(
      'resume',
      { Next: 'Route by phase' },
      'Reads the stored request and returns its phase and the seconds to its next timer',
    ),
    'Route by phase': {
      Type: 'Choice',
      Choices: [
        { Variable: '$.phase', StringEquals: 'awaitAcknowledgement', Next: 'Await acknowledgement' },
        { Variable: '$.phase', StringEquals: 'awaitCompletion', Next: 'Await completion' },
        { Variable: '$.phase', StringEquals: 'escalate', Next: 'Escalate missed deadline' },
        { Variable: '$.phase', StringEquals: 'lookUpCustomer', Next: 'Look up customer details' },
        { Variable: '$.phase', StringEquals: 'awaitCustomerDetails', Next: 'Await customer details' },
        { Variable: '$.phase', StringEquals: 'confirmNeed', Next: 'Confirm need with customer' },
        { Variable: '$.phase', StringEquals: 'deliverServiceRecord', Next: 'Deliver service record' },
        { Variable: '$.phase', StringEquals: 'awaitSurvey', Next: 'Await survey answer' },
        { Variable: '$.phase', StringEquals: 'remindSurvey', Next: 'Remind about survey' },
        { Variable: '$.phase', StringEquals: 'close', Next: 'Close request' },
        { Variable: '$.phase', StringEquals: 'end', Next: 'Done' },
      ],
      Default: 'Unknown phase',
    },
    'Await acknowledgement': awaitCallback(
      'acknowledgement',
      'Clause 6.1.2: staff respond and confirm the need; times out at the response deadline or the next escalation step',
    ),
    'Escalate missed deadline': step(
      'escalate',
      { Next: 'Route by phase' },
      'Records the breach once and emails the due level of the escalation ladder once',
    ),
    'Look up customer details': step(
      'lookUpCustomer',
      { Next: 'Route by phase' },
      'A storefront request named its customer by id: reads them from the shop, or schedules the next try',
    ),
    'Await customer details': awaitCallbackState(
      SERVICE_REQUEST_STEPS,
      ids,
      'customerDetails',
      { route: 'Route by phase', escalate: 'Resume where the request is' },
      'The service record needs the customer: waits for staff to enter them or for the next lookup',
    ),
    'Confirm need with customer': step(
      'confirmNeed',
      { Next: 'Route by phase' },
      'Emails the customer the confirmation of the need (6.1.2) and closes a response breach',
    ),
    'Await completion': awaitCallback(
      'completion',
      'Clause 6.2.1b: complete within the agreed time for the kind; escalates like the response',
    ),
    'Deliver service record': step(
      'deliverServiceRecord',
      { Next: 'Await survey answer' },
      'Emails the immutable service record with the satisfaction survey invitation (6.1.4, 6.2.1c, 7.1.1)',
    ),
    'Await survey answer': awaitCallbackState(
      SERVICE_REQUEST_STEPS,
      ids,
      'survey',
      { route: 'Route by phase', escalate: 'Remind about survey' },
      'Clause 7.1: waits for the answer until the reminder, then until the invitation expires',
    ),
    'Remind about survey': step(
      'remindSurvey',
      { Next: 'Route by phase' },
      'Reminds the customer once; after expiry the request closes unanswered',
    ),
    'Close request': step('close', { End: true }, 'Marks the request closed'),
    'Request cancelled': { Type: 'Succeed', Comment: 'Staff cancelled the request' },
    Done: { Type: 'Succeed', Comment: 'Nothing left to do (closed or cancelled before this run)' },
    'Unknown phase': {
      Type: 'Fail',
      Error: 'UnknownPhase',
      Cause: 'The resume step returned a phase this workflow does not know',
    },
  },
};
