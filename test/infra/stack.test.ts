import { resolve } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { tableDefinition } from '#functions/adapters/table-definition.ts';
import { DAILY_RUN_QUEUE, type FunctionName, functionCatalog } from '#functions/catalog.ts';
import { matchRoute, routeKey, routes } from '#functions/routes.ts';
import { buildApp } from '#infra/bin/app.ts';
import { InboundMail } from '#infra/constructs/inbound-mail.ts';
import { withoutBundling } from '../support/synth.ts';

let template: Template;
let edgeTemplate: Template;
let edgeRegion: string;
let resources: Record<string, { Type: string; Properties: any }>;

beforeAll(() => {
  const { app, stack, edge } = buildApp({ stage: 'prod', mailDomain: 'service.example.com' });
  template = Template.fromStack(stack);
  edgeTemplate = Template.fromStack(edge);
  edgeRegion = edge.region;
  resources = template.toJSON().Resources;
  // cdk-nag runs as a validation plugin: an unacknowledged finding makes synthesis throw. This is
  // the environment-agnostic synth; test/infra/policies.test.ts synthesizes with an account and region.
  expect(() => app.synth()).not.toThrow();
});

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
/** Ours, not aws-cdk-lib's own (the console's deployment, a dev bucket's clean-up). */
const isCatalogFunction = (fn: { Properties: any }) =>
  Object.values(functionCatalog).some((spec) => spec.description === fn.Properties.Description);

describe('data', () => {
  it('is one table with the local runtime’s keys and indexes, TTL, PITR, a customer key, and deletion protection in prod', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      // Each index projects only what its queries read (no timelines): fewer and smaller index writes.
      GlobalSecondaryIndexes: tableDefinition.globalSecondaryIndexes.map((index) =>
        Match.objectLike({
          IndexName: index.indexName,
          Projection: {
            ProjectionType: index.projection,
            ...('nonKeyAttributes' in index ? { NonKeyAttributes: [...index.nonKeyAttributes] } : {}),
          },
        }),
      ),
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      SSESpecification: Match.objectLike({
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: Match.anyValue(),
      }),
      BillingMode: 'PAY_PER_REQUEST',
      DeletionProtectionEnabled: true,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });
});

describe('functions', () => {
  it('runs every catalog function on Node.js 24, arm64, with tracing', () => {
    const functions = ofType('AWS::Lambda::Function').filter(([, r]) => isCatalogFunction(r));
    expect(functions).toHaveLength(Object.keys(functionCatalog).length);
    for (const [, fn] of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    }
  });
});

