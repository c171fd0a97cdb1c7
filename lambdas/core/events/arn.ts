/**
 * ELBv2 ARN shapes. Listener and rule ARNs embed their load balancer's ARN, which lets us find the load
 * balancer a change touched without an API call:
 *
 *   arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188
 *   arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2
 *   arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee
 *   arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-blue/73e2d6bc24d8a067
 *   arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/my-classic-lb      (Classic ELB)
 */

const ELB_ARN = /^arn:(aws[a-z-]*):elasticloadbalancing:([a-z0-9-]*):(\d*):([a-z-]+)\/(.+)$/;
const V2_TYPES = new Set(['app', 'net', 'gwy']);

/** The parts of an Elastic Load Balancing ARN, or undefined when the string is not one. */
export function parseElbArn(
  arn: string,
): { partition: string; region: string; accountId: string; resourceType: string; path: string[] } | undefined {
  const match = ELB_ARN.exec(arn);
  if (!match) return undefined;
  return { partition: match[1], region: match[2], accountId: match[3], resourceType: match[4], path: match[5].split('/') };
}

/**
 * The load balancer ARN of a load balancer, listener or listener-rule ARN; undefined for target groups
 * (a group may serve several load balancers) and for anything else.
 */
export function loadBalancerArnOf(arn: string): string | undefined {
  const parts = parseElbArn(arn);
  if (!parts || !V2_TYPES.has(parts.path[0])) return undefined;
  const need = { loadbalancer: 3, listener: 4, 'listener-rule': 5 }[parts.resourceType];
  if (need === undefined || parts.path.length !== need) return undefined;
  const [type, name, id] = parts.path;
  return `arn:${parts.partition}:elasticloadbalancing:${parts.region}:${parts.accountId}:loadbalancer/${type}/${name}/${id}`;
}

/** The listener ARN a listener-rule ARN belongs to; undefined for anything else. */
export function listenerArnOfRule(ruleArn: string): string | undefined {
  const parts = parseElbArn(ruleArn);
  if (!parts || parts.resourceType !== 'listener-rule' || parts.path.length !== 5) return undefined;
  const [type, name, lbId, listenerId] = parts.path;
  return `arn:${parts.partition}:elasticloadbalancing:${parts.region}:${parts.accountId}:listener/${type}/${name}/${lbId}/${listenerId}`;
}

/** True for a Classic Load Balancer ARN (`loadbalancer/NAME`, no `app/`, `net/` or `gwy/`). */
export function isClassicLoadBalancerArn(arn: string): boolean {
  const parts = parseElbArn(arn);
  return parts !== undefined && parts.resourceType === 'loadbalancer' && parts.path.length === 1;
}

/** The target group name inside a target group ARN (`targetgroup/NAME/ID`), or undefined. */
export function targetGroupNameOf(arn: string): string | undefined {
  const parts = parseElbArn(arn);
  return parts?.resourceType === 'targetgroup' ? parts.path[0] : undefined;
}
