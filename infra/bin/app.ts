import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AfterSalesStack } from '../aftersales-stack.ts';

/**
 * `npx cdk synth` / `npx cdk deploy -c stage=dev -c mailDomain=example.com`. Stages come from
 * context, never from copied stacks; account and region from the deploying credentials.
 */
export function buildApp(context: Record<string, string> = {}): { app: App; stack: AfterSalesStack } {
  const app = new App({ context });
  const stage = String(app.node.tryGetContext('stage') ?? 'dev');
  if (stage !== 'dev' && stage !== 'prod') throw new Error(`stage must be dev or prod (got ${stage})`);
  const mailDomain = String(app.node.tryGetContext('mailDomain') ?? 'example.com');
  const stack = new AfterSalesStack(app, `AfterSales-${stage}`, {
    stage,
    mailDomain,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    description: `After-sales service system (${stage})`,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildApp().app.synth();
}
