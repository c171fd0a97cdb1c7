/** A path through a load balancer: one listener's default rule, or one of its rules. */
export interface TrafficPath {
  readonly listenerArn: string;
  /** `HTTP:80`. */
  readonly listenerLabel: string;
  /** Absent for the listener's default rule. */
  readonly ruleArn?: string;
  /** `default`, or `priority 10`. */
  readonly ruleLabel: string;
  /** Human label used in findings: `HTTP:80 default`, `HTTPS:443 priority 10 (path /api/*)`. */
  readonly label: string;
}

/** The share of one path's traffic that one target receives. */
export interface TargetShare {
  readonly targetGroupArn: string;
  readonly targetGroupName: string;
  readonly targetId: string;
  readonly port?: number;
  readonly availabilityZone?: string;
  readonly healthy: boolean;
  /** Fraction of the path's requests, 0..1. */
  readonly share: number;
}

/** How one path's traffic spreads over targets. */
export interface PathTraffic {
  readonly path: TrafficPath;
  /** Every target that receives a non-zero share, largest first. */
  readonly targets: readonly TargetShare[];
  /** Healthy targets that receive traffic on this path. */
  readonly healthyTargets: number;
  /** Target groups on this path that have no healthy target and therefore fail open. */
  readonly failOpenTargetGroupArns: readonly string[];
  /** Fraction of the path's requests that reach no target (weighted groups without any registered target). */
  readonly unroutedShare?: number;
  /** True when the path forwards nowhere: zero total weight, or only empty groups. */
  readonly unroutable: boolean;
  /** True when the path does not forward at all (redirect, fixed response): not a traffic path. */
  readonly nonForwarding: boolean;
}
