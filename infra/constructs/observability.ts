import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { alarmedLogMessages } from '../../functions/shared/alarmed-logs.ts';

export interface ObservabilityProps {
  functions: Record<string, IFunction>;
  stateMachines: Record<string, StateMachine>;
  httpApi: HttpApi;
  /** Where alarms go (the operators' topic). */
  alarmTopic: ITopic;
  /** Dead-letter queues whose depth means lost work. */
  deadLetterQueues: Record<string, IQueue>;
  /** The log group of the daily run, whose alarmed log lines (failed items, a missing holiday arrangement) are counted. */
  dailyRunLogs: ILogGroup;
}

/**
 * Alarms on what breaks a promise silently: a failed lifecycle (nobody would escalate that
 * request any more), Lambda errors and throttles, API 5xx, dead letters, a daily-run item
 * that failed, and a year ahead without its official holiday arrangement (working-day
 * deadlines would be estimates); one dashboard with them.
 */
export class Observability extends Construct {
  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const action = new SnsAction(props.alarmTopic);
    const alarm = (name: string, metric: IMetric, threshold = 1) => {
      const created = new Alarm(this, name, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(action);
      return created;
    };

    const period = Duration.minutes(5);
    const widgets: GraphWidget[] = [];
    for (const [name, machine] of Object.entries(props.stateMachines)) {
      const failed = machine.metricFailed({ period });
      const timedOut = machine.metricTimedOut({ period });
      alarm(`${name}ExecutionsFailed`, failed);
      alarm(`${name}ExecutionsTimedOut`, timedOut);
      widgets.push(
        new GraphWidget({
          title: `${name}: executions`,
          left: [machine.metricStarted({ period }), machine.metricSucceeded({ period }), failed, timedOut],
        }),
      );
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      const errors = fn.metricErrors({ period });
      const throttles = fn.metricThrottles({ period });
      alarm(`${name}Errors`, errors, 5);
      alarm(`${name}Throttles`, throttles);
      widgets.push(
        new GraphWidget({
          title: `${name}: invocations`,
          left: [fn.metricInvocations({ period }), errors, throttles],
          right: [fn.metricDuration({ period })],
        }),
      );
    }
    const serverErrors = props.httpApi.metricServerError({ period });
    alarm('Api5xx', serverErrors, 5);
    widgets.push(
      new GraphWidget({
        title: 'API',
        left: [
          props.httpApi.metricCount({ period }),
          props.httpApi.metricClientError({ period }),
          serverErrors,
        ],
        right: [props.httpApi.metricLatency({ period })],
      }),
    );

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      const depth = queue.metricApproximateNumberOfMessagesVisible({ period });
      alarm(`${name}DeadLetters`, depth);
      widgets.push(new GraphWidget({ title: `${name}: dead letters`, left: [depth] }));
    }

    // The daily run's own conditions, counted from its log lines (functions/shared/alarmed-logs.ts).
    for (const [key, message] of Object.entries(alarmedLogMessages)) {
      const metricName = key.charAt(0).toUpperCase() + key.slice(1);
      const metric = new MetricFilter(this, `${metricName}Filter`, {
        logGroup: props.dailyRunLogs,
        filterPattern: FilterPattern.stringValue('$.message', '=', message),
        metricNamespace: 'AfterSales',
        metricName,
        metricValue: '1',
      }).metric({ period: Duration.days(1), statistic: 'Sum' });
      alarm(metricName, metric);
      widgets.push(new GraphWidget({ title: `daily run: ${message.toLowerCase()}`, left: [metric] }));
    }

    new Dashboard(this, 'Dashboard', { widgets: [widgets] });
  }
}
