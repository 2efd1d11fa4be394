import { createRequire } from 'node:module';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/bin/app.ts';
import { localFunctionArn } from '../../local/lambda.ts';
import { substitute } from '../../workflows/asl.ts';
import {
  completionReport,
  emailsAbout,
  executionHistory,
  recipients,
  repairRequest,
} from '../support/lifecycle.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

const require = createRequire(import.meta.url);
const aslValidator = require('asl-validator') as (
  definition: unknown,
  options?: { checkArn?: boolean; checkPaths?: boolean },
) => {
  isValid: boolean;
  errorsText: (separator?: string) => string;
};

/**
 * "Deployed = tested": the service-request definition is taken out of the synthesized
 * CloudFormation template, not from workflows/, and run through whole lifecycles locally.
 */
let deployedDefinition: string;
let runtime: TestRuntime;

beforeAll(async () => {
  const { stack } = buildApp({ stage: 'dev' });
  const [machine] = Object.values(
    Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine'),
  );
  deployedDefinition = machine!.Properties.DefinitionString as string;
  expect(typeof deployedDefinition).toBe('string');
  runtime = await startTestRuntime({ definitions: { serviceRequest: deployedDefinition } });
});
afterAll(async () => {
  await runtime?.dispose();
});

describe('the deployed service-request state machine', () => {
  it('is valid ASL once its placeholders are filled', () => {
    const filled = JSON.parse(
      substitute(deployedDefinition, {
        ServiceRequestStepsFunctionArn: localFunctionArn('serviceRequestSteps'),
      }),
    );
    const result = aslValidator(filled);
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('gives every Task an explicit timeout (AWS defaults to a year, the local interpreter to a minute)', () => {
    const states = Object.values(JSON.parse(deployedDefinition).States) as {
      Type: string;
      TimeoutSeconds?: number;
      TimeoutSecondsPath?: string;
    }[];
    for (const state of states.filter((s) => s.Type === 'Task')) {
      expect(state.TimeoutSeconds ?? state.TimeoutSecondsPath).toBeDefined();
    }
  });

  it('runs a lifecycle with a missed response deadline through to a closed request', async () => {
    const { requestId } = (await runtime.api('POST', '/v1/requests', repairRequest())).body;
    await runtime.advance(2 * 3600);
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
    const { sfn, executionArn } = await executionHistory(runtime, requestId);
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('SUCCEEDED');
  });
});