describe('workflows', () => {
  it('deploys the service-request state machine as Express (short bursts), logging all events, traced', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'EXPRESS',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
      DefinitionSubstitutions: { ServiceRequestStepsFunctionArn: Match.anyValue() },
    });
  });

  it('sets every execution’s timeout in the deployed definition itself, and every task’s longer than its function', () => {
    const machines = ofType('AWS::StepFunctions::StateMachine');
    expect(machines).toHaveLength(2);
    for (const [, machine] of machines) {
      const definition = JSON.parse(machine.Properties.DefinitionString) as {
        TimeoutSeconds?: number;
        States: Record<
          string,
          {
            Type: string;
            Resource?: string;
            TimeoutSeconds?: number;
            TimeoutSecondsPath?: string;
            Retry?: { ErrorEquals: string[] }[];
          }
        >;
      };
      // An Express execution may not run longer than 5 minutes: a burst says so itself.
      expect(definition.TimeoutSeconds).toBe(300);
      for (const [name, state] of Object.entries(definition.States)) {
        if (state.Type !== 'Task') continue;
        // Nothing waits inside Step Functions any more: no task token, no wait longer than a burst.
        expect(state.Resource, name).not.toContain('waitForTaskToken');
        expect(state.TimeoutSeconds, name).toBeGreaterThan(
          functionCatalog.serviceRequestSteps.timeoutSeconds,
        );
        // A step that ran out of time is retried (every step is idempotent), with jitter: whether
        // the Task ended it or Lambda did at the function's own timeout (Sandbox.Timedout).
        for (const error of ['States.Timeout', 'Sandbox.Timedout', 'Lambda.Unknown'])
          expect(
            state.Retry?.some((r) => r.ErrorEquals.includes(error)),
            `${name} retries ${error}`,
          ).toBe(true);
      }
    }
  });

  it('parks wake-ups in their own schedule group: Scheduler may only start bursts, and dead-letters what it cannot', () => {
    const groups = ofType('AWS::Scheduler::ScheduleGroup');
    expect(groups).toHaveLength(1);
    const roles = ofType('AWS::IAM::Role').filter(([, role]) =>
      JSON.stringify(role.Properties.AssumeRolePolicyDocument).includes('scheduler.amazonaws.com'),
    );
    const wakeUpRole = roles.find(([id]) => id.startsWith('WakeUpsSchedulerRole'));
    expect(wakeUpRole).toBeDefined();
    const actions = ofType('AWS::IAM::Policy')
      .filter(([, policy]) => policy.Properties.Roles.some((r: { Ref: string }) => r.Ref === wakeUpRole![0]))
      .flatMap(([, policy]) =>
        policy.Properties.PolicyDocument.Statement.flatMap((st: { Action: string | string[] }) =>
          [st.Action].flat(),
        ),
      );
    expect(actions.sort()).toEqual([
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:SendMessage',
      'states:StartExecution',
    ]);
    // The functions that park are told where: the group, the role to pass, the dead-letter queue.
    const steps = ofType('AWS::Lambda::Function').filter(([, fn]) =>
      String(fn.Properties.Description).startsWith('Task steps of the'),
    );
    expect(steps).toHaveLength(2);
    for (const [, fn] of steps)
      expect(Object.keys(fn.Properties.Environment.Variables)).toEqual(
        expect.arrayContaining(['WAKE_UP_SCHEDULE_GROUP', 'WAKE_UP_ROLE_ARN', 'WAKE_UP_DEAD_LETTER_ARN']),
      );
  });

  it('keeps concurrency for the workflow steps, whatever the API’s load', () => {
    const reserved = ofType('AWS::Lambda::Function')
      .filter(([, fn]) => fn.Properties.ReservedConcurrentExecutions !== undefined)
      .map(([, fn]) => fn.Properties.Description as string);
    expect(reserved).toHaveLength(2);
    expect(reserved.every((description) => description.startsWith('Task steps of the'))).toBe(true);
  });
});

describe('api', () => {
  it('has exactly the routes the local runtime serves, and the local runtime routes each to the same function', () => {
    const deployed = ofType('AWS::ApiGatewayV2::Route')
      .map(([, r]) => r.Properties.RouteKey)
      .sort();
    // Every route of the table, and `$default` (404, or 405 with Allow) as the local runtime does.
    expect(deployed).toEqual(['$default', ...routes.map(routeKey)].sort());
    for (const route of routes) {
      const path = route.path.replace(/\{\w+\}/g, 'x');
      expect(matchRoute(route.method, path).route?.function).toBe(route.function);
    }
  });

  it('puts the API key authorizer on every staff route, the origin check on every other, and throttles and logs the stage', () => {
    const authorizers = ofType('AWS::ApiGatewayV2::Authorizer');
    const [apiKeyId, apiKey] = authorizers.find(([id]) => id.includes('ApiKeyAuthorizer'))!;
    const [originId, origin] = authorizers.find(([id]) => id.includes('OriginAuthorizer'))!;
    // A request without the header CloudFront adds gets 401 before any function runs.
    expect(apiKey.Properties).toMatchObject({
      AuthorizerType: 'REQUEST',
      EnableSimpleResponses: true,
      IdentitySource: ['$request.header.Authorization', '$request.header.x-origin-verify'],
      // A revoked key stops working within a minute.
      AuthorizerResultTtlInSeconds: 30,
    });
    expect(origin.Properties).toMatchObject({
      IdentitySource: ['$request.header.x-origin-verify'],
      AuthorizerResultTtlInSeconds: 300,
    });
    const routeResources = ofType('AWS::ApiGatewayV2::Route');
    expect(routeResources.length).toBe(routes.length + 1);
    for (const [, route] of routeResources) {
      const spec = routes.find((r) => routeKey(r) === route.Properties.RouteKey);
      expect(route.Properties.AuthorizationType, route.Properties.RouteKey).toBe('CUSTOM');
      expect(route.Properties.AuthorizerId, route.Properties.RouteKey).toEqual({
        Ref: spec?.auth === 'apiKey' ? apiKeyId : originId,
      });
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
      DefaultRouteSettings: { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 },
    });
  });
});

