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
  'elasticloadbalancing:DescribeListenerCertificates',
  'elasticloadbalancing:DescribeRules',
  'elasticloadbalancing:DescribeTargetGroups',
  'elasticloadbalancing:DescribeTargetGroupAttributes',
  'elasticloadbalancing:DescribeTargetHealth',
  'elasticloadbalancing:DescribeTags',
] as const;

/** A revert operation of the core's plan. */
type RevertOperation = (typeof REVERT_OPERATIONS)[number];

/** Where IAM authorises a revert call, and whether it creates a resource. */
interface Grant {
  readonly resource: keyof ScopedResourceArns;
  /** Creates are authorised on the parent (listener, load balancer) and scoped by the request's tags. */
  readonly create?: boolean;
}

/**
 * The resource type each revert call is authorised on (Service Authorization Reference for ELBv2:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html;
 * CreateRule on the listener, CreateListener on the load balancer). A `Record` over the core's list: a new
 * operation in `REVERT_OPERATIONS` fails to compile here until it is given its resource.
 */
const GRANT_OF: Record<RevertOperation, Grant> = {
  ModifyListener: { resource: 'listeners' },
  AddListenerCertificates: { resource: 'listeners' },
  CreateListener: { resource: 'loadBalancers', create: true },
  ModifyRule: { resource: 'listenerRules' },
  SetRulePriorities: { resource: 'listenerRules' },
  DeleteRule: { resource: 'listenerRules' },
  CreateRule: { resource: 'listeners', create: true },
  RegisterTargets: { resource: 'targetGroups' },
  ModifyTargetGroupAttributes: { resource: 'targetGroups' },
  ModifyLoadBalancerAttributes: { resource: 'loadBalancers' },
  SetSubnets: { resource: 'loadBalancers' },
};

/** Statement ids, stable so tests and reviewers can find each statement. */
const SID_OF: Record<keyof ScopedResourceArns, string> = {
  listeners: 'RevertListeners',
  listenerRules: 'RevertListenerRules',
  targetGroups: 'RevertTargetGroups',
  loadBalancers: 'RevertLoadBalancers',
};
const CREATE_SID_OF: Partial<Record<keyof ScopedResourceArns, string>> = {
  listeners: 'RecreateRules',
  loadBalancers: 'RecreateListeners',
};

/** The scope's request-tag condition plus "only while creating a listener or rule". */
function tagOnCreateCondition(requestCondition: Record<string, Record<string, string>> | undefined): Record<string, Record<string, string | string[]>> {
  const createAction = { 'elasticloadbalancing:CreateAction': ['CreateRule', 'CreateListener'] };
  return { ...requestCondition, StringEquals: { ...(requestCondition?.StringEquals ?? {}), ...createAction } };
}

/** The ELBv2 ARN prefix of an account and Region: `arn:PARTITION:elasticloadbalancing:REGION:ACCOUNT:`. */
export function elbArnPrefix(partition: string, region: string, account: string): string {
  return `arn:${partition}:elasticloadbalancing:${region}:${account}:`;
}

/**
 * The statements that let a principal apply revert plans within `scope`: each operation of the core's
 * `REVERT_OPERATIONS` on its own resource type only, conditioned on the scope's tag when there is one
 * (the resource's tag for changes, the request's tag for creates, plus AddTags only while creating).
 * Shared by the central watchdog's role and the member accounts' revert roles, so the two stay identical.
 * `arnPrefixes`: one ELBv2 ARN prefix per account and Region the statements cover.
 */
export function revertStatements(scope: WatchdogScope, arnPrefixes: readonly string[]): iam.PolicyStatement[] {
  const perPrefix = arnPrefixes.map((prefix) => scope.resourceArns(prefix));
  const resourcesOf = (type: keyof ScopedResourceArns): string[] => [...new Set(perPrefix.flatMap((arns) => arns[type]))];
  const condition = scope.condition();
  const requestCondition = scope.requestCondition();
  const bySid = new Map<string, { actions: string[]; resource: keyof ScopedResourceArns; create: boolean }>();
  for (const operation of REVERT_OPERATIONS) {
    const grant = GRANT_OF[operation];
    const sid = grant.create === true ? (CREATE_SID_OF[grant.resource] as string) : SID_OF[grant.resource];
    const entry = bySid.get(sid) ?? { actions: [], resource: grant.resource, create: grant.create === true };
    entry.actions.push(`elasticloadbalancing:${operation}`);
    bySid.set(sid, entry);
  }
  const statements = [...bySid.entries()].map(([sid, { actions, resource, create }]) => {
    const conditions = create ? requestCondition : condition;
    return new iam.PolicyStatement({ sid, actions, resources: resourcesOf(resource), ...(conditions === undefined ? {} : { conditions }) });
  });
  // Tags on create need AddTags, allowed only as part of the watchdog's own creates.
  statements.push(
    new iam.PolicyStatement({
      sid: 'TagRecreated',
      actions: ['elasticloadbalancing:AddTags'],
      resources: [...resourcesOf('listeners'), ...resourcesOf('listenerRules')],
      conditions: tagOnCreateCondition(requestCondition),
    }),
  );
  return statements;
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
