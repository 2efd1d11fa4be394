import { Duration, Validations } from 'aws-cdk-lib';
import { type CfnStage, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionName } from '../../functions/catalog.ts';
import { routeKey, routes } from '../../functions/routes.ts';

export interface ApiProps {
  functions: Record<FunctionName, IFunction>;
  /** Requests per second across the API. @default 200 */
  rateLimit?: number;
}

/** The HTTP API: every route of functions/routes.ts, API keys checked by our Lambda authorizer. */
export class Api extends Construct {
  readonly httpApi: HttpApi;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    // What no route matches answers in our error shape: 404, or 405 with Allow for a known path.
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'After-sales service API',
      defaultIntegration: new HttpLambdaIntegration('NotRoutedIntegration', props.functions.documents),
    });
    const authorizer = new HttpLambdaAuthorizer('ApiKeyAuthorizer', props.functions.authorizer, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Authorization'],
      // A revoked key or a suspended tenant stops working within this (and the handlers check a
      // suspended tenant at once): 30 s of cached decisions, not 5 minutes.
      resultsCacheTtl: Duration.seconds(30),
    });
    const defaultRoute = this.httpApi.node.tryFindChild('DefaultRoute');
    if (defaultRoute)
      Validations.of(defaultRoute).acknowledge({
        id: 'AwsSolutions::AwsSolutions-APIG4',
        reason:
          'The $default route only answers 404, or 405 with Allow, for what no route matches: it reaches no data.',
      });
    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    for (const route of routes) {
      let integration = integrations.get(route.function);
      if (!integration) {
        integration = new HttpLambdaIntegration(
          `${route.function}Integration`,
          props.functions[route.function],
        );
        integrations.set(route.function, integration);
      }
      const added = this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
        authorizer: route.auth === 'apiKey' ? authorizer : undefined,
      });
      if (route.auth !== 'apiKey') {
        for (const publicRoute of added) {
          Validations.of(publicRoute).acknowledge({
            id: 'AwsSolutions::AwsSolutions-APIG4',
            reason:
              'Authorized otherwise (route table: signed link, storefront signature) or public documents; checked by the function.',
          });
        }
      }
    }

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH });
    const stage = this.httpApi.defaultStage!.node.defaultChild as CfnStage;
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        routeKey: '$context.routeKey',
        status: '$context.status',
        latency: '$context.responseLatency',
        tenantId: '$context.authorizer.tenantId',
        ip: '$context.identity.sourceIp',
      }),
    };
    const rate = props.rateLimit ?? 200;
    stage.defaultRouteSettings = { throttlingRateLimit: rate, throttlingBurstLimit: rate * 2 };
  }

  /** Route keys as API Gateway names them, for the parity test with the local runtime. */
  static routeKeys(): string[] {
    return routes.map(routeKey);
  }
}
