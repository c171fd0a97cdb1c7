import type { Action, LoadBalancerSnapshot, Target, TargetGroup, TargetHealthState } from '../model/snapshot';
import { trafficPath } from './path-label';
import type { PathTraffic, TargetShare, TrafficPath } from './types';

/**
 * Where a load balancer's traffic goes, from its configuration alone (no metrics): per path, the share
 * of requests each target receives.
 *
 * Model (AWS behaviour, and our choices where AWS leaves room):
 * - A forward splits a path between its target groups in proportion to their weights; weight 0 gets
 *   nothing; total weight 0 sends nothing anywhere (the path is unroutable: ELB answers 503).
 * - Inside a group, requests go to its *routable* targets: `healthy`, and `unavailable` (health checks
 *   disabled: ELB treats the target as healthy). `initial` targets are not yet healthy and get nothing
 *   while another target is routable. `draining` and `unhealthy.draining` targets are being
 *   deregistered and never get new requests; `unused` targets cannot be reached.
 * - Fail open: a group with no routable target sends its share to all registered targets regardless of
 *   health (`initial` and `unhealthy`), as ALB does. The group is listed in `failOpenTargetGroupArns`
 *   and its targets carry `healthy: false`. A group with no registered target at all loses its share
 *   (`unroutedShare`).
 * - Cross-zone on: equal split over the group's serving targets. Cross-zone off: the load balancer
 *   splits evenly over its enabled Availability Zones, then each zone's node splits over the serving
 *   targets in its zone (targets with zone `all` are reachable from every node). A zone with no serving
 *   target drops out and the others absorb its share — DNS failover does this for NLB, and it is the
 *   assumption that concentrates traffic most, so rules err towards seeing skew.
 * - Group stickiness and the routing algorithm change who gets which request, not the long-run split.
 *
 * Speed: a path is kept as segments (one per weighted group, each group's spread computed once per
 * snapshot and shared by every path that uses the group). `targets` is built from the segments on first
 * read and cached per forward configuration; rules read the segments through `path-shares.ts`, so judging
 * 10,000 targets behind 100 rules never builds a million share objects.
 */

const ROUTABLE: ReadonlySet<TargetHealthState> = new Set(['healthy', 'unavailable']);
const FAIL_OPEN: ReadonlySet<TargetHealthState> = new Set(['healthy', 'unavailable', 'initial', 'unhealthy']);

/**
 * How one group spreads its share over its serving targets. `fractions[i]` is the part of the group's
 * share `targets[i]` gets (they add up to 1), sorted largest first; absent when the split is even.
 */
export interface GroupSpread {
  readonly group: TargetGroup;
  readonly targets: readonly Target[];
  readonly fractions?: readonly number[];
  readonly failOpen: boolean;
  /** Distinct serving target ids. */
  readonly ids: ReadonlySet<string>;
  /** Target id → fraction, built on first use. */
  byId?: Map<string, number>;
}

/** The fraction of the group's share that the i-th serving target gets. */
export function fractionAt(spread: GroupSpread, i: number): number {
  return spread.fractions === undefined ? 1 / spread.targets.length : spread.fractions[i];
}

/** One weighted group of a path: its spread and the path share it gets. */
export interface Segment {
  readonly spread: GroupSpread;
  readonly groupShare: number;
}

/** A forward configuration's traffic, shared by every path with the same weights. */
export interface ForwardModel {
  readonly segments: readonly Segment[];
  /** True when one target id appears in two segments (an instance registered in two groups). */
  readonly repeats: boolean;
  readonly healthyTargets: number;
  readonly unroutedShare: number;
  materialized?: readonly TargetShare[];
}

const MODELS = new WeakMap<PathTraffic, ForwardModel>();

/** The segments behind a path computed by `computeTraffic` (undefined for a copied or hand-made path). */
export function forwardModelOf(path: PathTraffic): ForwardModel | undefined {
  return MODELS.get(path);
}

