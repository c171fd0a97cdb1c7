import type { GroupSpread } from './group-spread';

/** The share of one class's requests that one target receives. */
export interface TargetShare {
  readonly targetGroupArn: string;
  readonly targetGroupName: string;
  readonly targetId: string;
  readonly port?: number;
  readonly availabilityZone?: string;
  readonly healthy: boolean;
  /** Fraction of the class's requests, 0..1. */
  readonly share: number;
}

/** One weighted group of a forward: its spread and the share of the requests it gets. */
export interface Segment {
  readonly spread: GroupSpread;
  readonly groupShare: number;
}

/**
 * How a forward action spreads requests over targets: per weighted group (segments, shared by every
 * class that uses the same weights), with the figures rules need.
 */
export interface ForwardTraffic {
  readonly segments: readonly Segment[];
  /** True when one target id appears in two segments (an instance registered in two groups). */
  readonly repeats: boolean;
  /** Healthy targets that receive requests (by membership). */
  readonly healthyTargets: number;
  /**
   * Serving capacity counted by share: (Σs)² / Σs² over the healthy targets' shares s. Four targets at
   * 25% are 4; a group at weight 1 of 1000 adds almost nothing; one healthy target is 1, none is 0.
   */
  readonly healthyCapacity: number;
  /** Fraction of requests that reach no target (empty groups, zones with no target, weight 0 overall). */
  readonly unroutedShare: number;
  /** True when no request reaches a target. */
  readonly unroutable: boolean;
  /** Groups routing to unhealthy targets because too few are healthy. */
  readonly failOpenTargetGroupArns: readonly string[];
  /** Every target with a non-zero share, largest first (built on first read). */
  readonly targets: readonly TargetShare[];
}
