import { type CfnElement, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  type Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { consoleDist } from '#web/build.ts';
import { consoleSecurityHeaders } from '#web/security-headers.ts';
import { securityHeaderValues } from './edge.ts';
import { acknowledge, nagEnvironment } from './nag.ts';

export interface ConsoleSiteProps {
  /** The API's distribution: the console is served beside the API, same origin (no CORS). */
  distribution: Distribution;
  userPoolClientId: string;
}

/**
 * The staff console (web/) on AWS: its build in a private S3 bucket, read by CloudFront alone
 * (origin access control), under /console/ of the API's own distribution. A CloudFront Function
 * answers the app's own paths (/console/requests/…) with index.html; its config.json (where to
 * sign in) is written at deploy from the user pool; security headers as the local runtime sends.
 */
export class ConsoleSite extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);
    const region = Stack.of(this).region;
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // A build is redeployed from git at will: nothing in the bucket is the only copy, so it is
      // emptied and deleted with the stack in every stage (a non-empty bucket stops `cdk destroy`).
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    acknowledge(
      this.bucket,
      'S1',
      'Only CloudFront reads it (origin access control); viewers are logged at the API and WAF.',
    );

    const cognitoEndpoint = `https://cognito-idp.${region}.amazonaws.com/`;
    const headers = consoleSecurityHeaders(`https://cognito-idp.${region}.amazonaws.com`);
    const securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'The staff console: CSP (sign-in at Cognito only), no framing, no referrer',
      securityHeadersBehavior: {
        ...securityHeaderValues,
        contentSecurityPolicy: { contentSecurityPolicy: headers['content-security-policy'], override: true },
      },
    });
    // The app's routes are paths without a file extension: each is index.html, which reads the path.
    const spaRouting = new EdgeFunction(this, 'SpaRouting', {
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Staff console: its own paths are index.html',
      code: FunctionCode.fromInline(`function handler(event) {
  var request = event.request;
  if (request.uri === '/console') {
    return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: '/console/' } } };
  }
  if (!/\\.[a-z0-9]+$/i.test(request.uri)) request.uri = '/console/index.html';
  return request;
}`),
    });
    const behavior = {
      origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: securityHeaders,
      functionAssociations: [{ function: spaRouting, eventType: FunctionEventType.VIEWER_REQUEST }],
    };
    props.distribution.addBehavior('/console/*', behavior.origin, behavior);
    props.distribution.addBehavior('/console', behavior.origin, behavior);

    const deployment = new BucketDeployment(this, 'Deployment', {
      destinationBucket: this.bucket,
      destinationKeyPrefix: 'console/',
      sources: [
        Source.asset(consoleDist),
        Source.jsonData('config.json', { cognitoEndpoint, clientId: props.userPoolClientId }),
      ],
      // index.html and config.json change with a deploy; the hashed assets never do.
      distribution: props.distribution,
      distributionPaths: ['/console/index.html', '/console/config.json'],
      prune: true,
      memoryLimit: 512,
    });
    // cdk-nag on the deployment's own function (one per stack, made by aws-cdk-lib beside this construct).
    const deploymentFunction = Stack.of(this).node.children.find((child) =>
      child.node.id.startsWith('Custom::CDKBucketDeployment'),
    );
    if (!deploymentFunction) throw new Error('the BucketDeployment function was not found');
    const stack = Stack.of(this);
    const nag = nagEnvironment(stack);
    const bucketArn = `<${stack.getLogicalId(this.bucket.node.defaultChild as CfnElement)}.Arn>`;
    const findings: [string, string][] = [
      [
        'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'aws-cdk-lib’s deployment function writes its logs through the policy AWS manages for that.',
      ],
      ['IAM5[Resource::*]', 'CloudFront invalidations (after a deploy) have no resource-level permissions.'],
      ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map(
        (action): [string, string] => [
          `IAM5[Action::${action}]`,
          'aws-cdk-lib’s grant to copy the build from the asset bucket and prune the old one.',
        ],
      ),
      [
        `IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-${nag.account}-${nag.region}/*]`,
        'The build is read from the CDK asset bucket, whose object keys are content hashes.',
      ],
      [`IAM5[Resource::${bucketArn}/*]`, 'The deployment replaces every object of the console’s own bucket.'],
      ['L1', 'aws-cdk-lib chooses and updates the runtime of its deployment function.'],
    ];
    for (const [finding, reason] of findings) acknowledge(deploymentFunction, finding, reason);
    deployment.node.addDependency(props.distribution);
  }
}
