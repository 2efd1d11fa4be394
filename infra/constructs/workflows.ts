import { ArnFormat, type CfnElement, Stack } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { FunctionName } from '#functions/catalog.ts';
import { workflowCatalog } from '#workflows/catalog.ts';
import { acknowledge } from './nag.ts';

export interface WorkflowsProps {
  functions: Record<FunctionName, IFunction>;
}

/**
 * The state machines of workflows/, deployed as written: the definition is the JSON our tests
 * run on the local interpreter, with `${Placeholders}` filled by definitionSubstitutions.
 */
export class Workflows extends Construct {
  readonly stateMachines: Record<keyof typeof workflowCatalog, StateMachine>;

  constructor(scope: Construct, id: string, props: WorkflowsProps) {
    super(scope, id);
    const machines = {} as Record<keyof typeof workflowCatalog, StateMachine>;
    for (const [key, workflow] of Object.entries(workflowCatalog) as [
      keyof typeof workflowCatalog,
      (typeof workflowCatalog)[keyof typeof workflowCatalog],
    ][]) {
      const functions = Object.entries(workflow.functions).map(
        ([placeholder, name]) => [placeholder, props.functions[name as FunctionName]] as const,
      );
      const machine = new StateMachine(this, workflow.stateMachineName, {
        // A name derived from the stack (not hard-coded): functions that start bursts and the
        // wake-up role name it, which breaks the function ⇄ machine reference cycle.
        stateMachineName: Workflows.stateMachineName(this, key),
        // Bursts of a few seconds (workflows/watched-subject.ts): Express, by price (README, bench/cost-model.ts).
        stateMachineType: workflow.type === 'EXPRESS' ? StateMachineType.EXPRESS : StateMachineType.STANDARD,
        definitionBody: DefinitionBody.fromString(JSON.stringify(workflow.definition)),
        definitionSubstitutions: Object.fromEntries(
          functions.map(([placeholder, fn]) => [placeholder, fn.functionArn]),
        ),
        tracingEnabled: true,
        logs: {
          destination: new LogGroup(this, `${workflow.stateMachineName}-logs`, {
            retention: RetentionDays.ONE_MONTH,
          }),
          level: LogLevel.ALL,
          includeExecutionData: false,
        },
        // The execution timeout is in the definition (TimeoutSeconds): CDK drops `timeout` for a string.
      });
      for (const [, fn] of functions) {
        fn.grantInvoke(machine);
        const logicalId = Stack.of(this).getLogicalId(fn.node.defaultChild as CfnElement);
        acknowledge(
          machine,
          `IAM5[Resource::<${logicalId}.Arn>:*]`,
          'Invoking versions/aliases of our own step function; nothing else.',
        );
      }
      machines[key] = machine;
    }
    this.stateMachines = machines;
  }

  static stateMachineName(scope: Construct, key: keyof typeof workflowCatalog): string {
    return `${Stack.of(scope).stackName}-${workflowCatalog[key].stateMachineName}`;
  }

  /** The ARN by name, for policies that must not reference the machine itself. */
  static stateMachineArn(scope: Construct, key: keyof typeof workflowCatalog): string {
    return Stack.of(scope).formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: Workflows.stateMachineName(scope, key),
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }
}
