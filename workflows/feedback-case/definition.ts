import type { StateMachineDefinition } from '../asl.ts';
import { watchedSubjectDefinition } from '../watched-subject.ts';

/**
 * One feedback case (7.2.1): handled within the contract's working days of receipt on the
 * tenant's calendar, escalating up the ladder on a miss, and the customer told the result. The
 * same watched-subject mechanism as a service request (../watched-subject.ts).
 */
export const feedbackCaseDefinition: StateMachineDefinition = watchedSubjectDefinition({
  comment:
    'Feedback case: handled within the contract working days, result told to the customer (clause 7.2.1)',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an ASL definition substitution, not a JS template
  stepsFunction: '${FeedbackCaseStepsFunctionArn}',
  idField: 'feedbackId',
  noun: 'case',
  waitPhases: ['awaitResolution'],
  actions: {
    escalate: {
      state: 'Escalate missed deadline',
      step: 'escalate',
      comment: 'Records the breach once and emails the due level once',
    },
    notifyCustomer: {
      state: 'Tell the customer the result',
      step: 'notifyCustomer',
      comment: 'Emails the customer the result (7.2.1)',
    },
    close: { state: 'Close case', step: 'close', comment: 'Marks the case closed' },
  },
});
