import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { type FunctionName, functionCatalog } from '#functions/catalog.ts';
import { alarmedLogMessages } from '#functions/shared/alarmed-logs.ts';

export interface ObservabilityProps {
  functions: Record<FunctionName, IFunction>;
  /** Each function's log group: its alarmed log lines are counted there. */
  logGroups: Record<FunctionName, ILogGroup>;
  stateMachines: Record<string, StateMachine>;
  httpApi: HttpApi;
  /** Where alarms go (the operators' topic). */
  alarmTopic: ITopic;
  /** Dead-letter queues whose depth means lost work. */
  deadLetterQueues: Record<string, IQueue>;
}

/**
 * Alarms on what breaks a promise silently: a failed lifecycle (nobody would escalate that
 * request any more), one the reconciler had to start or restart or gave up on, Lambda errors
 * and throttles, API 5xx, dead letters, a daily-run item that failed, an email SES rejected or
 * sent again after an interruption, and a year ahead without its official holiday arrangement
 * (working-day deadlines would be estimates); one dashboard with them.
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
      // A scheduled run (the daily run, the reconciler) that fails once has failed its whole
      // pass: alarmed at the first error. Request-driven functions at 5 in 5 minutes.
      alarm(`${name}Errors`, errors, 'schedule' in functionCatalog[name as FunctionName] ? 1 : 5);
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

    // SES puts an account under review past 5 % bounces or 0.1 % complaints (and pauses sending
    // past 10 % / 0.5 %): alarmed well before, for every tenant shares the account's reputation.
    const reputation = (metricName: string) =>
      new Metric({ namespace: 'AWS/SES', metricName, statistic: 'Maximum', period: Duration.hours(1) });
    const bounceRate = reputation('Reputation.BounceRate');
    const complaintRate = reputation('Reputation.ComplaintRate');
    alarm('SesBounceRate', bounceRate, 0.05);
    alarm('SesComplaintRate', complaintRate, 0.001);
    widgets.push(new GraphWidget({ title: 'SES reputation', left: [bounceRate, complaintRate] }));

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      const depth = queue.metricApproximateNumberOfMessagesVisible({ period });
      alarm(`${name}DeadLetters`, depth);
      widgets.push(new GraphWidget({ title: `${name}: dead letters`, left: [depth] }));
    }

    // Conditions our code logs (functions/shared/alarmed-logs.ts), counted on the log groups of
    // the functions that write them into one metric each.
    const emailSenders = (Object.keys(functionCatalog) as FunctionName[]).filter(
      (name) => functionCatalog[name].uses.sendsEmail,
    );
    for (const [key, { message, writtenBy }] of Object.entries(alarmedLogMessages)) {
      const metricName = key.charAt(0).toUpperCase() + key.slice(1);
      const writers = writtenBy === 'emailSenders' ? emailSenders : (writtenBy as readonly FunctionName[]);
      let metric: IMetric | undefined;
      for (const writer of writers) {
        metric = new MetricFilter(this, `${metricName}${writer}Filter`, {
          logGroup: props.logGroups[writer],
          filterPattern: FilterPattern.stringValue('$.message', '=', message),
          metricNamespace: 'AfterSales',
          metricName,
          metricValue: '1',
        }).metric({ period: Duration.hours(1), statistic: 'Sum' });
      }
      if (!metric) continue;
      alarm(metricName, metric);
      widgets.push(new GraphWidget({ title: message.toLowerCase(), left: [metric] }));
    }

    new Dashboard(this, 'Dashboard', { widgets: [widgets] });
  }
}