describe('staff sign-in', () => {
  it('is one user pool staff cannot sign up to, tenant and staff id immutable, threat protection on, and the authorizer checks its tokens', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UsernameAttributes: ['email'],
      UserPoolTier: 'PLUS',
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true }) },
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'tenant', Mutable: false }),
        Match.objectLike({ Name: 'staff', Mutable: false }),
      ]),
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_SRP_AUTH']),
      GenerateSecret: false,
      PreventUserExistenceErrors: 'ENABLED',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('authorizer: tenant API keys or staff ID tokens'),
      Environment: {
        Variables: Match.objectLike({
          STAFF_TOKEN_ISSUER: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
          STAFF_POOL_CLIENT_ID: Match.anyValue(),
        }),
      },
    });
  });
});

describe('schedules', () => {
  it('runs the campaigns function daily through EventBridge Scheduler', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 0 * * ? *)',
      Target: Match.objectLike({
        Arn: Match.anyValue(),
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 3 }),
      }),
    });
  });
});

describe('the daily run, fanned out per tenant', () => {
  it('queues one message per tenant for the campaigns function, one at a time, with partial failures and a dead-letter queue', () => {
    const queues = ofType('AWS::SQS::Queue');
    const [dailyRunsId, dailyRuns] = queues.find(([id]) => id.includes('DailyRuns'))!;
    const failuresId = queues.find(([id]) => id.includes('DailyRunFailures'))![0];
    expect(dailyRuns.Properties).toMatchObject({
      VisibilityTimeout: DAILY_RUN_QUEUE.visibilityTimeoutSeconds,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [failuresId, 'Arn'] },
        maxReceiveCount: DAILY_RUN_QUEUE.maxReceiveCount,
      },
    });
    // Lambda's rule: a visibility timeout of at least six times the consumer's timeout.
    expect(DAILY_RUN_QUEUE.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(
      6 * functionCatalog.campaigns.timeoutSeconds,
    );
    const [campaignsId] = ofType('AWS::Lambda::Function').find(([, r]) =>
      String(r.Properties.Description).startsWith(functionCatalog.campaigns.description.slice(0, 40)),
    )!;
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [dailyRunsId, 'Arn'] },
      FunctionName: { Ref: campaignsId },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: DAILY_RUN_QUEUE.maxConcurrency },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ DAILY_RUN_QUEUE_URL: { Ref: dailyRunsId } }) },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [failuresId, 'QueueName'] } }],
      MetricName: 'ApproximateNumberOfMessagesVisible',
    });
  });
});

describe('alarms that reach someone', () => {
  it('lets CloudWatch, for this account’s alarms only, use the key of the encrypted alarm topic', () => {
    const alarmKeys = ofType('AWS::KMS::Key').filter(([, k]) =>
      String(k.Properties.Description).includes('alarms'),
    );
    expect(alarmKeys).toHaveLength(1);
    const [keyId, key] = alarmKeys[0]!;
    const statement = (key.Properties.KeyPolicy.Statement as { Principal?: { Service?: string } }[]).find(
      (s) => s.Principal?.Service === 'cloudwatch.amazonaws.com',
    ) as { Effect: string; Action: string[]; Condition: Record<string, Record<string, unknown>> };
    expect(statement).toMatchObject({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] });
    expect(statement.Condition.StringEquals).toHaveProperty(['aws:SourceAccount']);
    expect(JSON.stringify(statement.Condition.ArnLike)).toContain(':alarm:*');
    // The topic is the one encrypted with that key, and every alarm notifies it.
    const topics = ofType('AWS::SNS::Topic').filter(([, t]) =>
      JSON.stringify(t.Properties.KmsMasterKeyId).includes(keyId),
    );
    expect(topics).toHaveLength(1);
    const [topicId] = topics[0]!;
    for (const [, alarm] of ofType('AWS::CloudWatch::Alarm'))
      expect(JSON.stringify(alarm.Properties.AlarmActions)).toContain(topicId);
  });

  it('alarms at the first failure of a scheduled run (the daily run, the reconciler)', () => {
    const errorAlarms = ofType('AWS::CloudWatch::Alarm').filter(
      ([, a]) => a.Properties.MetricName === 'Errors',
    );
    const thresholdOf = (description: string) => {
      const [fnId] = ofType('AWS::Lambda::Function').find(
        ([, fn]) => fn.Properties.Description === description,
      )!;
      const found = errorAlarms.find(([, a]) => JSON.stringify(a.Properties.Dimensions).includes(fnId));
      return found?.[1].Properties.Threshold;
    };
    expect(thresholdOf(functionCatalog.campaigns.description)).toBe(1);
    expect(thresholdOf(functionCatalog.reconciler.description)).toBe(1);
    expect(thresholdOf(functionCatalog.requestsApi.description)).toBe(5);
  });
});

