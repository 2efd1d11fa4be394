import { GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { defaultSlaTerms } from '../../domain/contract.ts';
import { executionName } from '../../functions/adapters/workflows.ts';
import type { SentEmail, TestRuntime } from './runtime.ts';

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
export const stepFunctionsOf = (runtime: Pick<TestRuntime, 'urls'>) =>
  new SFNClient({
    endpoint: runtime.urls.stepFunctions,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

/** The names of a workflow's executions that belong to a request (every generation). */
export async function executionNamesOf(runtime: TestRuntime, requestId: string): Promise<string[]> {
  const { executions } = await stepFunctionsOf(runtime).send(
    new ListExecutionsCommand({ stateMachineArn: runtime.stateMachineArns.serviceRequest }),
  );
  return (executions ?? []).flatMap((e) => (e.name?.startsWith(`demo--${requestId}`) ? [e.name] : []));
}

export async function executionHistory(runtime: TestRuntime, requestId: string) {
  const sfn = stepFunctionsOf(runtime);
  const executionArn = `${runtime.stateMachineArns.serviceRequest.replace(':stateMachine:', ':execution:')}:${executionName({ workflow: 'serviceRequest', tenantId: 'demo', requestId })}`;
  const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
  return { executionArn, events: events ?? [], sfn };
}

export const completionReport = (start: Date, end: Date) => ({
  workDone: 'Replaced the fan bearing and cleaned the filter',
  startedAt: start.toISOString(),
  endedAt: end.toISOString(),
  restoredToNormalUse: true,
});

/** A request taken through acknowledge and complete: its record and survey invitation are out. */
export async function completedRequest(
  runtime: TestRuntime,
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
