import { Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  ConfigurationSet,
  ConfigurationSetEventDestination,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { SENDING_IDENTITY_TAG } from '#functions/adapters/sending-domains.ts';

export interface MailProps {
  /** The domain mail is sent from (verified in SES by the DNS records CDK outputs). */
  domain: string;
}

/** SES: the sending identity and a configuration set whose bounces and complaints go to a topic. */
export class Mail extends Construct {
  readonly identity: EmailIdentity;
  readonly configurationSet: ConfigurationSet;
  readonly deliveryProblems: Topic;
  readonly fromAddress: string;

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    // SES's account-level suppression list too: an address that bounced or complained is not
    // sent to again by any tenant (our per-tenant list also tells the request and its staff).
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.identity = new EmailIdentity(this, 'Identity', {
      identity: Identity.domain(props.domain),
      configurationSet: this.configurationSet,
    });
    const key = new Key(this, 'TopicKey', {
      enableKeyRotation: true,
      description: 'Encrypts SES bounce/complaint events',
    });
    // SES encrypts the events it publishes for our configuration set, and for nothing else
    // (a service principal without conditions would be anyone's SES: the confused deputy).
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: {
            'aws:SourceAccount': Stack.of(this).account,
            'aws:SourceArn': this.configurationSetArn(),
          },
        },
      }),
    );
    this.deliveryProblems = new Topic(this, 'DeliveryProblems', { masterKey: key, enforceSSL: true });
    new ConfigurationSetEventDestination(this, 'BouncesAndComplaints', {
      configurationSet: this.configurationSet,
      destination: EventDestination.snsTopic(this.deliveryProblems),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT, EmailSendingEvent.REJECT],
    });
    this.fromAddress = `service@${props.domain}`;
  }

  identityArn(): string {
    const stack = Stack.of(this);
    return stack.formatArn({
      service: 'ses',
      resource: 'identity',
      resourceName: this.identity.emailIdentityName,
    });
  }

  /** Every SES identity of the account and region: narrowed by the tag below wherever it is granted. */
  anyIdentityArn(): string {
    return Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: '*' });
  }

  /**
   * The tag every tenant identity this stack creates carries (functions/adapters/sending-domains.ts):
   * our configuration set's name, so another stack's or an operator's identity in the same account
   * is out of our functions' reach (#32).
   */
  private ownIdentityTag(kind: 'Request' | 'Resource') {
    return {
      StringEquals: {
        [`aws:${kind}Tag/${SENDING_IDENTITY_TAG}`]: this.configurationSet.configurationSetName,
      },
    };
  }

  /**
   * SES SendEmail from our identity, or from a tenant's domain this stack added (tagged), through
   * the configuration set; nothing else.
   */
  allowSending(fn: IFunction): void {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [this.identityArn(), this.configurationSetArn()],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [this.anyIdentityArn()],
        conditions: this.ownIdentityTag('Resource'),
      }),
    );
  }

  /**
   * The tenant API adds, checks and removes tenants' sending domains (tagged with the tenant and
   * with this stack's tag) and puts them in our configuration set; it reaches no identity it did
   * not tag, and can never delete our own.
   */
  allowManagingTenantDomains(fn: IFunction): void {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:CreateEmailIdentity', 'ses:TagResource'],
        resources: [this.anyIdentityArn(), this.configurationSetArn()],
        conditions: this.ownIdentityTag('Request'),
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:GetEmailIdentity', 'ses:DeleteEmailIdentity'],
        resources: [this.anyIdentityArn()],
        conditions: this.ownIdentityTag('Resource'),
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.DENY,
        actions: ['ses:DeleteEmailIdentity'],
        resources: [this.identityArn()],
      }),
    );
  }

  configurationSetArn(): string {
    const stack = Stack.of(this);
    return stack.formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });
  }
}
