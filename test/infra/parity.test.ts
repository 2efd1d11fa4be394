import { createRequire } from 'node:module';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionName } from '#functions/catalog.ts';
import { buildApp } from '#infra/bin/app.ts';
import {
  completionReport,
  emailsAbout,
  lifecycleHistory,
  recipients,
  repairRequest,
} from '#local/driver/lifecycle.ts';
import { localFunctionArn } from '#local/lambda.ts';
import { substitute } from '#workflows/asl.ts';
import { workflowCatalog } from '#workflows/catalog.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { withoutBundling } from '../support/synth.ts';

const require = createRequire(import.meta.url);
const aslValidator = require('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errorsText: (separator?: string) => string;
};

type WorkflowKey = keyof typeof workflowCatalog;

/**
 * "Deployed = tested": each state machine's definition is taken out of the synthesized
 * CloudFormation template, not from workflows/, and run through whole lifecycles locally.
 */
const deployed = {} as Record<WorkflowKey, string>;
let runtime: TestRuntime;

beforeAll(async () => {
  const { stack } = buildApp({ stage: 'dev', ...withoutBundling });
  const machines = Object.values(Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine'));
  for (const key of Object.keys(workflowCatalog) as WorkflowKey[]) {
    const placeholder = Object.keys(workflowCatalog[key].functions)[0]!;
    const machine = machines.find((m) => placeholder in (m.Properties.DefinitionSubstitutions ?? {}));
    expect(typeof machine?.Properties.DefinitionString, key).toBe('string');
    deployed[key] = machine!.Properties.DefinitionString;
    // Bursts run as the type the local runtime runs them as (Express: no name dedupe, 5 minutes).
    expect(machine!.Properties.StateMachineType, key).toBe(workflowCatalog[key].type);
  }
  runtime = await startTestRuntime({ definitions: deployed });
});
afterAll(async () => {
  await runtime?.dispose();
});

describe('the deployed state machines', () => {
  it('are valid ASL once their placeholders are filled, and give every Task an explicit timeout', () => {
    for (const key of Object.keys(workflowCatalog) as WorkflowKey[]) {
      const values = Object.fromEntries(
        Object.entries(workflowCatalog[key].functions).map(([placeholder, fn]) => [
          placeholder,
          localFunctionArn(fn as FunctionName),
        ]),
      );
      const filled = JSON.parse(substitute(deployed[key], values));
      const result = aslValidator(filled);
      expect(result.errorsText('\n'), key).toBe('');
      expect(result.isValid).toBe(true);
      // AWS defaults a Task to a year, the local interpreter to a minute: never rely on either.
      for (const state of Object.values(filled.States) as {
        Type: string;
        TimeoutSeconds?: number;
        TimeoutSecondsPath?: string;
      }[]) {
        if (state.Type === 'Task') expect(state.TimeoutSeconds ?? state.TimeoutSecondsPath).toBeDefined();
      }
    }
  });

  it('service request: runs a missed response deadline through to a closed request', async () => {
    const { requestId } = (await runtime.api('POST', '/v1/requests', repairRequest())).body;
    await runtime.advance(2 * 3600 + 1);
    expect(recipients(emailsAbout(await runtime.mailbox(), requestId))).toEqual(['team-lead@demo.example']);
    await runtime.api('POST', `/v1/requests/${requestId}/acknowledge`);
    await runtime.api('POST', `/v1/requests/${requestId}/dispatch`, {
      technicianId: 'tech-wang',
      mode: 'on_site',
    });
    const start = new Date(Date.now());
    await runtime.advance(3600);
    const completed = await runtime.api(
      'POST',
      `/v1/requests/${requestId}/complete`,
      completionReport(start, new Date(Date.now())),
    );
    expect(completed.status).toBe(200);
    await runtime.api('POST', `/v1/requests/${requestId}/survey`, {
      serviceScore: 4,
      goodsScore: 4,
      recommendScore: 8,
    });

    const request = (await runtime.api('GET', `/v1/requests/${requestId}`)).body;
    expect(request.status).toBe('closed');
    expect(request.breaches).toMatchObject([{ promise: 'response', open: false }]);
    const bursts = await lifecycleHistory(runtime, requestId);
    expect(bursts.map((b) => b.status)).toEqual(bursts.map(() => 'SUCCEEDED'));
    expect(bursts.at(-1)!.steps).toContain('Close request');
  });

  it('feedback case: runs a missed deadline, an escalation and a resolution through to a closed case', async () => {
    const { feedbackId, dueAt } = (
      await runtime.api('POST', '/v1/feedback', {
        category: 'opinion',
        customer: { name: 'He Ping', email: 'he.ping@customer.example' },
        content: 'Too slow',
      })
    ).body;
    await runtime.advance((Date.parse(dueAt) - Date.now()) / 1000 + 1);
    const escalations = emailsAbout(await runtime.mailbox(), feedbackId).filter((e) =>
      e.subject.startsWith('[升级'),
    );
    expect(recipients(escalations)).toEqual(['team-lead@demo.example']);
    await runtime.api('POST', `/v1/feedback/${feedbackId}/resolve`, { result: 'Faster now' });
    expect((await runtime.api('GET', `/v1/feedback/${feedbackId}`)).body.status).toBe('closed');

    const bursts = await lifecycleHistory(runtime, feedbackId, 'feedbackCase');
    expect(bursts.map((b) => b.status)).toEqual(bursts.map(() => 'SUCCEEDED'));
    expect(bursts.flatMap((b) => b.steps)).toEqual(
      expect.arrayContaining(['Escalate missed deadline', 'Tell the customer the result', 'Close case']),
    );
  });
});
