import { Duration } from 'aws-cdk-lib';
import { type CfnStage, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ORIGIN_VERIFY_HEADER } from '#functions/adapters/edge-origin.ts';
import type { FunctionName } from '#functions/catalog.ts';
import { API_KEY_DECISION_CACHE_SECONDS, routeKey, routes } from '#functions/routes.ts';

export interface ApiProps {
  functions: Record<FunctionName, IFunction>;
  /** Requests per second across the API. @default 200 */
  rateLimit?: number;
}

/**
 * The HTTP API: every route of functions/routes.ts, API keys checked by our Lambda authorizer.
 * Every route has an authorizer that refuses requests which did not come through CloudFront
 * (infra/constructs/edge.ts): the API-key authorizer on staff routes, the origin authorizer on
 * the rest, which check their own signatures.
 */
export class Api extends Construct {
  readonly httpApi: HttpApi;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const originAuthorizer = new HttpLambdaAuthorizer('OriginAuthorizer', props.functions.originAuthorizer, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: [`$request.header.${ORIGIN_VERIFY_HEADER}`],
      // One decision per header value: the check runs about once per 5 minutes, not per request.
      resultsCacheTtl: Duration.minutes(5),
    });
    // What no route matches answers in our error shape: 404, or 405 with Allow for a known path.
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'After-sales service API',
      defaultIntegration: new HttpLambdaIntegration('NotRoutedIntegration', props.functions.documents),
      defaultAuthorizer: originAuthorizer,
    });
    const authorizer = new HttpLambdaAuthorizer('ApiKeyAuthorizer', props.functions.authorizer, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Authorization', `$request.header.${ORIGIN_VERIFY_HEADER}`],
      // 30 s of cached decisions, not 5 minutes (functions/routes.ts).
      resultsCacheTtl: Duration.seconds(API_KEY_DECISION_CACHE_SECONDS),
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
      this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
        // Without one, the API's default: the origin authorizer.
        authorizer: route.auth === 'apiKey' ? authorizer : undefined,
      });
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
