import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '#infra/bin/app.ts';
import { withoutBundling } from '../support/synth.ts';
import {
  type CfnTemplate,
  decide,
  type Environment,
  logicalIdOf,
  resolve,
  resourcePolicyOf,
  roleOf,
} from '../support/template-policies.ts';

/**
 * The stack as `cdk deploy` builds it with real credentials (a concrete account and region), and
 * its resource policies evaluated as IAM would (#32): each path a service must take works, and an
 * unrelated principal is refused. Synthesized once, with cdk-nag, so this is also the proof that
 * a deploy with a concrete account passes the checks.
 */
const env: Environment = { account: '123456789012', region: 'eu-west-1', stackName: 'AfterSales-dev' };
const stranger = 'arn:aws:iam::444455556666:root';
let template: CfnTemplate;

beforeAll(() => {
  const previous = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  process.env.CDK_DEFAULT_ACCOUNT = env.account;
  process.env.CDK_DEFAULT_REGION = env.region;
  try {
    const { app, stack } = buildApp({ stage: 'dev', mailDomain: 'mail.example.com', ...withoutBundling });
    expect(stack.account).toBe(env.account);
    expect(stack.region).toBe(env.region);
    // cdk-nag runs as a validation plugin: an unacknowledged finding makes synthesis throw.
    expect(() => app.synth()).not.toThrow();
    template = Template.fromStack(stack).toJSON() as CfnTemplate;
  } finally {
    for (const [name, value] of [
      ['CDK_DEFAULT_ACCOUNT', previous.account],
      ['CDK_DEFAULT_REGION', previous.region],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
});

const arnOf = (id: string) => resolve(template, env, { 'Fn::GetAtt': [id, 'Arn'] }) as string;
const refOf = (id: string) => resolve(template, env, { Ref: id }) as string;

describe('operator alarms', () => {
  const alarm = () => `arn:aws:cloudwatch:${env.region}:${env.account}:alarm:AfterSales-dev-LifecycleFailed`;
  const topic = () => logicalIdOf(template, 'AWS::SNS::Topic', 'OperatorAlarms');
  const key = () => logicalIdOf(template, 'AWS::KMS::Key', 'AlarmTopicKey');
  const fromAlarm = () => ({ 'aws:SourceAccount': env.account, 'aws:SourceArn': alarm() });

  it('reach the topic: CloudWatch may publish to it (topic policy) and use its key (key policy)', async () => {
    expect(
      await decide(env, {
        principal: 'cloudwatch.amazonaws.com',
        action: 'sns:Publish',
        resource: refOf(topic()),
        resourcePolicy: resourcePolicyOf(template, env, topic()),
        context: fromAlarm(),
      }),
    ).toBe('Allowed');
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt'])
      expect(
        await decide(env, {
          principal: 'cloudwatch.amazonaws.com',
          action,
          resource: arnOf(key()),
          resourcePolicy: resourcePolicyOf(template, env, key()),
          context: fromAlarm(),
        }),
        action,
      ).toBe('Allowed');
  });

  it('come only from this account’s alarms, over TLS: another account’s alarm, a stranger or plain HTTP is refused', async () => {
    const publish = (principal: string, context: Record<string, string>) =>
      decide(env, {
        principal,
        action: 'sns:Publish',
        resource: refOf(topic()),
        resourcePolicy: resourcePolicyOf(template, env, topic()),
        context,
      });
    const otherAccountAlarm = {
      'aws:SourceAccount': '444455556666',
      'aws:SourceArn': `arn:aws:cloudwatch:${env.region}:444455556666:alarm:x`,
    };
    expect(await publish('cloudwatch.amazonaws.com', otherAccountAlarm)).not.toBe('Allowed');
    expect(await publish(stranger, {})).not.toBe('Allowed');
    expect(
      await publish('cloudwatch.amazonaws.com', { ...fromAlarm(), 'aws:SecureTransport': 'false' }),
    ).toBe('ExplicitlyDenied');
  });
});

describe('SES bounce and complaint events', () => {
  const topic = () => logicalIdOf(template, 'AWS::SNS::Topic', 'MailDeliveryProblems');
  const key = () => logicalIdOf(template, 'AWS::KMS::Key', 'MailTopicKey');
  const configurationSet = () =>
    `arn:aws:ses:${env.region}:${env.account}:configuration-set/${refOf(logicalIdOf(template, 'AWS::SES::ConfigurationSet', 'MailConfigurationSet'))}`;

  it('are published by SES for our configuration set, with the topic’s key; not for another account', async () => {
    const ours = { 'aws:SourceAccount': env.account, 'aws:SourceArn': configurationSet() };
    expect(
      await decide(env, {
        principal: 'ses.amazonaws.com',
        action: 'sns:Publish',
        resource: refOf(topic()),
        resourcePolicy: resourcePolicyOf(template, env, topic()),
        context: ours,
      }),
    ).toBe('Allowed');
    expect(
      await decide(env, {
        principal: 'ses.amazonaws.com',
        action: 'kms:GenerateDataKey',
        resource: arnOf(key()),
        resourcePolicy: resourcePolicyOf(template, env, key()),
        context: ours,
      }),
    ).toBe('Allowed');
    const theirs = {
      'aws:SourceAccount': '444455556666',
      'aws:SourceArn': `arn:aws:ses:${env.region}:444455556666:configuration-set/x`,
    };
    for (const [action, resource, id] of [
      ['sns:Publish', refOf(topic()), topic()],
      ['kms:GenerateDataKey', arnOf(key()), key()],
    ] as const)
      expect(
        await decide(env, {
          principal: 'ses.amazonaws.com',
          action,
          resource,
          resourcePolicy: resourcePolicyOf(template, env, id),
          context: theirs,
        }),
        action,
      ).not.toBe('Allowed');
  });
});

describe('lifecycle wake-ups (EventBridge Scheduler)', () => {
  const role = () => roleOf(template, env, logicalIdOf(template, 'AWS::IAM::Role', 'WakeUpsSchedulerRole'));
  const group = () => arnOf(logicalIdOf(template, 'AWS::Scheduler::ScheduleGroup', 'WakeUps'));
  const machine = (name: string) =>
    arnOf(
      Object.entries(template.Resources).find(
        ([, r]) =>
          r.Type === 'AWS::StepFunctions::StateMachine' && r.Properties?.StateMachineName?.endsWith(name),
      )![0],
    );

  it('are fired by Scheduler for our own schedule group only (the role’s trust)', async () => {
    const assume = (principal: string, context: Record<string, string>) =>
      decide(env, {
        principal,
        action: 'sts:AssumeRole',
        resource: role().arn,
        resourcePolicy: role().trust,
        context,
      });
    expect(
      await assume('scheduler.amazonaws.com', { 'aws:SourceAccount': env.account, 'aws:SourceArn': group() }),
    ).toBe('Allowed');
    const defaultGroup = `arn:aws:scheduler:${env.region}:${env.account}:schedule-group/default`;
    expect(
      await assume('scheduler.amazonaws.com', {
        'aws:SourceAccount': env.account,
        'aws:SourceArn': defaultGroup,
      }),
    ).not.toBe('Allowed');
    const otherGroup = `arn:aws:scheduler:${env.region}:444455556666:schedule-group/theirs`;
    expect(
      await assume('scheduler.amazonaws.com', {
        'aws:SourceAccount': '444455556666',
        'aws:SourceArn': otherGroup,
      }),
    ).not.toBe('Allowed');
    expect(await assume('events.amazonaws.com', { 'aws:SourceAccount': env.account })).not.toBe('Allowed');
  });

  it('start bursts of both lifecycles and dead-letter what they cannot start; nothing else', async () => {
    const asRole = (action: string, resource: string, resourcePolicy?: object) =>
      decide(env, {
        principal: role().arn,
        action,
        resource,
        identityPolicies: role().identityPolicies,
        resourcePolicy,
      });
    for (const name of ['service-request', 'feedback-case'])
      expect(await asRole('states:StartExecution', machine(name)), name).toBe('Allowed');
    const deadLetters = logicalIdOf(template, 'AWS::SQS::Queue', 'WakeUpsDeadLetters');
    expect(
      await asRole('sqs:SendMessage', arnOf(deadLetters), resourcePolicyOf(template, env, deadLetters)),
    ).toBe('Allowed');
    expect(
      await asRole(
        'states:StartExecution',
        `arn:aws:states:${env.region}:${env.account}:stateMachine:another`,
      ),
    ).not.toBe('Allowed');
    expect(
      await asRole('dynamodb:PutItem', arnOf(logicalIdOf(template, 'AWS::DynamoDB::Table', 'DataTable'))),
    ).not.toBe('Allowed');
  });
});

describe('the staff console’s bucket', () => {
  const bucket = () => logicalIdOf(template, 'AWS::S3::Bucket', 'ConsoleBucket');
  const distribution = () => logicalIdOf(template, 'AWS::CloudFront::Distribution', 'EdgeDistribution');

  it('is read by our CloudFront distribution (origin access control), and by no other distribution or stranger', async () => {
    const read = (principal: string, context: Record<string, string>) =>
      decide(env, {
        principal,
        action: 's3:GetObject',
        resource: `${arnOf(bucket())}/console/index.html`,
        resourcePolicy: resourcePolicyOf(template, env, bucket()),
        context,
      });
    const ours = `arn:aws:cloudfront::${env.account}:distribution/${refOf(distribution())}`;
    expect(await read('cloudfront.amazonaws.com', { 'aws:SourceArn': ours })).toBe('Allowed');
    expect(
      await read('cloudfront.amazonaws.com', {
        'aws:SourceArn': 'arn:aws:cloudfront::444455556666:distribution/E2THEIRS',
      }),
    ).not.toBe('Allowed');
    expect(await read(stranger, {})).not.toBe('Allowed');
  });
});

describe('tenant isolation, enforced by IAM where it is cheap', () => {
  const roleOfFunction = (name: string) =>
    roleOf(template, env, logicalIdOf(template, 'AWS::IAM::Role', `${name}FunctionServiceRole`));
  const table = () => arnOf(logicalIdOf(template, 'AWS::DynamoDB::Table', 'DataTable'));

  it('functions that only read the table write nothing but the access trail', async () => {
    for (const name of ['documents', 'flowCharts', 'reportsApi']) {
      const put = (partition: string) =>
        decide(env, {
          principal: roleOfFunction(name).arn,
          action: 'dynamodb:PutItem',
          resource: table(),
          identityPolicies: roleOfFunction(name).identityPolicies,
          context: { 'dynamodb:LeadingKeys': [partition] },
        });
      expect(await put('TRAIL#acme#2026-12-07'), name).toBe('Allowed');
      expect(await put('TENANT#acme'), name).not.toBe('Allowed');
      expect(await put('TENANT#acme#REQUEST#sr_1'), name).not.toBe('Allowed');
    }
  });

  it('emails go from our identity or a tenant domain this stack added (tagged), never from another identity', async () => {
    const identity = (domain: string) => `arn:aws:ses:${env.region}:${env.account}:identity/${domain}`;
    const configurationSet = refOf(
      logicalIdOf(template, 'AWS::SES::ConfigurationSet', 'MailConfigurationSet'),
    );
    const send = (domain: string, tags: Record<string, string>) =>
      decide(env, {
        principal: roleOfFunction('serviceRequestSteps').arn,
        action: 'ses:SendEmail',
        resource: identity(domain),
        identityPolicies: roleOfFunction('serviceRequestSteps').identityPolicies,
        context: Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v])),
      });
    expect(await send('mail.example.com', {})).toBe('Allowed');
    expect(
      await send('mail.acme.example', { tenant: 'acme', 'aftersales:configuration-set': configurationSet }),
    ).toBe('Allowed');
    expect(await send('operator.example', {})).not.toBe('Allowed');
    expect(await send('other-stack.example', { 'aftersales:configuration-set': 'AnotherStackSet' })).not.toBe(
      'Allowed',
    );
  });
});
