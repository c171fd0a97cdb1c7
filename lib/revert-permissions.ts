import * as iam from 'aws-cdk-lib/aws-iam';
import { REVERT_OPERATIONS } from '../lambdas/core/revert/revert-plan';
import { acknowledgeWildcards, addWildcardStatement } from './nag-acknowledgements';
import type { ScopedResourceArns, WatchdogScope } from './watchdog-scope';

/** The read-only ELBv2 calls the handlers make; AWS authorises Describe* only on `*`. */
export const ELB_DESCRIBE_ACTIONS = [
  'elasticloadbalancing:DescribeLoadBalancers',
  'elasticloadbalancing:DescribeLoadBalancerAttributes',
  'elasticloadbalancing:DescribeListeners',
  'elasticloadbalancing:DescribeListenerAttributes',
  'elasticloadbalancing:DescribeRules',
  'elasticloadbalancing:DescribeTargetGroups',
  'elasticloadbalancing:DescribeTargetGroupAttributes',
  'elasticloadbalancing:DescribeTargetHealth',
  'elasticloadbalancing:DescribeTags',
] as const;

/** A revert operation of the core's plan. */
type RevertOperation = (typeof REVERT_OPERATIONS)[number];

/**
 * The resource type each revert call is authorised on. A `Record` over the core's list: a new operation in
 * `REVERT_OPERATIONS` fails to compile here until it is given its resource.
 */
const RESOURCE_OF: Record<RevertOperation, keyof ScopedResourceArns> = {
  ModifyListener: 'listeners',
  ModifyRule: 'listenerRules',
  SetRulePriorities: 'listenerRules',
  RegisterTargets: 'targetGroups',
  ModifyTargetGroupAttributes: 'targetGroups',
  ModifyLoadBalancerAttributes: 'loadBalancers',
};

/** Statement ids, stable so tests and reviewers can find each statement. */
const SID_OF: Record<keyof ScopedResourceArns, string> = {
  listeners: 'RevertListeners',
  listenerRules: 'RevertListenerRules',
  targetGroups: 'RevertTargetGroups',
  loadBalancers: 'RevertLoadBalancers',
};

/** The ELBv2 ARN prefix of an account and Region: `arn:PARTITION:elasticloadbalancing:REGION:ACCOUNT:`. */
export function elbArnPrefix(partition: string, region: string, account: string): string {
  return `arn:${partition}:elasticloadbalancing:${region}:${account}:`;
}

/**
 * The statements that let a principal apply revert plans within `scope`: each operation of the core's
 * `REVERT_OPERATIONS` on its own resource type only, conditioned on the scope's tag when there is one.
 * Shared by the central watchdog's role and the member accounts' revert roles, so the two stay identical.
 * `arnPrefixes`: one ELBv2 ARN prefix per account and Region the statements cover.
 */
export function revertStatements(scope: WatchdogScope, arnPrefixes: readonly string[]): iam.PolicyStatement[] {
  const perPrefix = arnPrefixes.map((prefix) => scope.resourceArns(prefix));
  const resourcesOf = (type: keyof ScopedResourceArns): string[] => [...new Set(perPrefix.flatMap((arns) => arns[type]))];
  const condition = scope.condition();
  const byResource = new Map<keyof ScopedResourceArns, string[]>();
  for (const operation of REVERT_OPERATIONS) {
    const resource = RESOURCE_OF[operation];
    byResource.set(resource, [...(byResource.get(resource) ?? []), `elasticloadbalancing:${operation}`]);
  }
  return [...byResource.entries()].map(
    ([resource, actions]) =>
      new iam.PolicyStatement({
        sid: SID_OF[resource],
        actions,
        resources: resourcesOf(resource),
        ...(condition === undefined ? {} : { conditions: condition }),
      }),
  );
}

/** Why the revert statements name ARN patterns rather than single resources. */
export const REVERT_WILDCARD_REASON =
  'Revert calls are limited to their own ELBv2 resource type in this account and Region (listener, listener-rule, ' +
  'targetgroup, loadbalancer ARN patterns), to the listed load balancers when scope is an ARN list, and to the scope tag ' +
  '(aws:ResourceTag condition) when scope is by tag; the resources to restore are only known at change time.';

/** Why the Describe calls are granted on `*`. */
export const DESCRIBE_WILDCARD_REASON = 'ELBv2 Describe* calls support no resource-level permissions: AWS requires Resource "*". Read-only.';

/** Grants the handlers' read-only ELBv2 calls to `role` (on `*`, acknowledged for cdk-nag). */
export function grantDescribe(role: iam.IRole): void {
  addWildcardStatement(
    role,
    new iam.PolicyStatement({ sid: 'DescribeLoadBalancing', actions: [...ELB_DESCRIBE_ACTIONS], resources: ['*'] }),
    DESCRIBE_WILDCARD_REASON,
  );
}

/** Grants the revert statements to `role` and acknowledges their ARN patterns for cdk-nag. */
export function grantRevert(role: iam.IRole, scope: WatchdogScope, arnPrefixes: readonly string[]): void {
  for (const statement of revertStatements(scope, arnPrefixes)) {
    role.addToPrincipalPolicy(statement);
    acknowledgeWildcards(role, statement, REVERT_WILDCARD_REASON);
  }
}
