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

/** One way traffic leaves a listener: forward weights, or nothing (redirect, fixed response). */
export interface PathNode {
  readonly ruleArn?: string;
  readonly isDefault: boolean;
  /** Undefined when the path does not forward. */
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
