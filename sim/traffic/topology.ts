/** A target as the traffic model sees it. */
export interface TargetNode {
  readonly id: string;
  readonly port?: number;
  /** Availability Zone of the instance (or the target's own). */
  readonly zone: string;
  /** The backend's own health state (`healthy`, `unused`, `draining`, ...), before the crash model. */
  readonly backendState: string;
}

/** A target group with its registered targets. */
export interface TargetGroupNode {
  readonly arn: string;
  readonly name: string;
  /** CloudWatch dimension value: `targetgroup/web-blue/6c02edfb122449f7`. */
  readonly dimension: string;
  /** Target-group cross-zone override; undefined follows the load balancer. */
  readonly crossZone?: boolean;
  readonly targets: readonly TargetNode[];
}

/**
 * One rule condition as ELBv2 describes it: `field` (`host-header`, `path-pattern`, `http-header`,
 * `http-request-method`, `query-string`, `source-ip`) and its values; `header` names the header of an
 * `http-header` condition; `pairs` are a `query-string` condition's key/value pairs. `regex` is set when the
 * condition only has regular expressions (RegexValues), which the stand-in does not evaluate.
 */
export interface ConditionNode {
  readonly field: string;
  readonly values: readonly string[];
  readonly header?: string;
  readonly pairs?: readonly { readonly key?: string; readonly value: string }[];
  readonly regex?: boolean;
}

/** A redirect action's target URL parts (each may hold `#{protocol}`, `#{host}`, `#{port}`, `#{path}`, `#{query}`). */
export interface RedirectNode {
  readonly protocol?: string;
  readonly port?: string;
  readonly host?: string;
  readonly path?: string;
  readonly query?: string;
  readonly statusCode: string;
}

/** What a rule does with the requests it matches: its routing action (the last one; earlier ones authenticate). */
export type ActionNode =
  | { readonly kind: 'forward'; readonly forwards: readonly { readonly targetGroupArn: string; readonly weight: number }[] }
  | { readonly kind: 'redirect'; readonly redirect: RedirectNode }
  | { readonly kind: 'fixed-response'; readonly statusCode: string }
  /** No routing action the stand-in knows: answered by the load balancer itself, reaching no target. */
  | { readonly kind: 'none' };

/** One rule of a listener (the default rule has no priority and no conditions). */
export interface PathNode {
  readonly ruleArn?: string;
  readonly isDefault: boolean;
  /** Lower is evaluated first; undefined for the default rule. */
  readonly priority?: number;
  /** All must match (none for the default rule). */
  readonly conditions?: readonly ConditionNode[];
  /** Undefined: a forward when `forwards` is set, otherwise answered by the load balancer itself. */
  readonly action?: ActionNode;
  /** The forward weights when the rule forwards; undefined otherwise. */
  readonly forwards?: readonly { readonly targetGroupArn: string; readonly weight: number }[];
}

/** A listener and its paths. */
export interface ListenerNode {
  readonly arn: string;
  readonly port?: number;
  readonly protocol?: string;
  readonly paths: readonly PathNode[];
}

/** A load balancer as the traffic model sees it. */
export interface LoadBalancerNode {
  readonly arn: string;
  readonly name: string;
  readonly type: 'application' | 'network' | 'gateway';
  /** CloudWatch dimension value: `app/web/50dc6c495c0c9188`. */
  readonly dimension: string;
  readonly zones: readonly string[];
  readonly crossZone: boolean;
  readonly listeners: readonly ListenerNode[];
}

/** The ELBv2 configuration the traffic model splits requests by. */
export interface Topology {
  readonly loadBalancers: readonly LoadBalancerNode[];
  readonly targetGroups: ReadonlyMap<string, TargetGroupNode>;
}

/** The CloudWatch dimension value of an ELBv2 ARN: what follows `loadbalancer/` or the resource part. */
export function dimensionOf(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  return resource.startsWith('loadbalancer/') ? resource.slice('loadbalancer/'.length) : resource;
}
