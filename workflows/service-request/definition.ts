import type { StateMachineDefinition } from '../asl.ts';
import { watchedSubjectDefinition } from '../watched-subject.ts';

/**
 * The lifecycle of one service request (../../shared/DESIGN.md) as short bursts of the watched-
 * subject mechanism (../watched-subject.ts): each claims the request, takes what is due, parks.
 */
export const serviceRequestDefinition: StateMachineDefinition = watchedSubjectDefinition({
  comment:
    'After-sales service request: respond within the contract hours, dispatch, complete, issue the service record',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an ASL definition substitution, not a JS template
  stepsFunction: '${ServiceRequestStepsFunctionArn}',
  idField: 'requestId',
  noun: 'request',
  waitPhases: ['awaitAcknowledgement', 'awaitCompletion', 'awaitCustomerDetails', 'awaitSurvey'],
  actions: {
    escalate: {
      state: 'Escalate missed deadline',
      step: 'escalate',
      comment: 'Records the breach once and emails the due level of the escalation ladder once',
    },
    lookUpCustomer: {
      state: 'Look up customer details',
      step: 'lookUpCustomer',
      comment:
        'A storefront request named its customer by id: reads them from the shop, or schedules the next try',
    },
    confirmNeed: {
      state: 'Confirm need with customer',
      step: 'confirmNeed',
      comment: 'Emails the customer the confirmation of the need (6.1.2) and closes a response breach',
    },
    tellCancellation: {
      state: 'Tell customer of cancellation',
      step: 'tellCancellation',
      comment: 'Cancelled after the customer was told the need is confirmed: emails them that it is off',
    },
    deliverServiceRecord: {
      state: 'Deliver service record',
      step: 'deliverServiceRecord',
      comment:
        'Emails the immutable service record with the satisfaction survey invitation (6.1.4, 6.2.1c, 7.1.1)',
    },
    remindSurvey: {
      state: 'Remind about survey',
      step: 'remindSurvey',
      comment: 'Reminds the customer once; after expiry the request closes unanswered',
    },
    close: { state: 'Close request', step: 'close', comment: 'Marks the request closed' },
  },
});
