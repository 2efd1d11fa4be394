import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ensureConsoleBuilt } from '#web/build.ts';
import { AfterSalesStack } from '../aftersales-stack.ts';
import { EdgeStack } from '../edge-stack.ts';

/**
 * `npx cdk synth` / `npx cdk deploy -c stage=dev -c mailDomain=example.com`. Stages come from
 * context, never from copied stacks; account and region from the deploying credentials.
 */
export function buildApp(context: Record<string, unknown> = {}): {
  app: App;
  stack: AfterSalesStack;
  edge: EdgeStack;
} {
  // References between our stacks are strong: the edge stack's web ACL cannot be removed while
  // the distribution uses it.
  const app = new App({ context: { '@aws-cdk/core:defaultCrossStackReferences': 'strong', ...context } });
  const stage = String(app.node.tryGetContext('stage') ?? 'dev');
  if (stage !== 'dev' && stage !== 'prod') throw new Error(`stage must be dev or prod (got ${stage})`);
  const mailDomain = String(app.node.tryGetContext('mailDomain') ?? 'example.com');
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  // The web ACL must be in us-east-1 (CloudFront's); the stack reads its ARN across regions, which
  // needs a concrete region: the deploying credentials' (cdk sets it), else us-east-1.
  const region = process.env.CDK_DEFAULT_REGION ?? 'us-east-1';
  const edge = new EdgeStack(app, `AfterSales-${stage}-edge`, {
    stage,
    env: { account, region: 'us-east-1' },
    description: `After-sales service system (${stage}): the web ACL in front of the API`,
  });
  const apiDomain = app.node.tryGetContext('apiDomain') as string | undefined;
  const apiCertificateArn = app.node.tryGetContext('apiCertificateArn') as string | undefined;
  if (Boolean(apiDomain) !== Boolean(apiCertificateArn))
    throw new Error('apiDomain and apiCertificateArn go together (an ACM certificate in us-east-1)');
  const stack = new AfterSalesStack(app, `AfterSales-${stage}`, {
    stage,
    mailDomain,
    webAclArn: edge.webAcl.attrArn,
    customDomain:
      apiDomain && apiCertificateArn
        ? { domainName: apiDomain, certificateArn: apiCertificateArn }
        : undefined,
    originSecretVersion: app.node.tryGetContext('originSecretVersion') as string | undefined,
    // Customers' answers by email, at reply.<mail domain> unless told otherwise (-c inboundMail=off).
    inboundMail:
      app.node.tryGetContext('inboundMail') === 'off'
        ? undefined
        : {
            domain: String(app.node.tryGetContext('inboundMailDomain') ?? `reply.${mailDomain}`),
            extraRegions: String(app.node.tryGetContext('mailReceivingRegions') ?? '')
              .split(',')
              .filter(Boolean),
          },
    env: { account, region },
    crossRegionReferences: true,
    description: `After-sales service system (${stage})`,
  });
  stack.addStackDependency(edge);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, edge };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // The console's build is an asset of the stack (infra/constructs/console-site.ts).
  await ensureConsoleBuilt();
  buildApp().app.synth();
}
