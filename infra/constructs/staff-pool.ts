import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { STAFF_PASSWORD_POLICY } from '#domain/staff-password.ts';
import { acknowledge } from './nag.ts';

/**
 * Staff sign-in (#15): one Cognito user pool for every tenant's staff, a user per staff member
 * named by their email, carrying their tenant and staff id as immutable attributes (their role
 * stays in the tenant's settings, read at every call). The local runtime makes the same pool in
 * its Cognito stand-in (local/staff-pool.ts). Staff are invited by their tenant's admin, never
 * sign themselves up.
 */
export class StaffPool extends Construct {
  readonly userPool: UserPool;
  readonly consoleClient: UserPoolClient;

  constructor(scope: Construct, id: string, props: { production: boolean }) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Pool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      customAttributes: {
        tenant: new StringAttribute({ mutable: false, minLen: 3, maxLen: 40 }),
        staff: new StringAttribute({ mutable: false, minLen: 1, maxLen: 80 }),
      },
      passwordPolicy: {
        minLength: STAFF_PASSWORD_POLICY.minimumLength,
        requireLowercase: STAFF_PASSWORD_POLICY.requireLowercase,
        requireUppercase: STAFF_PASSWORD_POLICY.requireUppercase,
        requireDigits: STAFF_PASSWORD_POLICY.requireNumbers,
        requireSymbols: STAFF_PASSWORD_POLICY.requireSymbols,
        tempPasswordValidity: Duration.days(7),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Threat protection (compromised credentials, risky sign-ins) for the people who see customers' data.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: props.production,
      removalPolicy: props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    acknowledge(
      this.userPool,
      'COG2',
      'MFA is offered (TOTP), not yet required: the console enrols it at first sign-in once it handles the MFA_SETUP challenge; then this becomes REQUIRED.',
    );
    // The console signs in with the password flow over TLS (web/src/session.ts): the one flow the
    // local stand-in (cognito-local) serves, so the flow the tests run is the flow deployed. SRP
    // stays allowed for SDK clients.
    this.consoleClient = this.userPool.addClient('Console', {
      authFlows: { userSrp: true, userPassword: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
  }

  /** What the tenant API does to staff sign-ins (functions/adapters/staff-directory.ts), on this pool only. */
  allowManagingLogins(fn: IFunction): void {
    fn.addEnvironment('STAFF_USER_POOL_ID', this.userPool.userPoolId);
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'cognito-idp:AdminCreateUser',
          'cognito-idp:AdminSetUserPassword',
          'cognito-idp:AdminDisableUser',
          'cognito-idp:AdminEnableUser',
        ],
        resources: [this.userPool.userPoolArn],
      }),
    );
  }

  /** The issuer of its tokens, as the authorizer checks it. */
  get issuer(): string {
    return `https://cognito-idp.${this.userPool.stack.region}.amazonaws.com/${this.userPool.userPoolId}`;
  }
}
