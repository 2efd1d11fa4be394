import { type CfnElement, CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunctionResource } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { EmailIdentity, Identity, ReceiptRuleSet, TlsPolicy } from 'aws-cdk-lib/aws-ses';
import { Lambda as LambdaAction, LambdaInvocationType, S3 as S3Action } from 'aws-cdk-lib/aws-ses-actions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueue } from './dead-letters.ts';
import { acknowledge } from './nag.ts';

/**
 * The regions where SES receives email (the SES Developer Guide's "Email receiving endpoints").
 * An operator in a region added since passes it with `-c mailReceivingRegions=eu-central-1`.
 */
export const MAIL_RECEIVING_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'] as const;

export interface InboundMailProps {
  /** The domain customers' replies are addressed to (`reply+<token>@…`): its MX points at SES. */
  domain: string;
  /** The function that takes each email in (functions/inbound-mail). */
  consumer: LambdaFunctionResource;
  /** Regions besides MAIL_RECEIVING_REGIONS the operator knows SES receives in. */
  extraRegions?: readonly string[];
  production: boolean;
}

const PREFIX = 'inbound/';

/**
 * Customers' answers (#36): SES receives mail for the reply domain, keeps each raw email in an
 * encrypted bucket (its S3 action) and invokes the inbound-mail function (its Lambda action,
 * asynchronously: retried twice, then dead-lettered and alarmed; the email stays in the bucket).
 * The rule set is made here and activated by the operator (one is active per account and region:
 * README, "Deploy").
 */
export class InboundMail extends Construct {
  readonly bucket: Bucket;
  readonly ruleSet: ReceiptRuleSet;
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: InboundMailProps) {
    super(scope, id);
    const { region } = Stack.of(this);
    const receiving = [...MAIL_RECEIVING_REGIONS, ...(props.extraRegions ?? [])];
    if (!receiving.includes(region))
      throw new Error(
        `SES receives email only in ${receiving.join(', ')}; this stack is in ${region}. ` +
          'Deploy in one of them, pass -c mailReceivingRegions=<region> if SES receives there now, ' +
          'or -c inboundMail=off (customers then answer to the tenant’s Reply-To address).',
      );
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Raw emails are taken in within minutes; the conversation keeps what they said. Kept a
      // while for a message held or dead-lettered, then gone (clause 12: nothing kept for ever).
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: !props.production,
    });
    acknowledge(
      this.bucket,
      'S1',
      'Only SES writes it and only the inbound-mail function reads it; both are logged by CloudTrail.',
    );

    this.deadLetters = deadLetterQueue(this, 'DeadLetters', 'the inbound-mail function');
    props.consumer.configureAsyncInvoke({
      retryAttempts: 2,
      onFailure: new SqsDestination(this.deadLetters),
    });
    this.ruleSet = new ReceiptRuleSet(this, 'RuleSet', {
      rules: [
        {
          recipients: [props.domain],
          scanEnabled: true,
          tlsPolicy: TlsPolicy.REQUIRE,
          actions: [
            new S3Action({ bucket: this.bucket, objectKeyPrefix: PREFIX }),
            new LambdaAction({ function: props.consumer, invocationType: LambdaInvocationType.EVENT }),
          ],
        },
      ],
    });
    props.consumer.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [this.bucket.arnForObjects(`${PREFIX}*`)],
      }),
    );
    const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnElement);
    acknowledge(
      props.consumer,
      `IAM5[Resource::<${bucketId}.Arn>/${PREFIX}*]`,
      'Reads the raw emails SES keeps, one object per email, named by SES: only under the inbound prefix.',
    );
    props.consumer.addEnvironment('INBOUND_MAIL_BUCKET', this.bucket.bucketName);
    props.consumer.addEnvironment('INBOUND_MAIL_PREFIX', PREFIX);

    // SES receives only for a verified domain: its DKIM records are among the identity's outputs.
    new EmailIdentity(this, 'Identity', { identity: Identity.domain(props.domain) });
    new CfnOutput(this, 'MxRecord', {
      description: 'The reply domain’s MX record (then activate the rule set: README, "Deploy")',
      value: `${props.domain} MX 10 inbound-smtp.${region}.amazonaws.com`,
    });
    new CfnOutput(this, 'ActivateRuleSet', {
      description: 'Run once: SES applies one receipt rule set per account and region',
      value: `aws ses set-active-receipt-rule-set --region ${region} --rule-set-name ${this.ruleSet.receiptRuleSetName}`,
    });
  }
}
