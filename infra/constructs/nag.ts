import { Stack, Token, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag findings we accept, each with its reason, acknowledged one way.
 *
 * A finding's id names its resources as the template has them: the account and region are
 * `<AWS::AccountId>` and `<AWS::Region>` when the stack is environment-agnostic, but the digits
 * and the region name when `cdk deploy` takes them from the operator's credentials. Ids are built
 * with `nagEnvironment`, so one acknowledgement matches both (#32).
 */
export function acknowledge(scope: IConstruct, finding: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions::AwsSolutions-${finding}`, reason });
}

/** The account and region as cdk-nag writes them in a finding's id for this stack. */
export function nagEnvironment(scope: IConstruct): { account: string; region: string } {
  const stack = Stack.of(scope);
  return {
    account: Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account,
    region: Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region,
  };
}
