import { resolve } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { Charset, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ACCESS_TRAIL_KEY_PREFIX } from '#functions/adapters/access-trail.ts';
import type { FunctionSpec } from '#functions/catalog.ts';

const repositoryRoot = resolve(import.meta.dirname, '../..');

export interface ServiceFunctionProps {
  spec: FunctionSpec;
  environment: Record<string, string>;
  /** @default 512 */
  memorySize?: number;
}

/**
 * One of our Lambda functions with the team's defaults: Node.js 24 on arm64, bundled by the
 * local esbuild as ESM (middy 7 is ESM-only) with the AWS SDK left to the runtime, JSON logs
 * kept 30 days, X-Ray on. Permissions are granted by the intent-named methods below.
 */
export class ServiceFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH });
    this.logGroup = logGroup;
    this.fn = new NodejsFunction(this, 'Function', {
      entry: resolve(repositoryRoot, props.spec.entry),
      handler: 'handler',
      description: props.spec.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      reservedConcurrentExecutions: props.spec.reservedConcurrency,
      timeout: Duration.seconds(props.spec.timeoutSeconds),
      tracing: Tracing.ACTIVE,
      loggingFormat: LoggingFormat.JSON,
      logGroup,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      projectRoot: repositoryRoot,
      depsLockFilePath: resolve(repositoryRoot, 'package-lock.json'),
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        minify: true,
        // Chinese text as UTF-8, not \u escapes: 3 bytes a character instead of 6.
        charset: Charset.UTF8,
        sourceMap: true,
        externalModules: ['@aws-sdk/*'],
        mainFields: ['module', 'main'],
        // Some CommonJS dependencies call require(): give the ESM bundle one.
        banner:
          "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
        forceDockerBundling: false,
      },
    });
  }

  /**
   * Exactly the DynamoDB actions the function calls, on the table and its indexes, and its key. A
   * function that only records what it showed may put items in the access trail's partitions alone.
   */
  bindTable(
    table: ITable,
    key: IKey,
    uses: Pick<FunctionSpec['uses'], 'table' | 'writesAccessTrailOnly'>,
  ): void {
    const actions = uses.table;
    if (actions.length === 0) return;
    this.fn.addToRolePolicy(
      new PolicyStatement({
        actions: [...actions],
        resources: [table.tableArn, `${table.tableArn}/index/*`],
      }),
    );
    if (uses.writesAccessTrailOnly)
      this.fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['dynamodb:PutItem'],
          resources: [table.tableArn],
          conditions: {
            'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${ACCESS_TRAIL_KEY_PREFIX}*`] },
          },
        }),
      );
    const writes =
      uses.writesAccessTrailOnly ||
      actions.some(
        (action) =>
          action !== 'dynamodb:GetItem' && action !== 'dynamodb:BatchGetItem' && action !== 'dynamodb:Query',
      );
    this.fn.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'kms:Decrypt',
          'kms:DescribeKey',
          ...(writes ? ['kms:Encrypt', 'kms:GenerateDataKey'] : []),
        ],
        resources: [key.keyArn],
      }),
    );
  }
}