describe('one tenant cannot starve the others: CloudFront and WAF in front of the API', () => {
  it('keeps the web ACL in us-east-1, with rate limits per API key, per tenant webhook path and per IP', () => {
    const acl = Object.values(edgeTemplate.toJSON().Resources as Record<string, any>).find(
      (r) => r.Type === 'AWS::WAFv2::WebACL',
    );
    expect(acl.Properties.Scope).toBe('CLOUDFRONT');
    expect(edgeRegion).toBe('us-east-1');
    const rules = Object.fromEntries(acl.Properties.Rules.map((rule: any) => [rule.Name, rule])) as Record<
      string,
      any
    >;
    const rate = (name: string) => rules[name].Statement.RateBasedStatement;
    expect(rate('PerApiKey')).toMatchObject({
      AggregateKeyType: 'CUSTOM_KEYS',
      CustomKeys: [{ Header: { Name: 'authorization' } }],
      EvaluationWindowSec: 60,
    });
    expect(rate('PerTenantWebhooks')).toMatchObject({
      AggregateKeyType: 'CUSTOM_KEYS',
      CustomKeys: [{ UriPath: expect.anything() }],
    });
    expect(rate('PerTenantWebhooks').ScopeDownStatement.ByteMatchStatement).toMatchObject({
      PositionalConstraint: 'STARTS_WITH',
      SearchString: '/v1/webhooks/',
    });
    expect(rate('PublicPagesPerIp').AggregateKeyType).toBe('IP');
    expect(
      rate('PublicPagesPerIp').ScopeDownStatement.OrStatement.Statements.map(
        (s: any) => s.ByteMatchStatement.SearchString,
      ),
    ).toEqual(['/s/', '/a/']);
    expect(rate('PerIp').AggregateKeyType).toBe('IP');
    // Over the limit: 429 in our error shape, with Retry-After.
    for (const name of ['PerApiKey', 'PerTenantWebhooks', 'PublicPagesPerIp', 'PerIp'])
      expect(rules[name].Action.Block.CustomResponse).toMatchObject({
        ResponseCode: 429,
        ResponseHeaders: [{ Name: 'retry-after', Value: '60' }],
      });
    const body = Object.values(acl.Properties.CustomResponseBodies as Record<string, any>)[0];
    expect(JSON.parse(body.Content)).toMatchObject({ error: { code: 'TooManyRequests' } });
  });

  it('sends every request through CloudFront with that ACL, uncached, and the secret header from Secrets Manager', () => {
    const [, distribution] = ofType('AWS::CloudFront::Distribution')[0]!;
    const config = distribution.Properties.DistributionConfig;
    expect(JSON.stringify(config.WebACLId)).toContain('ApiWebAcl');
    const [origin] = config.Origins;
    expect(origin.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    const [header] = origin.OriginCustomHeaders;
    expect(header.HeaderName).toBe('x-origin-verify');
    // A dynamic reference resolved at deploy: the secret is never in the template.
    expect(JSON.stringify(header.HeaderValue)).toContain('{{resolve:secretsmanager:');
    expect(config.DefaultCacheBehavior).toMatchObject({
      // Managed policies: CachingDisabled, AllViewerExceptHostHeader.
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
      ViewerProtocolPolicy: 'redirect-to-https',
    });
    // Links in emails point at CloudFront, and every authorizer knows where to read the secret.
    const catalogFunctions = ofType('AWS::Lambda::Function').filter(([, r]) => isCatalogFunction(r));
    for (const [, fn] of catalogFunctions) {
      const environment = fn.Properties.Environment?.Variables ?? {};
      expect(JSON.stringify(environment.PUBLIC_BASE_URL)).toContain('DomainName');
      const spec = Object.values(functionCatalog).find((s) => s.description === fn.Properties.Description);
      if (spec && 'checksOrigin' in spec.uses)
        expect(environment.ORIGIN_VERIFY_SECRET_ID).toEqual({
          Ref: expect.stringMatching(/^EdgeOriginVerify/),
        });
    }
  });

  it('serves the API and the links in emails under the merchant’s own domain when given one, and sends the origin secret’s version a rotation names', () => {
    const { stack } = buildApp({
      ...withoutBundling,
      stage: 'dev',
      apiDomain: 'service.acme.example',
      apiCertificateArn:
        'arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-1111-2222-3333-444455556666',
      originSecretVersion: 'EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE',
    });
    const custom = Template.fromStack(stack);
    // The reference's text changes with the version, so CloudFormation resolves it again (#32).
    const [origin] = (Object.values(custom.toJSON().Resources as Record<string, any>).find(
      (r) => r.Type === 'AWS::CloudFront::Distribution',
    )!.Properties.DistributionConfig.Origins as { OriginCustomHeaders: { HeaderValue: unknown }[] }[])!;
    expect(JSON.stringify(origin!.OriginCustomHeaders[0]!.HeaderValue)).toMatch(
      /\{\{resolve:secretsmanager:.*:SecretString:::EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE\}\}/,
    );
    custom.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['service.acme.example'],
        ViewerCertificate: Match.objectLike({
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        }),
      }),
    });
    const urls = Object.values(custom.toJSON().Resources as Record<string, any>)
      .filter((r) => r.Type === 'AWS::Lambda::Function' && isCatalogFunction(r))
      .map((r) => r.Properties.Environment.Variables.PUBLIC_BASE_URL);
    expect(new Set(urls)).toEqual(new Set(['https://service.acme.example']));
    expect(() => buildApp({ stage: 'dev', apiDomain: 'service.acme.example' })).toThrow(/go together/);
  });
});

