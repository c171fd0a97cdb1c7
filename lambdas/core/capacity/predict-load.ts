import type { ClassComparison, RoutingComparison } from '../routing/compare-routing';
import type { ForwardTraffic } from '../traffic/types';
import type { ObservedLoad } from './load-types';

/**
 * The requests per minute each target would receive after a change, per request class, from the rates the
 * groups carried before. Classes that went through the same forward before (the same weights over the same
 * groups) are one bucket: the metrics cannot tell them apart. A bucket's rate is the rate of the groups that
 * served it divided by its share of them; a group that also served other buckets gives only an upper bound
 * (the safe one: the others may have carried none of it). Within a bucket whose classes go different ways
 * after the change, each target is charged as if the whole bucket took the route that gives it the most.
 * Both bounds over-estimate, never under-estimate, and the prediction says when it used them.
 */

/** What one target would receive. */
export interface TargetPrediction {
  readonly targetId: string;
  /** The group that gives it most of its requests after the change, and every group it receives from. */
  readonly primaryGroupArn: string;
  readonly groupArns: readonly string[];
  /** Predicted per minute after the change. */
  readonly after: number;
  /** The same classes' rates through the configuration before the change. */
  readonly before: number;
  /** The groups that served, before the change, the classes it receives after it. */
  readonly sourceGroupArns: readonly string[];
  /** True when a rate it was charged is a bound (a group shared by classes whose split is unknown). */
  readonly bounded: boolean;
  /** The class that brings it the most. */
  readonly topClass: ClassComparison;
}

/** The prediction for a whole comparison. */
export interface LoadPrediction {
  /** Targets that would receive requests, by id. */
  readonly targets: ReadonlyMap<string, TargetPrediction>;
  /** Classes forwarded after the change whose rate is unknown (no forward before, or no baseline). */
  readonly unknownClasses: readonly ClassComparison[];
  /** How many buckets' rates are bounds rather than measurements. */
  readonly boundedBuckets: number;
}

interface Bucket {
  readonly before: ForwardTraffic;
  readonly classes: ClassComparison[];
}

interface Accumulator {
  after: number;
  groups: Map<string, number>;
  sources: Set<string>;
  bounded: boolean;
  topClass: ClassComparison;
  topRate: number;
}

function groupShares(traffic: ForwardTraffic): Map<string, number> {
  const shares = new Map<string, number>();
  for (const s of traffic.segments) shares.set(s.spread.group.arn, (shares.get(s.spread.group.arn) ?? 0) + s.groupShare);
  return shares;
}

/** Predicts each target's rate after the change; see the module comment. */
export function predictLoad(routing: RoutingComparison, load: ObservedLoad): LoadPrediction {
  const buckets = new Map<ForwardTraffic, Bucket>();
  const unknownClasses: ClassComparison[] = [];
  for (const comparison of routing.classes) {
    const before = comparison.before?.traffic;
    if (before === undefined || before.unroutable) {
      if (comparison.after.traffic !== undefined && !comparison.after.traffic.unroutable) unknownClasses.push(comparison);
      continue;
    }
    let bucket = buckets.get(before);
    if (bucket === undefined) buckets.set(before, (bucket = { before, classes: [] }));
    bucket.classes.push(comparison);
  }
  // How many buckets each group served: a group serving several gives each only a bound.
  const users = new Map<string, number>();
  const sharesOf = new Map<Bucket, Map<string, number>>();
  for (const bucket of buckets.values()) {
    const shares = groupShares(bucket.before);
    sharesOf.set(bucket, shares);
    for (const [arn, share] of shares) if (share > 0) users.set(arn, (users.get(arn) ?? 0) + 1);
  }
  const targets = new Map<string, Accumulator>();
  const beforeRates = new Map<string, number>();
  let boundedBuckets = 0;
  for (const bucket of buckets.values()) {
    const shares = sharesOf.get(bucket) ?? new Map<string, number>();
    let rate = Infinity;
    let shared = false;
    for (const [arn, share] of shares) {
      if (share <= 0) continue;
      rate = Math.min(rate, (load.groups[arn] ?? 0) / share);
      if ((users.get(arn) ?? 0) > 1) shared = true;
    }
    if (!Number.isFinite(rate)) continue;
    // Classes of the bucket that go different ways after the change: the split between them is unknown.
    const afters = new Map<ForwardTraffic, ClassComparison>();
    for (const c of bucket.classes) if (c.after.traffic !== undefined && !c.after.traffic.unroutable && !afters.has(c.after.traffic)) afters.set(c.after.traffic, c);
    const bounded = shared || afters.size > 1;
    if (bounded) boundedBuckets += 1;
    if (rate === 0) continue;
    const charged = new Map<string, { share: number; groups: Map<string, number>; cls: ClassComparison }>();
    for (const [traffic, cls] of afters) {
      const perTarget = new Map<string, { share: number; groups: Map<string, number> }>();
      for (const t of traffic.targets) {
        const entry = perTarget.get(t.targetId) ?? { share: 0, groups: new Map<string, number>() };
        entry.share += t.share;
        entry.groups.set(t.targetGroupArn, (entry.groups.get(t.targetGroupArn) ?? 0) + t.share);
        perTarget.set(t.targetId, entry);
      }
      for (const [id, entry] of perTarget) {
        const known = charged.get(id);
        if (known === undefined || entry.share > known.share) charged.set(id, { ...entry, cls });
      }
    }
    for (const t of bucket.before.targets) beforeRates.set(t.targetId, (beforeRates.get(t.targetId) ?? 0) + rate * t.share);
    for (const [id, { share, groups, cls }] of charged) {
      const acc = targets.get(id) ?? { after: 0, groups: new Map<string, number>(), sources: new Set<string>(), bounded: false, topClass: cls, topRate: -1 };
      const added = rate * share;
      acc.after += added;
      for (const [arn, s] of groups) acc.groups.set(arn, (acc.groups.get(arn) ?? 0) + rate * s);
      for (const [arn, s] of shares) if (s > 0) acc.sources.add(arn);
      acc.bounded ||= bounded;
      if (added > acc.topRate) {
        acc.topRate = added;
        acc.topClass = cls;
      }
      targets.set(id, acc);
    }
  }
  const predictions = new Map<string, TargetPrediction>();
  for (const [id, acc] of targets) {
    const groups = [...acc.groups.entries()].sort((a, b) => b[1] - a[1]);
    predictions.set(id, {
      targetId: id,
      primaryGroupArn: groups[0]?.[0] ?? '',
      groupArns: groups.map(([arn]) => arn),
      after: acc.after,
      before: beforeRates.get(id) ?? 0,
      sourceGroupArns: [...acc.sources],
      bounded: acc.bounded,
      topClass: acc.topClass,
    });
  }
  return { targets: predictions, unknownClasses, boundedBuckets };
}
