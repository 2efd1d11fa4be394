import { runSimulation } from '@cloud-copilot/iam-simulate';

/**
 * The synthesized template's policies, evaluated as IAM evaluates them (#32): a resource policy,
 * a key policy, a role's trust and identity policies, read from the template with its intrinsic
 * functions resolved for one concrete account and region, and handed to an IAM policy simulator
 * (@cloud-copilot/iam-simulate). A string search can say a statement is there; only evaluation
 * says whether a request is allowed (an explicit topic policy replaces SNS's default one, a deny
 * wins over any allow, a condition key misspelt matches nothing).
 */

type Resource = { Type: string; Properties?: Record<string, any> };
export type CfnTemplate = { Resources: Record<string, Resource> };

export interface Environment {
  account: string;
  region: string;
  stackName: string;
}

/** ARNs and names as CloudFormation would give them, each resource named by its logical id. */
function attribute(template: CfnTemplate, env: Environment, id: string, name: string): string {
  const resource = template.Resources[id];
  if (!resource) throw new Error(`No resource ${id} in the template`);
  const { account, region } = env;
  const lower = id.toLowerCase();
  const arns: Record<string, () => string> = {
    'AWS::SQS::Queue': () => `arn:aws:sqs:${region}:${account}:${id}`,
    'AWS::SNS::Topic': () => `arn:aws:sns:${region}:${account}:${id}`,
    'AWS::KMS::Key': () => `arn:aws:kms:${region}:${account}:key/${lower}`,
    'AWS::IAM::Role': () => `arn:aws:iam::${account}:role/${id}`,
    'AWS::S3::Bucket': () => `arn:aws:s3:::${lower}`,
    'AWS::Lambda::Function': () => `arn:aws:lambda:${region}:${account}:function:${id}`,
    'AWS::DynamoDB::Table': () => `arn:aws:dynamodb:${region}:${account}:table/${id}`,
    'AWS::StepFunctions::StateMachine': () =>
      `arn:aws:states:${region}:${account}:stateMachine:${resource.Properties?.StateMachineName ?? id}`,
    'AWS::SecretsManager::Secret': () => `arn:aws:secretsmanager:${region}:${account}:secret:${id}-AbCdEf`,
    'AWS::Scheduler::ScheduleGroup': () =>
      `arn:aws:scheduler:${region}:${account}:schedule-group/${resource.Properties?.Name ?? id}`,
    'AWS::CloudFront::Distribution': () => `arn:aws:cloudfront::${account}:distribution/${id}`,
  };
  if (name === 'Arn') {
    const arn = arns[resource.Type];
    if (!arn) throw new Error(`No ARN format for ${resource.Type} (${id})`);
    return arn();
  }
  if (name === 'Ref') {
    // What Ref answers: an ARN for some types, a URL for a queue, else the physical name.
    if (
      ['AWS::SNS::Topic', 'AWS::StepFunctions::StateMachine', 'AWS::SecretsManager::Secret'].includes(
        resource.Type,
      )
    )
      return arns[resource.Type]!();
    if (resource.Type === 'AWS::SQS::Queue') return `https://sqs.${region}.amazonaws.com/${account}/${id}`;
    if (resource.Type === 'AWS::S3::Bucket') return lower;
    if (resource.Type === 'AWS::KMS::Key') return lower;
    if (resource.Type === 'AWS::Scheduler::ScheduleGroup') return resource.Properties?.Name ?? id;
    if (resource.Type === 'AWS::SES::EmailIdentity') return resource.Properties?.EmailIdentity;
    return id;
  }
  return `${id}.${name}`;
}

const pseudo = (env: Environment): Record<string, string> => ({
  'AWS::Partition': 'aws',
  'AWS::AccountId': env.account,
  'AWS::Region': env.region,
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': env.stackName,
});