describe('staff console', () => {
  it('serves the console from a private bucket through the API’s own distribution, with its config written at deploy', () => {
    const [bucketId, bucket] = ofType('AWS::S3::Bucket').find(([id]) => id.startsWith('ConsoleBucket'))!;
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    // Only CloudFront reads it, and only for this distribution (origin access control).
    const [, policy] = ofType('AWS::S3::BucketPolicy').find(([, p]) => p.Properties.Bucket.Ref === bucketId)!;
    const read = policy.Properties.PolicyDocument.Statement.find(
      (s: any) => s.Principal?.Service === 'cloudfront.amazonaws.com',
    );
    expect(read.Action).toBe('s3:GetObject');
    expect(JSON.stringify(read.Condition)).toContain('AWS:SourceArn');

    const [, distribution] = ofType('AWS::CloudFront::Distribution')[0]!;
    const behaviors = distribution.Properties.DistributionConfig.CacheBehaviors;
    expect(behaviors.map((b: any) => b.PathPattern).sort()).toEqual(['/console', '/console/*']);
    for (const behavior of behaviors) {
      expect(behavior).toMatchObject({
        ViewerProtocolPolicy: 'redirect-to-https',
        AllowedMethods: ['GET', 'HEAD'],
      });
      expect(behavior.FunctionAssociations[0].EventType).toBe('viewer-request');
    }
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: {
            ContentSecurityPolicy: Match.stringLikeRegexp("connect-src 'self' https://cognito-idp\\."),
            Override: true,
          },
          FrameOptions: { FrameOption: 'DENY', Override: true },
        }),
      }),
    });
    // The build and config.json (the user pool's console client) land under console/.
    const [, deployment] = ofType('Custom::CDKBucketDeployment')[0]!;
    expect(deployment.Properties).toMatchObject({
      DestinationBucketKeyPrefix: 'console/',
      DistributionPaths: ['/console/index.html', '/console/config.json'],
      Prune: true,
    });
    expect(JSON.stringify(deployment.Properties.SourceMarkers)).toContain('StaffPoolConsole');
  });

  it('answers the app’s own paths with index.html and leaves its files alone (the CloudFront Function, run)', () => {
    const [, edgeFunction] = ofType('AWS::CloudFront::Function')[0]!;
    const handler = new Function(`${edgeFunction.Properties.FunctionCode}; return handler;`)() as (event: {
      request: { uri: string };
    }) => { uri?: string; statusCode?: number; headers?: Record<string, { value: string }> };
    const uriOf = (uri: string) => handler({ request: { uri } }).uri;
    expect(uriOf('/console/')).toBe('/console/index.html');
    expect(uriOf('/console/requests/sr_abc123')).toBe('/console/index.html');
    expect(uriOf('/console/settings')).toBe('/console/index.html');
    expect(uriOf('/console/assets/index-D4W4YDqH.js')).toBe('/console/assets/index-D4W4YDqH.js');
    expect(uriOf('/console/config.json')).toBe('/console/config.json');
    expect(handler({ request: { uri: '/console' } })).toMatchObject({
      statusCode: 301,
      headers: { location: { value: '/console/' } },
    });
  });
});

