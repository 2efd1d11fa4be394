import { Stack, type StackProps } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

/** Requests allowed per minute before WAF answers 429 (each rule counts its own key). */
export interface EdgeLimits {
  /** Per API key: a tenant's staff and integrations through one key. @default 600 */
  perApiKey: number;
  /** Per tenant's webhook path (`/v1/webhooks/{tenantId}/{storefront}`). @default 1200 */
  perTenantWebhooks: number;
  /** Per client IP on the pages emails link to (`/s/…` surveys, `/a/…` actions). @default 60 */
  publicPagesPerIp: number;
  /** Per client IP on everything: a backstop for whoever floods us. @default 3000 */
  perIp: number;
}

export const defaultEdgeLimits: EdgeLimits = {
  perApiKey: 600,
  perTenantWebhooks: 1200,
  publicPagesPerIp: 60,
  perIp: 3000,
};

export interface EdgeStackProps extends StackProps {
  stage: string;
  limits?: Partial<EdgeLimits>;
}

const TOO_MANY = 'TooManyRequests';

/**
 * The web ACL CloudFront puts in front of the HTTP API. It is its own stack because a web ACL
 * for CloudFront must live in us-east-1, whatever region the rest is in.
 *
 * Why CloudFront + WAF rather than per-tenant buckets in our Lambda authorizer: the authorizer's
 * decisions are cached (30 s), so it cannot count requests; counting in DynamoDB would cost a
 * write per request; and the public routes (webhooks, survey and action pages) have no API key
 * at all. WAF counts every request before it reaches API Gateway or a function, per key, per
 * tenant path and per IP, at no cost to the table.
 */
export class EdgeStack extends Stack {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const limits = { ...defaultEdgeLimits, ...props.limits };
    const visibility = (name: string) => ({
      cloudWatchMetricsEnabled: true,
      metricName: `${props.stage}-${name}`,
      sampledRequestsEnabled: true,
    });
    const block429 = {
      block: {
        customResponse: {
          responseCode: 429,
          customResponseBodyKey: TOO_MANY,
          responseHeaders: [{ name: 'retry-after', value: '60' }],
        },
      },
    };
    const pathStartsWith = (prefix: string): CfnWebACL.StatementProperty => ({
      byteMatchStatement: {
        fieldToMatch: { uriPath: {} },
        positionalConstraint: 'STARTS_WITH',
        searchString: prefix,
        textTransformations: [{ priority: 0, type: 'NONE' }],
      },
    });
    const rateRule = (
      priority: number,
      name: string,
      limit: number,
      aggregate: Pick<CfnWebACL.RateBasedStatementProperty, 'aggregateKeyType' | 'customKeys'>,
      scopeDown?: CfnWebACL.StatementProperty,
    ): CfnWebACL.RuleProperty => ({
      name,
      priority,
      action: block429,
      visibilityConfig: visibility(name),
      statement: {
        rateBasedStatement: {
          limit,
          evaluationWindowSec: 60,
          ...aggregate,
          ...(scopeDown ? { scopeDownStatement: scopeDown } : {}),
        },
      },
    });
    const managedRules = (priority: number, name: string): CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      visibilityConfig: visibility(name),
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
    });

    this.webAcl = new CfnWebACL(this, 'ApiWebAcl', {
      scope: 'CLOUDFRONT',
      description: 'Rate limits per API key, per tenant webhook path and per IP, and known bad inputs',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('api'),
      customResponseBodies: {
        [TOO_MANY]: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({
            error: { code: TOO_MANY, message: 'Too many requests: wait a minute and try again' },
          }),
        },
      },
      rules: [
        // Addresses AWS has seen attack or scan; requests known to exploit common software.
        // Not the common rule set: its 8 KB body limit would block Shopify's larger order webhooks.
        managedRules(0, 'AWSManagedRulesAmazonIpReputationList'),
        managedRules(1, 'AWSManagedRulesKnownBadInputsRuleSet'),
        rateRule(2, 'PerIp', limits.perIp, { aggregateKeyType: 'IP' }),
        rateRule(
          3,
          'PublicPagesPerIp',
          limits.publicPagesPerIp,
          { aggregateKeyType: 'IP' },
          {
            orStatement: { statements: [pathStartsWith('/s/'), pathStartsWith('/a/')] },
          },
        ),
        // One tenant's storefront flooding its webhook path does not use up another's.
        rateRule(
          4,
          'PerTenantWebhooks',
          limits.perTenantWebhooks,
          {
            aggregateKeyType: 'CUSTOM_KEYS',
            customKeys: [{ uriPath: { textTransformations: [{ priority: 0, type: 'LOWERCASE' }] } }],
          },
          pathStartsWith('/v1/webhooks/'),
        ),
        // Each API key its own budget: one tenant's integration in a loop slows only itself.
        rateRule(5, 'PerApiKey', limits.perApiKey, {
          aggregateKeyType: 'CUSTOM_KEYS',
          customKeys: [
            { header: { name: 'authorization', textTransformations: [{ priority: 0, type: 'NONE' }] } },
          ],
        }),
      ],
    });
  }
}
