import { ArnFormat, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { type FunctionName, functionCatalog } from '#functions/catalog.ts';
import { workflowCatalog } from '#workflows/catalog.ts';
import { Api } from './constructs/api.ts';
import { ConsoleSite } from './constructs/console-site.ts';
import { Data } from './constructs/data.ts';
import { deadLetterQueue } from './constructs/dead-letters.ts';
import { Edge } from './constructs/edge.ts';
import { InboundMail } from './constructs/inbound-mail.ts';
import { Mail } from './constructs/mail.ts';
import { acknowledge, nagEnvironment } from './constructs/nag.ts';
import { Observability } from './constructs/observability.ts';
import { Schedules } from './constructs/schedules.ts';
import { ServiceFunction } from './constructs/service-function.ts';
import { StaffPool } from './constructs/staff-pool.ts';
import { StorefrontInbox } from './constructs/storefront-inbox.ts';
import { WakeUps } from './constructs/wake-ups.ts';
import { Workflows } from './constructs/workflows.ts';

export interface AfterSalesStackProps extends StackProps {
  stage: 'dev' | 'prod';
  /** Domain emails are sent from; its SES identity is created here. */
  mailDomain: string;
  /** The CloudFront web ACL of the edge stack (us-east-1): rate limits in front of the API. */
  webAclArn: string;
  /** The API and the links in emails under the merchant's own domain (ACM certificate in us-east-1). */
  customDomain?: { domainName: string; certificateArn: string };
  /** The origin secret's version CloudFront sends (infra/constructs/edge.ts). */
  originSecretVersion?: string;
  /**
   * Customers' answers by email (#36): the domain their replies are addressed to, received by
   * SES in this region (infra/constructs/inbound-mail.ts). Absent: answers go to the tenant's
   * Reply-To, as before.
   */
  inboundMail?: { domain: string; extraRegions?: readonly string[] };
}

/** The whole product on AWS: one stack per stage, built from the same catalogs the local runtime uses. */
export class AfterSalesStack extends Stack {
  constructor(scope: Construct, id: string, props: AfterSalesStackProps) {
    super(scope, id, props);
    const production = props.stage === 'prod';
    const data = new Data(this, 'Data', { production });
    const mail = new Mail(this, 'Mail', { domain: props.mailDomain });
    const staffPool = new StaffPool(this, 'StaffPool', { production });

    // The link-signing secret lives in SSM Parameter Store as a SecureString created by the
    // operator (README: rotating secrets); functions read it by name at cold start.
    const linkSecretName = `/aftersales/${props.stage}/link-signing-secret`;
    // Likewise the key that seals storefront secrets at rest (functions/adapters/storefront-secrets.ts).
    const storefrontKeyName = `/aftersales/${props.stage}/storefront-secrets-key`;
    const parameterArn = (name: string) =>
      this.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name.slice(1) });

    const services = {} as Record<FunctionName, ServiceFunction>;
    for (const [name, spec] of Object.entries(functionCatalog) as [
      FunctionName,
      (typeof functionCatalog)[FunctionName],
    ][]) {
      services[name] = new ServiceFunction(this, name, {
        spec,
        environment: {
          TABLE_NAME: data.table.tableName,
          MAIL_FROM: mail.fromAddress,
          MAIL_CONFIGURATION_SET: mail.configurationSet.configurationSetName,
          ...(props.inboundMail ? { INBOUND_MAIL_DOMAIN: props.inboundMail.domain } : {}),
          LINK_SIGNING_SECRET_PARAMETER: linkSecretName,
          POWERTOOLS_SERVICE_NAME: name,
        },
      });
      services[name].bindTable(data.table, data.key, spec.uses);
      if (spec.uses.sendsEmail) mail.allowSending(services[name].fn);
      if ('managesSendingDomains' in spec.uses) mail.allowManagingTenantDomains(services[name].fn);
      const parameters = [
        ...(spec.uses.signsLinks ? [linkSecretName] : []),
        ...('storefrontSecrets' in spec.uses ? [storefrontKeyName] : []),
      ];
      if (parameters.length > 0)
        services[name].fn.addToRolePolicy(
          new PolicyStatement({ actions: ['ssm:GetParameter'], resources: parameters.map(parameterArn) }),
        );
      if ('storefrontSecrets' in spec.uses)
        services[name].fn.addEnvironment('STOREFRONT_SECRETS_KEY_PARAMETER', storefrontKeyName);
    }
    const functions = Object.fromEntries(
      Object.entries(services).map(([name, s]) => [name, s.fn]),
    ) as unknown as Record<FunctionName, IFunction>;

    const workflows = new Workflows(this, 'Workflows', { functions });
    const wakeUps = new WakeUps(this, 'WakeUps', {
      stateMachineArns: (Object.keys(workflowCatalog) as (keyof typeof workflowCatalog)[]).map((key) =>
        Workflows.stateMachineArn(this, key),
      ),
    });
    for (const [name, spec] of Object.entries(functionCatalog) as [
      FunctionName,
      (typeof functionCatalog)[FunctionName],
    ][]) {
      const fn = services[name].fn;
      for (const workflow of spec.uses.startsWorkflows) {
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['states:StartExecution'],
            resources: [Workflows.stateMachineArn(this, workflow)],
          }),
        );
        fn.addEnvironment(workflowCatalog[workflow].arnVariable, Workflows.stateMachineArn(this, workflow));
      }
      if ('parksWakeUps' in spec.uses) wakeUps.allowParking(fn);
    }

    for (const [name, spec] of Object.entries(functionCatalog))
      if ('managesStaffLogins' in spec.uses) staffPool.allowManagingLogins(services[name as FunctionName].fn);
    // Staff signed in as themselves: the authorizer checks their pool's ID tokens.
    services.authorizer.fn.addEnvironment('STAFF_TOKEN_ISSUER', staffPool.issuer);
    services.authorizer.fn.addEnvironment('STAFF_POOL_CLIENT_ID', staffPool.consoleClient.userPoolClientId);

    const api = new Api(this, 'Api', { functions });
    // Everyone reaches the API through CloudFront and WAF; the authorizers refuse the rest.
    const edge = new Edge(this, 'Edge', {
      stage: props.stage,
      httpApi: api.httpApi,
      webAclArn: props.webAclArn,
      customDomain: props.customDomain,
      originSecretVersion: props.originSecretVersion,
    });
    new ConsoleSite(this, 'Console', {
      distribution: edge.distribution,
      userPoolClientId: staffPool.consoleClient.userPoolClientId,
    });
    for (const [name, spec] of Object.entries(functionCatalog)) {
      if (!('checksOrigin' in spec.uses)) continue;
      const fn = services[name as FunctionName].fn;
      fn.addEnvironment('ORIGIN_VERIFY_SECRET_ID', edge.originSecret.secretArn);
      // Its current and previous versions, by stage (functions/adapters/edge-origin.ts).
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['secretsmanager:GetSecretValue'],
          resources: [edge.originSecret.secretArn],
        }),
      );
    }
    // SES's bounces and complaints, read at last: the address suppressed, the request told.
    const emailEventFailures = deadLetterQueue(this, 'EmailEventDeadLetters', 'the SES event subscription');
    mail.deliveryProblems.addSubscription(
      new LambdaSubscription(functions.emailEvents, { deadLetterQueue: emailEventFailures }),
    );
    const inboundMail = props.inboundMail
      ? new InboundMail(this, 'InboundMail', {
          ...props.inboundMail,
          consumer: services.inboundMail.fn,
          production,
        })
      : undefined;
    const storefrontInbox = new StorefrontInbox(this, 'StorefrontInbox', {
      consumer: services.storefrontInbox.fn,
    });
    for (const [name, spec] of Object.entries(functionCatalog))
      if ('keepsStorefrontDeliveries' in spec.uses)
        storefrontInbox.allowKeeping(services[name as FunctionName].fn);
    const schedules = new Schedules(this, 'Schedules', {
      campaigns: services.campaigns.fn,
      reconciler: services.reconciler.fn,
    });
    for (const service of Object.values(services))
      service.fn.addEnvironment('PUBLIC_BASE_URL', edge.publicUrl);

    const alarmKey = new Key(this, 'AlarmTopicKey', {
      enableKeyRotation: true,
      description: 'Encrypts operator alarms',
    });
    const alarmTopic = new Topic(this, 'OperatorAlarms', { masterKey: alarmKey, enforceSSL: true });
    // CloudWatch publishes alarms to the encrypted topic, and only this account's alarms may. It
    // needs both: the topic's policy (an explicit one, made for the TLS-only rule, replaces SNS's
    // default, so nothing else would allow it) and the key's (the AWS-managed SNS key would not).
    const fromOurAlarms = {
      StringEquals: { 'aws:SourceAccount': this.account },
      ArnLike: {
        'aws:SourceArn': this.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: '*',
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    };
    alarmTopic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [alarmTopic.topicArn],
        conditions: fromOurAlarms,
      }),
    );
    alarmKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToTheTopic',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: fromOurAlarms,
      }),
    );
    new Observability(this, 'Observability', {
      functions,
      stateMachines: workflows.stateMachines,
      httpApi: api.httpApi,
      alarmTopic,
      deadLetterQueues: {
        dailySchedule: schedules.deadLetters,
        dailyRun: schedules.dailyRunFailures,
        emailEvents: emailEventFailures,
        wakeUps: wakeUps.deadLetters,
        storefrontInbox: storefrontInbox.deadLetters,
        ...(inboundMail ? { inboundMail: inboundMail.deadLetters } : {}),
      },
      logGroups: Object.fromEntries(
        Object.entries(services).map(([name, service]) => [name, service.logGroup]),
      ) as Record<FunctionName, ServiceFunction['logGroup']>,
    });

    new CfnOutput(this, 'ApiUrl', { value: edge.publicUrl });
    new CfnOutput(this, 'TableName', { value: data.table.tableName });
    new CfnOutput(this, 'StaffUserPoolId', { value: staffPool.userPool.userPoolId });
    new CfnOutput(this, 'StaffConsoleClientId', { value: staffPool.consoleClient.userPoolClientId });
    // What the operator's command (npm run tenant) reads to reach this stage.
    new CfnOutput(this, 'ServiceRequestStateMachineArn', {
      value: workflows.stateMachines.serviceRequest.stateMachineArn,
    });
    new CfnOutput(this, 'FeedbackCaseStateMachineArn', {
      value: workflows.stateMachines.feedbackCase.stateMachineArn,
    });
    new CfnOutput(this, 'LinkSigningSecretParameter', { value: linkSecretName });
    new CfnOutput(this, 'StorefrontSecretsKeyParameter', { value: storefrontKeyName });
    new CfnOutput(this, 'OperatorAlarmTopic', { value: alarmTopic.topicArn });
    new CfnOutput(this, 'WakeUpScheduleGroup', { value: wakeUps.groupName });
    this.acknowledgeNagFindings(services, workflows);
  }

  /** Every cdk-nag finding we accept, with the reason beside it. */
  private acknowledgeNagFindings(
    services: Record<FunctionName, ServiceFunction>,
    workflows: Workflows,
  ): void {
    const { account, region } = nagEnvironment(this);
    for (const service of Object.values(services)) {
      acknowledge(
        service,
        'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'The AWS-managed minimum for a function to write its own logs.',
      );
      acknowledge(
        service,
        'IAM5[Resource::*]',
        'X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level permissions.',
      );
      acknowledge(
        service,
        'IAM5[Resource::<DataTableFDBAD0F2.Arn>/index/*]',
        'Queries on the GSIs of our own table.',
      );
    }
    for (const [name, spec] of Object.entries(functionCatalog)) {
      if (!spec.uses.sendsEmail && !('managesSendingDomains' in spec.uses)) continue;
      acknowledge(
        services[name as FunctionName],
        `IAM5[Resource::arn:<AWS::Partition>:ses:${region}:${account}:identity/*]`,
        'Tenants send from their own SES-verified domains, added at run time by the tenant API: only identities carrying this stack’s tag.',
      );
    }
    acknowledge(
      workflows,
      'IAM5[Resource::*]',
      'X-Ray tracing of the state machine has no resource-level permissions.',
    );
  }
}