describe('mail and observability', () => {
  it('has an SES identity and a configuration set sending bounces and complaints to a topic', () => {
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'service.example.com' });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({ MatchingEventTypes: Match.arrayWith(['bounce', 'complaint']) }),
    });
  });

  it('reads the bounces and complaints (a function subscribed, with dead letters), suppresses at the account too, and alarms on the rates', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      SuppressionOptions: { SuppressedReasons: Match.arrayWith(['BOUNCE', 'COMPLAINT']) },
    });
    const [emailEventsId] = ofType('AWS::Lambda::Function').find(
      ([, fn]) => fn.Properties.Description === functionCatalog.emailEvents.description,
    )!;
    const subscriptions = ofType('AWS::SNS::Subscription').filter(([, sub]) =>
      JSON.stringify(sub.Properties.Endpoint).includes(emailEventsId),
    );
    expect(subscriptions).toHaveLength(1);
    expect(subscriptions[0]![1].Properties.RedrivePolicy).toBeDefined();
    const thresholds = Object.fromEntries(
      ofType('AWS::CloudWatch::Alarm')
        .filter(([, a]) => a.Properties.Namespace === 'AWS/SES')
        .map(([, a]) => [a.Properties.MetricName, a.Properties.Threshold]),
    );
    expect(thresholds).toEqual({ 'Reputation.BounceRate': 0.05, 'Reputation.ComplaintRate': 0.001 });
  });

  it('receives customers’ answers: SES keeps each raw email in an encrypted bucket, then hands it to the inbound-mail function', () => {
    const [inboundId] = ofType('AWS::Lambda::Function').find(
      ([, fn]) => fn.Properties.Description === functionCatalog.inboundMail.description,
    )!;
    const [, rule] = ofType('AWS::SES::ReceiptRule')[0]!;
    const { Recipients, Actions, ScanEnabled, TlsPolicy } = rule.Properties.Rule;
    expect({ Recipients, ScanEnabled, TlsPolicy }).toEqual({
      Recipients: ['reply.service.example.com'],
      ScanEnabled: true,
      TlsPolicy: 'Require',
    });
    // Kept first, then handed over: a failed hand-over loses nothing.
    expect(Actions.map((a: object) => Object.keys(a)[0])).toEqual(['S3Action', 'LambdaAction']);
    expect(JSON.stringify(Actions[1])).toContain(inboundId);
    const [bucketId, bucket] = ofType('AWS::S3::Bucket').find(([id]) => id.startsWith('InboundMailBucket'))!;
    expect(bucket.Properties.BucketEncryption).toBeDefined();
    expect(bucket.Properties.LifecycleConfiguration.Rules[0].ExpirationInDays).toBe(90);
    expect(JSON.stringify(Actions[0])).toContain(bucketId);
    // Retried twice, then dead-lettered and alarmed.
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: inboundId },
      MaximumRetryAttempts: 2,
    });
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'reply.service.example.com' });
  });

  it('refuses, at synth, a region SES does not receive mail in, and says what to do', () => {
    const inFrankfurt = () =>
      new InboundMail(new Stack(new App(), 'Frankfurt', { env: { region: 'eu-central-1' } }), 'InboundMail', {
        domain: 'reply.example.com',
        consumer: undefined as never,
        production: false,
      });
    expect(inFrankfurt).toThrow(
      /SES receives email only in us-east-1, us-west-2, eu-west-1; this stack is in eu-central-1/,
    );
  });

  it('alarms on failed executions, function errors and throttles, API 5xx, dead letters, and every alarmed log line', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').map(
      ([, r]) => `${r.Properties.Namespace}:${r.Properties.MetricName}`,
    );
    expect(alarms).toEqual(
      expect.arrayContaining([
        'AWS/States:ExecutionsFailed',
        'AWS/Lambda:Errors',
        'AWS/Lambda:Throttles',
        'AWS/ApiGateway:5xx',
        'AfterSales:HolidayArrangementMissing',
        'AfterSales:DailyRunItemFailed',
        'AfterSales:EmailRejected',
        'AfterSales:EmailSendInDoubt',
        'AfterSales:LifecycleStartedLate',
        'AfterSales:LifecycleRestarted',
        'AfterSales:LifecycleAbandoned',
      ]),
    );
    for (const [message, metric] of [
      ['Holiday arrangement not published', 'HolidayArrangementMissing'],
      ['Daily run item failed', 'DailyRunItemFailed'],
      ['Lifecycle restarted', 'LifecycleRestarted'],
    ])
      template.hasResourceProperties('AWS::Logs::MetricFilter', {
        FilterPattern: `{ $.message = "${message}" }`,
        MetricTransformations: [Match.objectLike({ MetricName: metric, MetricValue: '1' })],
      });
    // An email can be rejected wherever email is sent: counted on each such function's logs.
    const rejectedFilters = ofType('AWS::Logs::MetricFilter').filter(
      ([, r]) => r.Properties.FilterPattern === '{ $.message = "Email rejected" }',
    );
    expect(rejectedFilters.length).toBe(
      Object.values(functionCatalog).filter((spec) => spec.uses.sendsEmail).length,
    );
  });
});

