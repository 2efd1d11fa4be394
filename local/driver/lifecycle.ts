import { GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { defaultSlaTerms } from '#domain/contract.ts';
import { workflowCatalog } from '#workflows/catalog.ts';
import type { DrivenRuntime, SentEmail } from './runtime.ts';

export const repairRequest = (overrides: Record<string, unknown> = {}) => ({
  kind: 'repair',
  customer: { name: 'Zhang San', email: 'zhang.san@customer.example' },
  orderReference: 'ORDER-1001',
  productReference: 'Air purifier X2',
  deliveryDate: '2026-01-10',
  description: 'The fan makes a grinding noise',
  channel: 'phone',
  ...overrides,
});

export function emailsAbout(emails: SentEmail[], requestId: string): SentEmail[] {
  return emails.filter((e) => e.subject.includes(requestId) || (e.body.text ?? '').includes(requestId));
}

export const recipients = (emails: SentEmail[]) => emails.map((e) => e.destination.to.join(','));

/**
 * A link an email carries: the customer's survey page (`/s/`), or a manager's action link
 * (`/a/`) after its button label (`确认响应`, `由我接手`).
 */
export function linkIn(email: SentEmail | undefined, to: 'survey' | { action: string }): string | undefined {
  const text = email?.body.text ?? '';
  return to === 'survey'
    ? /(http:\/\/\S+\/s\/\S+)/.exec(text)?.[1]
    : new RegExp(`${to.action}: (http:\\/\\/\\S+\\/a\\/\\S+)`).exec(text)?.[1];
}

/** The AWS SDK's Step Functions client, pointed at a runtime's local endpoint. */
export const stepFunctionsOf = (runtime: Pick<DrivenRuntime, 'urls'>) =>
  new SFNClient({
    endpoint: runtime.urls.stepFunctions,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

/**
 * The bursts of a subject's lifecycle the local engine still holds (Express executions, named
 * after the subject: functions/adapters/workflows.ts), oldest first.
 */
export async function burstsOf(
  runtime: DrivenRuntime,
  subjectId: string,
  workflow: 'serviceRequest' | 'feedbackCase' = 'serviceRequest',
) {
  const { executions } = await stepFunctionsOf(runtime).send(
    new ListExecutionsCommand({ stateMachineArn: runtime.stateMachineArns[workflow] }),
  );
  return (executions ?? []).filter((e) => e.name?.startsWith(`${subjectId}--`)).reverse();
}

/** A workflow's action states by the phase they act on (its "Route by phase" Choice). */
function actionStatesOf(workflow: 'serviceRequest' | 'feedbackCase'): Map<string, string> {
  const route = workflowCatalog[workflow].definition.States['Route by phase'] as {
    Choices: { StringEquals: string; Next: string }[];
  };
  const definition = workflowCatalog[workflow].definition.States as Record<
    string,
    { Type: string; End?: true }
  >;
  return new Map(
    route.Choices.filter(
      (choice) => definition[choice.Next]?.Type === 'Task' && !definition[choice.Next]?.End,
    ).map((choice) => [choice.StringEquals, choice.Next]),
  );
}

/**
 * The states a subject's bursts entered, in order, with each burst's name and status, and the
 * steps each took: the first within its claim (the claim's `took`), the others as their states.
 */
export async function lifecycleHistory(
  runtime: DrivenRuntime,
  subjectId: string,
  workflow: 'serviceRequest' | 'feedbackCase' = 'serviceRequest',
) {
  const sfn = stepFunctionsOf(runtime);
  const actionStates = actionStatesOf(workflow);
  const claimState = workflowCatalog[workflow].definition.StartAt;
  const stepStates = new Set(actionStates.values());
  const bursts = [];
  for (const burst of await burstsOf(runtime, subjectId, workflow)) {
    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn: burst.executionArn }));
    const steps = (events ?? []).flatMap((e) => {
      const exited = e.stateExitedEventDetails;
      if (exited?.name === claimState) {
        const took = (JSON.parse(exited.output ?? '{}') as { took?: string }).took;
        return took ? [actionStates.get(took) ?? took] : [];
      }
      const entered = e.stateEnteredEventDetails?.name;
      return entered && stepStates.has(entered) ? [entered] : [];
    });
    bursts.push({
      name: burst.name!,
      status: burst.status,
      states: (events ?? []).flatMap((e) =>
        e.type?.endsWith('StateEntered') ? [e.stateEnteredEventDetails!.name!] : [],
      ),
      steps,
      /** Attempts of a Task that failed (each then retried or ended the burst). */
      failedTasks: (events ?? []).filter((e) => e.type === 'TaskFailed').length,
      /** Their errors, as Step Functions names them. */
      taskErrors: (events ?? []).flatMap((e) =>
        e.type === 'TaskFailed' ? [e.taskFailedEventDetails?.error ?? ''] : [],
      ),
      /** What an Express workflow logging at level ALL writes to CloudWatch Logs for it, about. */
      logBytes: Buffer.byteLength(JSON.stringify(events ?? [])),
    });
  }
  return bursts;
}

/** Every state transition of a subject's lifecycle, over all its bursts. */
export const lifecycleTransitions = async (
  runtime: DrivenRuntime,
  subjectId: string,
  workflow: 'serviceRequest' | 'feedbackCase' = 'serviceRequest',
) => (await lifecycleHistory(runtime, subjectId, workflow)).reduce((sum, b) => sum + b.states.length, 0);

export const completionReport = (start: Date, end: Date) => ({
  workDone: 'Replaced the fan bearing and cleaned the filter',
  startedAt: start.toISOString(),
  endedAt: end.toISOString(),
  restoredToNormalUse: true,
});

/** A request taken through acknowledge and complete: its record and survey invitation are out. */
export async function completedRequest(
  runtime: DrivenRuntime,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const created = await runtime.api('POST', '/v1/requests', repairRequest(overrides));
  if (created.status !== 201)
    throw new Error(`create failed: ${created.status} ${JSON.stringify(created.body)}`);
  const { requestId } = created.body;
  await runtime.api('POST', `/v1/requests/${requestId}/acknowledge`);
  const now = new Date(Date.now());
  const staffIds = [overrides.kind === 'return' ? 'tech-zhao' : 'tech-wang'];
  await runtime.api('POST', `/v1/requests/${requestId}/complete`, {
    ...completionReport(now, now),
    staffIds,
  });
  return requestId;
}

/** A contract between the demo merchant and a business customer, its response promise in hours. */
export const contractTerms = (responseHours: number) => ({
  contractNumber: 'HT-2026-018',
  provider: {
    companyName: 'Demo Electronics Co., Ltd.',
    address: 'Shanghai',
    contact: 'service@demo.example',
  },
  customer: { companyName: 'Great Wall Hotels', address: 'Beijing', contact: 'procurement@gwh.example' },
  effectiveDate: '2026-01-01',
  termYears: 1,
  totalAmount: 500000,
  currency: 'CNY',
  sla: { ...defaultSlaTerms, responseHours },
  liquidatedDamagesRatePercent: 5,
  lateFeeRatePercent: 0.05,
  confidentialityYears: 3,
  language: 'zh-CN',
});
