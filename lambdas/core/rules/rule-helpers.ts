import type { Action, LoadBalancerSnapshot } from '../model/snapshot';
import type { SnapshotTraffic } from '../traffic/traffic-index';
import type { PathTraffic } from '../traffic/types';

/** Shares closer than this are equal: float sums of weights must not flip a verdict. */
export const EPSILON = 1e-9;

/** A fraction as people read it: `100%`, `25%`, `33.3%`. */
export function percent(fraction: number): string {
  const value = Math.round(fraction * 1000) / 10;
  return `${Number.isInteger(value) ? value.toFixed(0) : value.toFixed(1)}%`;
}

/** The paths that forward (redirects and fixed responses carry no target traffic). */
export function forwardingPaths(traffic: SnapshotTraffic): PathTraffic[] {
  return traffic.paths.filter((p) => !p.nonForwarding);
}

/** The same path in another snapshot, when it exists there. */
export function samePath(traffic: SnapshotTraffic | undefined, path: PathTraffic): PathTraffic | undefined {
  return traffic?.find(path.path);
}

/** The actions behind a path (the listener's defaults or the rule's). */
export function actionsOf(snapshot: LoadBalancerSnapshot, path: PathTraffic): readonly Action[] {
  const listener = snapshot.listeners.find((l) => l.arn === path.path.listenerArn);
  if (listener === undefined) return [];
  if (path.path.ruleArn === undefined) return listener.defaultActions;
  return listener.rules.find((r) => r.arn === path.path.ruleArn)?.actions ?? [];
}

/** A target group's name in a snapshot, or the ARN when the group is not in it. */
export function groupName(snapshot: LoadBalancerSnapshot, arn: string): string {
  return snapshot.targetGroups.find((g) => g.arn === arn)?.name ?? arn;
}

/** The suffix rules add when there is no baseline to compare with. */
export const NO_BASELINE = ' (no baseline yet: cannot tell whether this is new, so not blocking)';
