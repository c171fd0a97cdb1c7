import type { LoadBalancerSnapshot } from '../model/snapshot';
import type { StaticSubject } from './policy-subject';

/**
 * What a template says about its load balancers, in the core's own model: one partial
 * `LoadBalancerSnapshot` per load balancer (every fixed target assumed healthy), so the core's traffic
 * model and rules judge it as they judge a live one, plus where each path and group lives in the
 * template and what the template leaves unknown until deploy.
 */

/** The resource types the static check reads. */
export const CFN_TYPES = {
  loadBalancer: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
  listener: 'AWS::ElasticLoadBalancingV2::Listener',
  rule: 'AWS::ElasticLoadBalancingV2::ListenerRule',
  targetGroup: 'AWS::ElasticLoadBalancingV2::TargetGroup',
} as const;

/** True for the resource types whose properties the check reads (others only need to exist, for `Ref`). */
export function isElbv2Type(type: string): boolean {
  return type.startsWith('AWS::ElasticLoadBalancingV2::');
}

/** What the deployment target is, when known (cdk.out's manifest, a CDK stack's env). */
export interface TemplateEnvironment {
  /** @default 'aws' */
  readonly partition?: string;
  readonly account?: string;
  readonly region?: string;
}

/** A target group as the static check knows it. */
export interface StaticTargetGroup {
  /** Its ARN in the snapshot. */
  readonly arn: string;
  /** Absent for a group outside the template (a parameter, an import). */
  readonly logicalId?: string;
  /** For people: its `Name`, its CDK construct path, or its logical id. */
  readonly name: string;
  /** How many targets the template fixes; absent when the template does not fix them. */
  readonly fixedTargets?: number;
  /** Why the targets are unknown (an Auto Scaling group registers them, Lambda targets, ...). */
  readonly unknownTargets?: string;
}

/** Where one listener or rule of a snapshot lives in the template. */
export interface StaticPlace {
  readonly logicalId: string;
  readonly resourceType: string;
  /** `listener HTTP:80 of LB web`, `rule priority 10 (path /api/*) on listener HTTP:80 of LB web`. */
  readonly label: string;
}

/** One load balancer of a template (or the listeners of one outside it). */
export interface StaticLoadBalancer {
  /** Absent when the load balancer is not in the template (its listeners are). */
  readonly logicalId?: string;
  readonly name: string;
  readonly snapshot: LoadBalancerSnapshot;
  readonly subject: StaticSubject;
  /** By ARN in the snapshot. */
  readonly groups: ReadonlyMap<string, StaticTargetGroup>;
  /** Listeners and rules by `placeKey`. */
  readonly places: ReadonlyMap<string, StaticPlace>;
}

/** Something the check could not judge before deploy, and why. */
export interface StaticNote {
  readonly logicalId: string;
  readonly message: string;
}

/** How many resources of each kind a template has. */
export interface StaticCounts {
  readonly loadBalancers: number;
  readonly listeners: number;
  readonly rules: number;
  readonly targetGroups: number;
}

/** Everything the static rules need from one template. */
export interface TemplateModel {
  readonly loadBalancers: readonly StaticLoadBalancer[];
  readonly notes: readonly StaticNote[];
  readonly counts: StaticCounts;
}

/** The key of a listener (its default rule) or of one of its rules in `places`. */
export function placeKey(listenerArn: string, ruleArn?: string): string {
  return `${listenerArn}#${ruleArn ?? 'default'}`;
}

const PLACEHOLDER = '?targets-of:';

/**
 * A group whose targets the template does not fix gets one stand-in target, so the traffic model
 * routes its share (no false "forwards to nothing") while rules skip it (no false "one target").
 */
export function placeholderTargetId(groupArn: string): string {
  return `${PLACEHOLDER}${groupArn}`;
}

/** True for the stand-in target of a group whose targets are unknown. */
export function isPlaceholderTarget(targetId: string): boolean {
  return targetId.startsWith(PLACEHOLDER);
}
