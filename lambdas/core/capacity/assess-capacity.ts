import type { LoadBalancerSnapshot, TargetGroup } from '../model/snapshot';
import type { RoutingComparison } from '../routing/compare-routing';
import type { LoadContext, LoadMetric } from './load-types';
import { hasPerTargetMetric } from './metric-queries';
import { predictLoad, type TargetPrediction } from './predict-load';

/** The settings of the capacity judgement (the `capacity-headroom` rule's parameters). */
export interface CapacitySettings {
  /** Block when a target's predicted rate exceeds its proven capacity by more than this. */
  readonly marginPercent: number;
  /** The target-group tag whose value is a capacity per target, in requests (NLB: new flows) per minute. */
  readonly capacityTagKey: string;
}

/** Where a target's capacity comes from, in the order it is looked for. */
export type CapacitySource =
  /** Its own group's history. */
  | 'own-history'
  /** Its group's capacity tag (the operator's word: a bigger instance kind, a group with no history). */
  | 'tag'
  /** The same server's history in another group. */
  | 'same-server'
  /** The groups it takes these requests from (no history of its own: the same instance kind is the usual case). */
  | 'source-groups';

/** A target's capacity and its provenance. */
export interface TargetCapacity {
  readonly perTargetPerMinute: number;
  readonly source: CapacitySource;
  /** The groups whose history (or tag) it is. */
  readonly groupNames: readonly string[];
}

/** One target judged: its prediction and, when one is known, its capacity. */
export interface TargetAssessment {
  readonly prediction: TargetPrediction;
  readonly groupName: string;
  readonly capacity?: TargetCapacity;
}

/** The capacity judgement of one comparison: with metrics, or why it fell back to shares. */
export type CapacityAssessment =
  | {
      readonly basis: 'metrics';
      readonly metric: LoadMetric;
      readonly source: 'cloudwatch' | 'file';
      readonly windowMinutes: number;
      /** The lookback of the proven capacity (undefined: none stored yet). */
      readonly lookbackHours?: number;
      readonly targets: readonly TargetAssessment[];
      readonly boundedBuckets: number;
      readonly settings: CapacitySettings;
    }
  | { readonly basis: 'shares'; readonly reason: string };

function tagCapacity(group: TargetGroup, key: string): number | undefined {
  const raw = group.tags[key];
  if (raw === undefined) return undefined;
  const value = Number(raw.replace(/[,_ ]/g, ''));
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * Predicts every target's rate and finds the capacity to judge it by: its group's own history; else the
 * group's capacity tag; else the same server's history in another group; else the lowest proven capacity of
 * the groups it takes the requests from. Lambda and ALB target groups have no per-target metric and are
 * left to the share rules.
 */
export function assessCapacity(routing: RoutingComparison, load: LoadContext, settings: CapacitySettings): CapacityAssessment {
  const { reading, capacity } = load;
  if (reading.status === 'unavailable') return { basis: 'shares', reason: reading.detail };
  if (routing.before === undefined) return { basis: 'shares', reason: 'no baseline yet: the rate of each request class is unknown' };
  const prediction = predictLoad(routing, reading.load);
  const after: LoadBalancerSnapshot = routing.after.snapshot;
  const groups = new Map([...(routing.before.snapshot.targetGroups ?? []), ...after.targetGroups].map((g) => [g.arn, g]));
  const proven = capacity?.groups ?? {};
  const nameOf = (arn: string) => groups.get(arn)?.name ?? proven[arn]?.groupName ?? arn;
  // Where each target id is registered (for the same server's history in another group).
  const groupsOfTarget = new Map<string, string[]>();
  for (const g of after.targetGroups) for (const t of g.targets) groupsOfTarget.set(t.id, [...(groupsOfTarget.get(t.id) ?? []), g.arn]);
  const targets: TargetAssessment[] = [];
  for (const p of prediction.targets.values()) {
    const group = groups.get(p.primaryGroupArn);
    if (group === undefined || !hasPerTargetMetric(group) || p.after <= 0) continue;
    const own = proven[group.arn];
    let found: TargetCapacity | undefined;
    const tag = tagCapacity(group, settings.capacityTagKey);
    if (own !== undefined) found = { perTargetPerMinute: own.perTargetPerMinute, source: 'own-history', groupNames: [group.name] };
    else if (tag !== undefined) found = { perTargetPerMinute: tag, source: 'tag', groupNames: [group.name] };
    else {
      const elsewhere = (groupsOfTarget.get(p.targetId) ?? []).filter((arn) => arn !== group.arn && proven[arn] !== undefined);
      if (elsewhere.length > 0) {
        const best = elsewhere.reduce((a, b) => ((proven[a]?.perTargetPerMinute ?? 0) >= (proven[b]?.perTargetPerMinute ?? 0) ? a : b));
        found = { perTargetPerMinute: proven[best]?.perTargetPerMinute ?? 0, source: 'same-server', groupNames: [nameOf(best)] };
      } else {
        const sources = p.sourceGroupArns.filter((arn) => arn !== group.arn && proven[arn] !== undefined);
        if (sources.length > 0) {
          const lowest = sources.reduce((a, b) => ((proven[a]?.perTargetPerMinute ?? 0) <= (proven[b]?.perTargetPerMinute ?? 0) ? a : b));
          found = { perTargetPerMinute: proven[lowest]?.perTargetPerMinute ?? 0, source: 'source-groups', groupNames: [nameOf(lowest)] };
        }
      }
    }
    targets.push({ prediction: p, groupName: group.name, ...(found !== undefined && { capacity: found }) });
  }
  return {
    basis: 'metrics',
    metric: reading.load.metric,
    source: reading.source,
    windowMinutes: reading.load.windowMinutes,
    ...(capacity !== undefined && { lookbackHours: capacity.lookbackHours }),
    targets,
    boundedBuckets: prediction.boundedBuckets,
    settings,
  };
}

/** The predicted rate a target may reach before the rule blocks: its capacity plus the margin. */
export function limitOf(capacity: TargetCapacity, settings: CapacitySettings): number {
  return capacity.perTargetPerMinute * (1 + settings.marginPercent / 100);
}