function crossZoneOf(snapshot: LoadBalancerSnapshot, group: TargetGroup): boolean {
  return group.crossZone === 'inherit' ? snapshot.loadBalancer.crossZoneEnabled : group.crossZone === 'on';
}

/** Cross-zone off: each enabled zone's node takes an equal slice and splits it over its zone's targets. */
function zonalSpread(serving: readonly Target[], zones: readonly string[]): { targets: Target[]; fractions?: number[] } {
  const nodes = zones
    .map((zone) => serving.filter((t) => t.availabilityZone === zone || t.availabilityZone === 'all' || t.availabilityZone === undefined))
    .filter((candidates) => candidates.length > 0);
  if (nodes.length === 0) return { targets: [...serving] };
  const fractions = new Map<Target, number>();
  for (const candidates of nodes) {
    const each = 1 / nodes.length / candidates.length;
    for (const target of candidates) fractions.set(target, (fractions.get(target) ?? 0) + each);
  }
  const sorted = [...fractions].sort(([a, fa], [b, fb]) => fb - fa || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { targets: sorted.map(([t]) => t), fractions: sorted.map(([, f]) => f) };
}

function spreadOf(snapshot: LoadBalancerSnapshot, group: TargetGroup): GroupSpread {
  const routable = group.targets.filter((t) => ROUTABLE.has(t.health));
  const failOpen = routable.length === 0;
  const serving = failOpen ? group.targets.filter((t) => FAIL_OPEN.has(t.health)) : routable;
  const ids = new Set(serving.map((t) => t.id));
  if (serving.length === 0) return { group, targets: [], failOpen: false, ids };
  const zones =
    snapshot.loadBalancer.availabilityZones.length > 0
      ? snapshot.loadBalancer.availabilityZones
      : [...new Set(serving.map((t) => t.availabilityZone).filter((z): z is string => z !== undefined && z !== 'all'))];
  const split = crossZoneOf(snapshot, group) || zones.length === 0 ? { targets: serving } : zonalSpread(serving, zones);
  return { group, ...split, failOpen, ids };
}

function byShareThenId(a: TargetShare, b: TargetShare): number {
  return b.share - a.share || (a.targetId < b.targetId ? -1 : a.targetId > b.targetId ? 1 : 0);
}

/** Every target's share of a forward, largest first (built on first read of `targets`). */
function materialize(model: ForwardModel): readonly TargetShare[] {
  if (model.materialized !== undefined) return model.materialized;
  const targets: TargetShare[] = [];
  for (const { spread, groupShare } of model.segments) {
    spread.targets.forEach((target, i) => {
      targets.push({
        targetGroupArn: spread.group.arn,
        targetGroupName: spread.group.name,
        targetId: target.id,
        port: target.port,
        availabilityZone: target.availabilityZone,
        healthy: !spread.failOpen && ROUTABLE.has(target.health),
        share: groupShare * fractionAt(spread, i),
      });
    });
  }
  targets.sort(byShareThenId);
  model.materialized = targets;
  return targets;
}

/** Computes traffic for one snapshot, memoising group spreads and forward configurations. */
class TrafficModel {
  private readonly groups: Map<string, TargetGroup>;
  private readonly spreads = new Map<string, GroupSpread>();
  private readonly forwards = new Map<string, ForwardModel>();
  /** Target ids served by two or more groups, with those groups (usually none): built on first need. */
  private sharedIds?: Map<string, Set<string>>;

  public constructor(private readonly snapshot: LoadBalancerSnapshot) {
    this.groups = new Map(snapshot.targetGroups.map((g) => [g.arn, g]));
  }

  public path(path: TrafficPath, actions: readonly Action[]): PathTraffic {
    const forward = actions.find((a) => a.type === 'forward');
    const model = forward === undefined ? undefined : this.forward(forward.forward?.targetGroups ?? []);
    const traffic = {
      path,
      healthyTargets: model?.healthyTargets ?? 0,
      failOpenTargetGroupArns: model?.segments.filter((s) => s.spread.failOpen).map((s) => s.spread.group.arn) ?? [],
      unroutable: model !== undefined && model.segments.length === 0,
      unroutedShare: model?.unroutedShare ?? 0,
      nonForwarding: model === undefined,
    } as Omit<PathTraffic, 'targets'> as PathTraffic;
    Object.defineProperty(traffic, 'targets', { enumerable: true, get: () => (model === undefined ? [] : materialize(model)) });
    if (model !== undefined) MODELS.set(traffic, model);
    return traffic;
  }

  private spread(group: TargetGroup): GroupSpread {
    let spread = this.spreads.get(group.arn);
    if (spread === undefined) {
      spread = spreadOf(this.snapshot, group);
      this.spreads.set(group.arn, spread);
    }
    return spread;
  }

  /** Whether two of the segments serve a common target id (an instance registered in two groups). */
  private repeats(segments: readonly Segment[]): boolean {
    if (segments.length < 2) return false;
    if (this.sharedIds === undefined) {
      const firstGroup = new Map<string, string>();
      this.sharedIds = new Map();
      for (const group of this.snapshot.targetGroups) {
        for (const id of this.spread(group).ids) {
          const first = firstGroup.get(id);
          if (first === undefined) firstGroup.set(id, group.arn);
          else if (first !== group.arn) this.sharedIds.set(id, (this.sharedIds.get(id) ?? new Set([first])).add(group.arn));
        }
      }
    }
    if (this.sharedIds.size === 0) return false;
    const arns = segments.map((s) => s.spread.group.arn);
    return [...this.sharedIds.values()].some((groups) => arns.filter((arn) => groups.has(arn)).length > 1);
  }

  private forward(weighted: readonly { targetGroupArn: string; weight: number }[]): ForwardModel {
    const key = weighted.map((g) => `${g.targetGroupArn}=${g.weight}`).join('|');
    const known = this.forwards.get(key);
    if (known !== undefined) return known;
    const total = weighted.reduce((sum, g) => sum + g.weight, 0);
    const segments: Segment[] = [];
    let unrouted = total === 0 ? 1 : 0;
    for (const { targetGroupArn, weight } of total === 0 ? [] : weighted) {
      if (weight === 0) continue;
      const group = this.groups.get(targetGroupArn);
      const spread = group === undefined ? undefined : this.spread(group);
      if (spread === undefined || spread.targets.length === 0) unrouted += weight / total;
      else segments.push({ spread, groupShare: weight / total });
    }
    const repeats = this.repeats(segments);
    // Serving targets of a group that does not fail open are exactly its routable ones.
    const healthy = segments.filter((s) => !s.spread.failOpen);
    const healthyTargets = repeats ? new Set(healthy.flatMap((s) => [...s.spread.ids])).size : healthy.reduce((sum, s) => sum + s.spread.ids.size, 0);
    const model: ForwardModel = { segments, repeats, healthyTargets, unroutedShare: unrouted < 1e-12 ? 0 : Math.min(1, unrouted) };
    this.forwards.set(key, model);
    return model;
  }
}

/**
 * The share of each path's traffic that each target receives: one entry per listener default rule and
 * per listener rule (in priority order). See the module comment for the model and its choices.
 */
export function computeTraffic(snapshot: LoadBalancerSnapshot): PathTraffic[] {
  const model = new TrafficModel(snapshot);
  const paths: PathTraffic[] = [];
  for (const listener of snapshot.listeners) {
    paths.push(model.path(trafficPath(listener), listener.defaultActions));
    const rules = [...listener.rules].sort((a, b) => a.priority - b.priority);
    for (const rule of rules) paths.push(model.path(trafficPath(listener, rule), rule.actions));
  }
  return paths;
}