/** Each SDK command our code may construct, and the IAM action it needs. */
const commandActions: Record<string, string | string[]> = {
  GetObjectCommand: 's3:GetObject',
  SendMessageCommand: 'sqs:SendMessage',
  GetSecretValueCommand: 'secretsmanager:GetSecretValue',
  SendMessageBatchCommand: 'sqs:SendMessage',
  GetCommand: 'dynamodb:GetItem',
  BatchGetCommand: 'dynamodb:BatchGetItem',
  PutCommand: 'dynamodb:PutItem',
  UpdateCommand: 'dynamodb:UpdateItem',
  DeleteCommand: 'dynamodb:DeleteItem',
  QueryCommand: 'dynamodb:Query',
  SendEmailCommand: 'ses:SendEmail',
  AdminCreateUserCommand: 'cognito-idp:AdminCreateUser',
  AdminSetUserPasswordCommand: 'cognito-idp:AdminSetUserPassword',
  AdminDisableUserCommand: 'cognito-idp:AdminDisableUser',
  AdminEnableUserCommand: 'cognito-idp:AdminEnableUser',
  // Tags given at creation need TagResource too (SES's dependent action).
  CreateEmailIdentityCommand: ['ses:CreateEmailIdentity', 'ses:TagResource'],
  GetEmailIdentityCommand: 'ses:GetEmailIdentity',
  DeleteEmailIdentityCommand: 'ses:DeleteEmailIdentity',
  StartExecutionCommand: 'states:StartExecution',
  DescribeExecutionCommand: 'states:DescribeExecution',
  // Creating a schedule hands it the role it runs as: PassRole comes with it.
  CreateScheduleCommand: ['scheduler:CreateSchedule', 'iam:PassRole'],
  DeleteScheduleCommand: 'scheduler:DeleteSchedule',
  GetParameterCommand: 'ssm:GetParameter',
};

