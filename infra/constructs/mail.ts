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
    key.grantEncryptDecrypt(new ServicePrincipal('ses.amazonaws.com'));
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

  /** Every SES identity of the account and region: ours and the tenants' own domains. */
  anyIdentityArn(): string {
    return Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: '*' });
  }

  /**
   * The tenant API adds, checks and removes tenants' sending domains (tagged with the tenant) and
   * puts them in our configuration set; it can never delete our own identity.
   */
  allowManagingTenantDomains(fn: IFunction): void {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:CreateEmailIdentity', 'ses:TagResource'],
        resources: [this.anyIdentityArn(), this.configurationSetArn()],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:GetEmailIdentity', 'ses:DeleteEmailIdentity'],
        resources: [this.anyIdentityArn()],
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
