import type { ClassComparison, RoutingComparison } from '../routing/compare-routing';
import { fractionAt, type GroupSpread } from '../traffic/group-spread';
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

interface GroupLoad {
  rate: number;
  sources: Set<string>;
  bounded: boolean;
  topClass: ClassComparison;
  topRate: number;
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
  // Rates per group spread first (one multiply per segment), then per target once: 10,000 targets behind
  // 100 rules cost one pass over the targets, not one per rule.
  const afterGroups = new Map<GroupSpread, GroupLoad>();
  const beforeGroups = new Map<GroupSpread, number>();
  let boundedBuckets = 0;
  const accumulator = (id: string, cls: ClassComparison): Accumulator => {
    let acc = targets.get(id);
    if (acc === undefined) targets.set(id, (acc = { after: 0, groups: new Map<string, number>(), sources: new Set<string>(), bounded: false, topClass: cls, topRate: -1 }));
    return acc;
  };
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
    for (const seg of bucket.before.segments) beforeGroups.set(seg.spread, (beforeGroups.get(seg.spread) ?? 0) + rate * seg.groupShare);
    const sources = [...shares.entries()].filter(([, share]) => share > 0).map(([arn]) => arn);
    if (afters.size === 1) {
      const [[traffic, cls]] = [...afters.entries()];
      for (const seg of traffic.segments) {
        const added = rate * seg.groupShare;
        let g = afterGroups.get(seg.spread);
        if (g === undefined) afterGroups.set(seg.spread, (g = { rate: 0, sources: new Set<string>(), bounded: false, topClass: cls, topRate: -1 }));
        g.rate += added;
        for (const arn of sources) g.sources.add(arn);
        g.bounded ||= bounded;
        if (added > g.topRate) {
          g.topRate = added;
          g.topClass = cls;
        }
      }
      continue;
    }
    // Several routes after the change: each target is charged the route that gives it the most.
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
    for (const [id, { share, groups, cls }] of charged) {
      const acc = accumulator(id, cls);
      const added = rate * share;
      acc.after += added;
      for (const [arn, s] of groups) acc.groups.set(arn, (acc.groups.get(arn) ?? 0) + rate * s);
      for (const arn of sources) acc.sources.add(arn);
      acc.bounded = true;
      if (added > acc.topRate) {
        acc.topRate = added;
        acc.topClass = cls;
      }
    }
  }
  for (const [spread, g] of afterGroups) {
    spread.targets.forEach((target, i) => {
      const added = g.rate * fractionAt(spread, i);
      if (added <= 0) return;
      const acc = accumulator(target.id, g.topClass);
      acc.after += added;
      acc.groups.set(spread.group.arn, (acc.groups.get(spread.group.arn) ?? 0) + added);
      for (const arn of g.sources) acc.sources.add(arn);
      acc.bounded ||= g.bounded;
      if (added > acc.topRate) {
        acc.topRate = added;
        acc.topClass = g.topClass;
      }
    });
  }
  for (const [spread, rate] of beforeGroups) {
    spread.targets.forEach((target, i) => beforeRates.set(target.id, (beforeRates.get(target.id) ?? 0) + rate * fractionAt(spread, i)));
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
