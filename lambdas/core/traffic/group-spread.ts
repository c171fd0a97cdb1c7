import type { LoadBalancerSnapshot, Target, TargetGroup, TargetHealthState } from '../model/snapshot';

/**
 * How one target group spreads the requests it receives over its targets, by ELB's rules of health and
 * zones. Sources (cited in the tests that rest on them):
 * - Only healthy targets in enabled zones get requests; `initial` targets must first pass a health
 *   check, `draining` ones are leaving, `unused` ones cannot be reached (target-group-health-checks.html).
 *   `unavailable` (health checks off, Lambda groups) is served as healthy: the function is invoked.
 * - Routing failover ("fail open"): when the healthy targets fall below
 *   `target_group_health.unhealthy_state_routing.minimum_healthy_targets.count` (default 1) or
 *   `.percentage` (default off), ELB sends traffic to all targets including unhealthy ones
 *   (target-group-health.html). The docs' wording for the default case is "only unhealthy registered
 *   targets": `initial` targets are not healthy capacity and do not join a fail-open here; a group
 *   whose targets are all `initial` answers with no target (counted as unrouted).
 * - A target in a zone the load balancer no longer has (SetSubnets removed it) is unused
 *   (`Target.NotInUse`), whatever its last reported health.
 * - Cross-zone off: thresholds count per zone; each load balancer node splits its zone's share over its
 *   zone's targets. DNS failover (`target_group_health.dns_failover.minimum_healthy_targets.*`, default
 *   count 1) takes a zone out of DNS for the whole load balancer when a group there is below it; with
 *   every zone out, DNS answers with all of them.
 */

const HEALTHY: ReadonlySet<TargetHealthState> = new Set(['healthy', 'unavailable']);
const LEAVING: ReadonlySet<TargetHealthState> = new Set(['draining', 'unhealthy.draining', 'unused']);

/** The attribute keys of the target group health thresholds. */
export const HEALTH_THRESHOLD = {
  routingCount: 'target_group_health.unhealthy_state_routing.minimum_healthy_targets.count',
  routingPercentage: 'target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage',
  dnsCount: 'target_group_health.dns_failover.minimum_healthy_targets.count',
  dnsPercentage: 'target_group_health.dns_failover.minimum_healthy_targets.percentage',
} as const;

/**
 * How one group spreads its share over its serving targets. `fractions[i]` is the part of the group's
 * share `targets[i]` gets (they add up to the part that is served), largest first; absent when the
 * split is even over all of `targets`.
 */
export interface GroupSpread {
  readonly group: TargetGroup;
  readonly targets: readonly Target[];
  readonly fractions?: readonly number[];
  /** The part of the group's share no target gets (a zone with no target of the group): 0 usually. */
  readonly lost: number;
  /** True when the group (or a zone of it) routes to unhealthy targets because too few are healthy. */
  readonly failOpen: boolean;
  /** Per target index: whether it is healthy (serving capacity). */
  readonly healthy: readonly boolean[];
  /** Distinct serving target ids. */
  readonly ids: ReadonlySet<string>;
  /** Target id → fraction, built on first use. */
  byId?: Map<string, number>;
  /** Registered targets whose zone is unknown while the load balancer dropped a zone (instance targets). */
  readonly unknownZoneTargets: number;
}

/** The fraction of the group's share that the i-th serving target gets. */
export function fractionAt(spread: GroupSpread, i: number): number {
  return spread.fractions === undefined ? (1 - spread.lost) / spread.targets.length : spread.fractions[i];
}

/** A threshold attribute as a number; undefined when `off` or absent. */
function threshold(group: TargetGroup, key: string, fallback?: number): number | undefined {
  const raw = group.attributes[key];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'off') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : fallback;
}

/** Whether `healthy` of `registered` is below a pair of thresholds (either breached is enough). */
function below(healthy: number, registered: number, count: number | undefined, percentage: number | undefined): boolean {
  if (count !== undefined && healthy < count) return true;
  return percentage !== undefined && registered > 0 && (healthy / registered) * 100 < percentage;
}

/** The targets a group serves with, in one pool (the group, or one zone of it): healthy, or failing open. */
function servingPool(group: TargetGroup, pool: readonly Target[]): { targets: Target[]; failOpen: boolean } {
  const healthy = pool.filter((t) => HEALTHY.has(t.health));
  const failOpen = below(healthy.length, pool.length, threshold(group, HEALTH_THRESHOLD.routingCount, 1), threshold(group, HEALTH_THRESHOLD.routingPercentage));
  if (!failOpen) return { targets: healthy, failOpen: false };
  const open = pool.filter((t) => t.health !== 'initial');
  return { targets: open, failOpen: open.some((t) => !HEALTHY.has(t.health)) };
}