/** A value of the template with Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select and Fn::Split worked out. */
export function resolve(template: CfnTemplate, env: Environment, value: unknown): any {
  if (Array.isArray(value)) return value.map((v) => resolve(template, env, v));
  if (!value || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  const [key] = Object.keys(object);
  if (Object.keys(object).length === 1 && key) {
    const argument = object[key];
    if (key === 'Ref') {
      const name = argument as string;
      return pseudo(env)[name] ?? attribute(template, env, name, 'Ref');
    }
    if (key === 'Fn::GetAtt') {
      const [id, name] = (Array.isArray(argument) ? argument : String(argument).split('.')) as [
        string,
        string,
      ];
      return attribute(template, env, id, name);
    }
    if (key === 'Fn::Join') {
      const [separator, parts] = argument as [string, unknown[]];
      return (resolve(template, env, parts) as string[]).join(separator);
    }
    if (key === 'Fn::Select') {
      const [index, list] = argument as [number, unknown];
      return (resolve(template, env, list) as unknown[])[Number(index)];
    }
    if (key === 'Fn::Split') {
      const [separator, text] = argument as [string, unknown];
      return String(resolve(template, env, text)).split(separator);
    }
    if (key === 'Fn::Sub') {
      const [text, values] = (Array.isArray(argument) ? argument : [argument, {}]) as [string, object];
      const given = resolve(template, env, values) as Record<string, string>;
      return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
        if (given[name] !== undefined) return given[name];
        if (pseudo(env)[name] !== undefined) return pseudo(env)[name]!;
        const [id, attr] = name.split('.') as [string, string | undefined];
        return attribute(template, env, id, attr ?? 'Ref');
      });
    }
  }
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, resolve(template, env, v)]));
}

const refersTo = (value: unknown, id: string) => JSON.stringify(value).includes(`"Ref":"${id}"`);

/** The policy a resource carries: a topic's, a queue's or a bucket's policy resource, or a key's own. */
export function resourcePolicyOf(template: CfnTemplate, env: Environment, id: string): object | undefined {
  const resource = template.Resources[id];
  if (resource?.Type === 'AWS::KMS::Key') return resolve(template, env, resource.Properties?.KeyPolicy);
  const holders: Record<string, [string, string]> = {
    'AWS::SNS::Topic': ['AWS::SNS::TopicPolicy', 'Topics'],
    'AWS::SQS::Queue': ['AWS::SQS::QueuePolicy', 'Queues'],
    'AWS::S3::Bucket': ['AWS::S3::BucketPolicy', 'Bucket'],
  };
  const holder = resource && holders[resource.Type];
  if (!holder) throw new Error(`No resource policy kind for ${resource?.Type} (${id})`);
  const found = Object.values(template.Resources).find(
    (r) => r.Type === holder[0] && refersTo(r.Properties?.[holder[1]], id),
  );
  return found && resolve(template, env, found.Properties?.PolicyDocument);
}

/** A role's trust policy and every policy attached to it in the template (inline and AWS::IAM::Policy). */
export function roleOf(template: CfnTemplate, env: Environment, id: string) {
  const role = template.Resources[id];
  if (role?.Type !== 'AWS::IAM::Role') throw new Error(`${id} is not a role`);
  const attached = Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::IAM::Policy' && refersTo(r.Properties?.Roles, id))
    .map(([name, r]) => ({ name, policy: resolve(template, env, r.Properties?.PolicyDocument) }));
  const inline = ((role.Properties?.Policies ?? []) as { PolicyName: string; PolicyDocument: object }[]).map(
    (p) => ({ name: p.PolicyName, policy: resolve(template, env, p.PolicyDocument) }),
  );
  return {
    arn: attribute(template, env, id, 'Arn'),
    trust: resolve(template, env, role.Properties?.AssumeRolePolicyDocument),
    identityPolicies: [...attached, ...inline],
  };
}

/** The logical id of the one resource of a type whose id starts with a construct path's ids. */
export function logicalIdOf(template: CfnTemplate, type: string, prefix: string): string {
  const found = Object.entries(template.Resources).filter(
    ([id, r]) => r.Type === type && id.startsWith(prefix),
  );
  if (found.length !== 1)
    throw new Error(`${found.length} resources of ${type} start with ${prefix}: ${found.map(([id]) => id)}`);
  return found[0]![0];
}

export interface Request {
  /** An IAM principal's ARN, or a service principal (`cloudwatch.amazonaws.com`). */
  principal: string;
  action: string;
  resource: string;
  resourcePolicy?: object;
  identityPolicies?: { name: string; policy: object }[];
  context?: Record<string, string | string[]>;
}

/** 'Allowed', 'ExplicitlyDenied' or 'ImplicitlyDenied', as IAM would decide the request. */
export async function decide(env: Environment, request: Request): Promise<string> {
  const result = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: env.account },
        contextVariables: { 'aws:SecureTransport': 'true', ...request.context },
      },
      identityPolicies: request.identityPolicies ?? [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: request.resourcePolicy,
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
  return result.overallResult;
}
