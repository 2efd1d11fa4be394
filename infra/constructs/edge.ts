import { Duration, Fn, SecretValue, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  type ResponseSecurityHeadersBehavior,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ORIGIN_VERIFY_HEADER } from '#functions/adapters/edge-origin.ts';
import { acknowledge } from './nag.ts';

/** What every answer through CloudFront carries: HSTS, nosniff, no framing, no referrer. */
export const securityHeaderValues = {
  strictTransportSecurity: {
    accessControlMaxAge: Duration.days(365),
    includeSubdomains: true,
    override: true,
  },
  contentTypeOptions: { override: true },
  frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
  referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
} satisfies ResponseSecurityHeadersBehavior;

export interface EdgeProps {
  stage: string;
  httpApi: HttpApi;
  /** The web ACL of the edge stack (us-east-1). */
  webAclArn: string;
  /** A custom domain for the API and the links in emails, with its ACM certificate in us-east-1. */
  customDomain?: { domainName: string; certificateArn: string };
  /**
   * The origin secret's version CloudFront sends (`-c originSecretVersion=<VersionId>`, README:
   * rotating). CloudFormation resolves a secret reference again only when its text changes, so a
   * rotation names the new version; without it, the version current at the first deploy.
   */
  originSecretVersion?: string;
}

/**
 * CloudFront in front of the HTTP API: WAF's rate limits apply to every request, the API's own
 * endpoint answers only requests that came through here (a secret header, checked by the
 * authorizers), and the public URL can be the merchant's own domain. Nothing is cached: every
 * answer is per caller.
 */
export class Edge extends Construct {
  readonly distribution: Distribution;
  /** Holds the value of the origin-verify header (generated at deploy, never in the template). */
  readonly originSecret: Secret;
  /** Its name: functions read it through SSM as `/aws/reference/secretsmanager/<name>`. */
  readonly originSecretName: string;
  /** Where customers, storefronts and staff reach the API (and what links in emails start with). */
  readonly publicUrl: string;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    this.originSecretName = `aftersales/${props.stage}/origin-verify`;
    this.originSecret = new Secret(this, 'OriginVerify', {
      secretName: this.originSecretName,
      description: 'The header CloudFront sends the API with every request: requests without it are refused',
      generateSecretString: { excludePunctuation: true, passwordLength: 48 },
    });
    acknowledge(
      this.originSecret,
      'SMG4',
      'Rotated by the operator without an outage: put a new value, then deploy naming its version (README); the authorizers accept the current and the previous value meanwhile.',
    );
    const region = Stack.of(this).region;
    const apiDomain = Fn.select(2, Fn.split('/', props.httpApi.apiEndpoint));
    const securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Security headers on every answer (pages, JSON, CSV)',
      securityHeadersBehavior: securityHeaderValues,
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `After-sales API (${region})`,
      webAclId: props.webAclArn,
      httpVersion: HttpVersion.HTTP2_AND_3,
      // Customers and shops are in mainland China and anywhere else: every edge location.
      priceClass: PriceClass.PRICE_CLASS_ALL,
      ...(props.customDomain
        ? {
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
            domainNames: [props.customDomain.domainName],
            certificate: Certificate.fromCertificateArn(
              this,
              'Certificate',
              props.customDomain.certificateArn,
            ),
          }
        : {}),
      defaultBehavior: {
        origin: new HttpOrigin(apiDomain, {
          protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [OriginSslPolicy.TLS_V1_2],
          customHeaders: {
            [ORIGIN_VERIFY_HEADER]: (props.originSecretVersion
              ? SecretValue.secretsManager(this.originSecret.secretArn, {
                  versionId: props.originSecretVersion,
                })
              : this.originSecret.secretValue
            ).unsafeUnwrap(),
          },
          readTimeout: Duration.seconds(30),
        }),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        // Everything the viewer sent (Authorization included) except Host, which API Gateway
        // needs to be its own domain.
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        responseHeadersPolicy: securityHeaders,
      },
    });
    this.publicUrl = props.customDomain
      ? `https://${props.customDomain.domainName}`
      : `https://${this.distribution.distributionDomainName}`;
    acknowledge(
      this.distribution,
      'CFR1',
      'No geo restriction: a merchant’s customers and storefronts may be anywhere.',
    );
    acknowledge(
      this.distribution,
      'CFR3',
      'Every request that passes reaches the API stage’s access log; WAF samples what it blocks.',
    );
    if (!props.customDomain)
      acknowledge(
        this.distribution,
        'CFR4',
        'The default *.cloudfront.net certificate allows only what CloudFront sets; a custom domain gets TLS 1.2 (2021).',
      );
  }
}