/** Whether the group's traffic stays in the zone it arrived in. */
export function crossZoneOff(snapshot: LoadBalancerSnapshot, group: TargetGroup): boolean {
  return !(group.crossZone === 'inherit' ? snapshot.loadBalancer.crossZoneEnabled : group.crossZone === 'on');
}

/**
 * The load balancer's zones; when the snapshot does not say (a template or plan before deploy), the
 * zones its targets name.
 */
export function zonesOf(snapshot: LoadBalancerSnapshot, groups: readonly TargetGroup[]): string[] {
  if (snapshot.loadBalancer.availabilityZones.length > 0) return [...snapshot.loadBalancer.availabilityZones];
  const named = groups.flatMap((g) => g.targets.map((t) => t.availabilityZone)).filter((z): z is string => z !== undefined && z !== 'all');
  return [...new Set(named)].sort();
}

/** Targets still registered and reachable: not leaving, and not in a zone the load balancer dropped. */
export function registeredIn(snapshot: LoadBalancerSnapshot, group: TargetGroup): Target[] {
  const zones = snapshot.loadBalancer.availabilityZones;
  return group.targets.filter((t) => {
    if (LEAVING.has(t.health)) return false;
    if (zones.length === 0 || t.availabilityZone === undefined || t.availabilityZone === 'all') return true;
    return zones.includes(t.availabilityZone);
  });
}

/** Zones DNS still answers with: each zone where every cross-zone-off group of the listeners meets its DNS threshold. */
export function dnsZones(snapshot: LoadBalancerSnapshot, groups: readonly TargetGroup[]): string[] {
  const zones = zonesOf(snapshot, groups);
  const failed = new Set<string>();
  for (const group of groups) {
    if (!crossZoneOff(snapshot, group)) continue;
    const registered = registeredIn(snapshot, group);
    const count = threshold(group, HEALTH_THRESHOLD.dnsCount, 1);
    const percentage = threshold(group, HEALTH_THRESHOLD.dnsPercentage);
    for (const zone of zones) {
      const inZone = registered.filter((t) => t.availabilityZone === zone || t.availabilityZone === 'all');
      const healthy = inZone.filter((t) => HEALTHY.has(t.health)).length;
      if (below(healthy, inZone.length, count, percentage)) failed.add(zone);
    }
  }
  const left = zones.filter((z) => !failed.has(z));
  return left.length > 0 ? left : [...zones];
}

function sortedSpread(group: TargetGroup, fractions: Map<Target, number>, lost: number, failOpen: boolean, unknownZoneTargets: number): GroupSpread {
  const sorted = [...fractions].sort(([a, fa], [b, fb]) => fb - fa || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const targets = sorted.map(([t]) => t);
  return {
    group,
    targets,
    fractions: sorted.map(([, f]) => f),
    lost,
    failOpen,
    healthy: targets.map((t) => HEALTHY.has(t.health)),
    ids: new Set(targets.map((t) => t.id)),
    unknownZoneTargets,
  };
}

/** The spread of one group in a snapshot; `zones` are the zones DNS answers with (see `dnsZones`). */
export function spreadOf(snapshot: LoadBalancerSnapshot, group: TargetGroup, zones: readonly string[]): GroupSpread {
  const registered = registeredIn(snapshot, group);
  const dropped = snapshot.loadBalancer.availabilityZones.length > 0 && group.targets.some((t) => t.health === 'unused' && t.reason === 'Target.NotInUse');
  const unknownZoneTargets = dropped ? registered.filter((t) => t.availabilityZone === undefined).length : 0;
  if (!crossZoneOff(snapshot, group) || zones.length === 0) {
    const { targets, failOpen } = servingPool(group, registered);
    return {
      group,
      targets,
      lost: targets.length === 0 ? 1 : 0,
      failOpen,
      healthy: targets.map((t) => HEALTHY.has(t.health)),
      ids: new Set(targets.map((t) => t.id)),
      unknownZoneTargets,
    };
  }
  // Cross-zone off: each DNS zone's node takes an equal slice and serves it from its own zone.
  const fractions = new Map<Target, number>();
  let lost = 0;
  let failOpen = false;
  for (const zone of zones) {
    const pool = registered.filter((t) => t.availabilityZone === zone || t.availabilityZone === 'all' || t.availabilityZone === undefined);
    const serving = servingPool(group, pool);
    failOpen ||= serving.failOpen;
    if (serving.targets.length === 0) {
      lost += 1 / zones.length;
      continue;
    }
    for (const t of serving.targets) fractions.set(t, (fractions.get(t) ?? 0) + 1 / zones.length / serving.targets.length);
  }
  return sortedSpread(group, fractions, lost, failOpen, unknownZoneTargets);
}