/** The AWS actions a function's code can reach: bundle it tree-shaken and read which commands survive. */
async function actionsCalledBy(entry: string): Promise<Set<string>> {
  const result = await build({
    entryPoints: [resolve(import.meta.dirname, '../..', entry)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    treeShaking: true,
    external: ['@aws-sdk/*'],
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  const actions = new Set<string>();
  for (const [, command] of code.matchAll(/new (\w+Command)\(/g)) {
    const action = commandActions[command!];
    if (!action) throw new Error(`${entry} constructs ${command}: add it to commandActions`);
    for (const each of [action].flat()) actions.add(each);
  }
  return actions;
}

const sqsPolling =
  /^sqs:(ReceiveMessage|ChangeMessageVisibility|DeleteMessage|GetQueueAttributes|GetQueueUrl)$/;

describe('least privilege', () => {
  it('grants each function exactly the AWS actions its code calls (besides logs, X-Ray and the table key)', async () => {
    const functionLogicalIds = new Map(
      ofType('AWS::Lambda::Function').map(([id, r]) => [r.Properties.Role?.['Fn::GetAtt']?.[0], id]),
    );
    for (const name of Object.keys(functionCatalog) as FunctionName[]) {
      const called = await actionsCalledBy(functionCatalog[name].entry);
      const roleId = [...functionLogicalIds.keys()].find((role) =>
        role?.startsWith(`${name}FunctionServiceRole`),
      );
      expect(roleId, name).toBeDefined();
      const granted = new Set<string>();
      // Lambda itself sends a failed asynchronous invocation to its destination, with the function's role.
      const destinations = ofType('AWS::Lambda::EventInvokeConfig')
        .filter(([, config]) => config.Properties.FunctionName.Ref === functionLogicalIds.get(roleId))
        .map(([, config]) => JSON.stringify(config.Properties.DestinationConfig.OnFailure.Destination));
      for (const [, policy] of ofType('AWS::IAM::Policy')) {
        if (!policy.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId)) continue;
        for (const statement of policy.Properties.PolicyDocument.Statement) {
          if (destinations.includes(JSON.stringify(statement.Resource))) continue;
          for (const action of [statement.Action].flat() as string[]) {
            // Lambda's SQS event source mapping polls with the consumer's role: not our code's calls.
            if (!/^(logs|xray|kms):/.test(action) && !sqsPolling.test(action)) granted.add(action);
          }
        }
      }
      expect([...granted].sort(), name).toEqual([...called].sort());
    }
  });

  it('grants nothing on every resource except what AWS cannot scope: X-Ray, and log delivery for state machines', () => {
    // cloudfront:*Invalidation: aws-cdk-lib's BucketDeployment (the console) grants it on every distribution.
    const unscopable =
      /^(xray:|logs:(Create|Get|Update|Delete|List)LogDeliver|logs:(PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups)$|cloudfront:(Create|Get)Invalidation$)/;
    for (const [, policy] of ofType('AWS::IAM::Policy')) {
      for (const statement of policy.Properties.PolicyDocument.Statement) {
        if ([statement.Resource].flat().includes('*')) {
          expect([statement.Action].flat().filter((a: string) => !unscopable.test(a))).toEqual([]);
        }
      }
    }
  });
});

describe('destroy, then deploy again', () => {
  it('names the wake-up schedule group by CloudFormation and deletes it (and its pending schedules) with the stack', () => {
    const groups = ofType('AWS::Scheduler::ScheduleGroup');
    expect(groups).toHaveLength(1);
    const [, group] = groups[0]! as [string, { Properties?: { Name?: string }; DeletionPolicy?: string }];
    // A fixed name kept on deletion made the next deploy after `cdk destroy` fail.
    expect(group.Properties?.Name).toBeUndefined();
    expect(group.DeletionPolicy ?? 'Delete').toBe('Delete');
  });

  it('empties the console’s bucket on destroy, in production too (it holds only a build)', () => {
    const [bucketId] = ofType('AWS::S3::Bucket').find(([id]) => id.startsWith('ConsoleBucket'))!;
    template.hasResourceProperties('Custom::S3AutoDeleteObjects', { BucketName: { Ref: bucketId } });
  });
});
