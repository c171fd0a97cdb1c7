import type { LoadBalancerSnapshot } from '../model/snapshot';
import { computeTraffic } from './compute-traffic';
import { pathKey } from './path-label';
import type { PathTraffic, TrafficPath } from './types';

/** A snapshot with its traffic computed once and its paths indexed, so rules compare snapshots cheaply. */
export interface SnapshotTraffic {
  readonly snapshot: LoadBalancerSnapshot;
  readonly paths: readonly PathTraffic[];
  /** Paths by `pathKey`. */
  readonly byKey: ReadonlyMap<string, PathTraffic>;
  /** The path with the same listener and rule (the same place in another snapshot), if any. */
  find(path: Pick<TrafficPath, 'listenerArn' | 'ruleArn'>): PathTraffic | undefined;
}

/** Computes a snapshot's traffic and indexes its paths. */
export function indexTraffic(snapshot: LoadBalancerSnapshot): SnapshotTraffic {
  const paths = computeTraffic(snapshot);
  // Nested maps: lookups need no string building (rules look paths up thousands of times).
  const byListener = new Map<string, Map<string | undefined, PathTraffic>>();
  for (const p of paths) {
    const rules = byListener.get(p.path.listenerArn) ?? new Map<string | undefined, PathTraffic>();
    rules.set(p.path.ruleArn, p);
    byListener.set(p.path.listenerArn, rules);
  }
  return {
    snapshot,
    paths,
    byKey: new Map(paths.map((p) => [pathKey(p.path), p])),
    find: (path) => byListener.get(path.listenerArn)?.get(path.ruleArn),
  };
}
