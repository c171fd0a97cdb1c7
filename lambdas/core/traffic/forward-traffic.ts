import type { ForwardConfig, LoadBalancerSnapshot, TargetGroup } from '../model/snapshot';
import { dnsZones, fractionAt, spreadOf, type GroupSpread } from './group-spread';
import type { ForwardTraffic, Segment, TargetShare } from './types';

/**
 * Where a forward action's requests go, from the configuration alone: weights split requests between
 * groups in proportion (a group at weight 0 gets none; all weights 0 route nothing), then each group
 * spreads its part over its serving targets (see `group-spread.ts`).
 *
 * Speed: each group's spread is computed once per snapshot and each distinct set of weights once, then
 * shared by every request class that uses it; per-target lists are built only when read, so judging
 * 10,000 targets behind 100 rules never builds a million share objects.
 */

function byShareThenId(a: TargetShare, b: TargetShare): number {
  return b.share - a.share || (a.targetId < b.targetId ? -1 : a.targetId > b.targetId ? 1 : 0);
}

function materialize(segments: readonly Segment[]): TargetShare[] {
  const targets: TargetShare[] = [];
  for (const { spread, groupShare } of segments) {
    spread.targets.forEach((target, i) => {
      targets.push({
        targetGroupArn: spread.group.arn,
        targetGroupName: spread.group.name,
        targetId: target.id,
        port: target.port,
        availabilityZone: target.availabilityZone,
        healthy: spread.healthy[i],
        share: groupShare * fractionAt(spread, i),
      });
    });
  }
  return targets.sort(byShareThenId);
}

/** (Σs)²/Σs² over healthy shares, summed per target id when one id serves in two groups. */
function capacityOf(segments: readonly Segment[], repeats: boolean): number {
  let sum = 0;
  let squares = 0;
  if (!repeats) {
    for (const { spread, groupShare } of segments) {
      for (let i = 0; i < spread.targets.length; i += 1) {
        if (!spread.healthy[i]) continue;
        const s = groupShare * fractionAt(spread, i);
        sum += s;
        squares += s * s;
      }
    }
  } else {
    const byId = new Map<string, number>();
    for (const t of materialize(segments)) if (t.healthy) byId.set(t.targetId, (byId.get(t.targetId) ?? 0) + t.share);
    for (const s of byId.values()) {
      sum += s;
      squares += s * s;
    }
  }
  return squares === 0 ? 0 : (sum * sum) / squares;
}

/** Forward traffic for one snapshot, memoising group spreads and weight sets. */
export class TrafficModel {
  private readonly groups: Map<string, TargetGroup>;
  private readonly spreads = new Map<string, GroupSpread>();
  private readonly forwards = new Map<string, ForwardTraffic>();
  private readonly zones: string[];
  /** Target ids served by two or more groups (usually none): built on first need. */
  private sharedIds?: Map<string, Set<string>>;

  public constructor(public readonly snapshot: LoadBalancerSnapshot) {
    this.groups = new Map(snapshot.targetGroups.map((g) => [g.arn, g]));
    const used = new Set(
      snapshot.listeners.flatMap((l) => [...l.defaultActions, ...l.rules.flatMap((r) => r.actions)].flatMap((a) => a.forward?.targetGroups.filter((g) => g.weight > 0).map((g) => g.targetGroupArn) ?? [])),
    );
    this.zones = dnsZones(snapshot, snapshot.targetGroups.filter((g) => used.has(g.arn)));
  }

  /** The zones DNS answers with (all enabled zones unless DNS failover took some out). */
  public dnsZones(): readonly string[] {
    return this.zones;
  }

  /** The spread of a group of this snapshot, or undefined when the snapshot has no such group. */
  public spread(arn: string): GroupSpread | undefined {
    let spread = this.spreads.get(arn);
    if (spread === undefined) {
      const group = this.groups.get(arn);
      if (group === undefined) return undefined;
      spread = spreadOf(this.snapshot, group, this.zones);
      this.spreads.set(arn, spread);
    }
    return spread;
  }

  /** The traffic of a forward configuration. */
  public forward(config: ForwardConfig): ForwardTraffic {
    const weighted = config.targetGroups;
    const key = weighted.map((g) => `${g.targetGroupArn}=${g.weight}`).join('|');
    const known = this.forwards.get(key);
    if (known !== undefined) return known;
    const total = weighted.reduce((sum, g) => sum + g.weight, 0);
    const segments: Segment[] = [];
    let unrouted = total === 0 ? 1 : 0;
    for (const { targetGroupArn, weight } of total === 0 ? [] : weighted) {
      if (weight === 0) continue;
      const spread = this.spread(targetGroupArn);
      if (spread === undefined || spread.targets.length === 0) unrouted += weight / total;
      else {
        segments.push({ spread, groupShare: weight / total });
        unrouted += (weight / total) * spread.lost;
      }
    }
    const repeats = this.repeats(segments);
    const healthyIds = new Set<string>();
    let healthyTargets = 0;
    for (const { spread } of segments) {
      spread.targets.forEach((t, i) => {
        if (!spread.healthy[i]) return;
        if (repeats) healthyIds.add(t.id);
        else healthyTargets += 1;
      });
    }
    let materialized: TargetShare[] | undefined;
    const traffic: ForwardTraffic = {
      segments,
      repeats,
      healthyTargets: repeats ? healthyIds.size : healthyTargets,
      healthyCapacity: capacityOf(segments, repeats),
      unroutedShare: unrouted < 1e-12 ? 0 : Math.min(1, unrouted),
      unroutable: segments.length === 0,
      failOpenTargetGroupArns: segments.filter((s) => s.spread.failOpen).map((s) => s.spread.group.arn),
      get targets() {
        materialized ??= materialize(segments);
        return materialized;
      },
    };
    this.forwards.set(key, traffic);
    return traffic;
  }

  /** Whether two of the segments serve a common target id (an instance registered in two groups). */
  private repeats(segments: readonly Segment[]): boolean {
    if (segments.length < 2) return false;
    if (this.sharedIds === undefined) {
      const firstGroup = new Map<string, string>();
      this.sharedIds = new Map();
      for (const group of this.snapshot.targetGroups) {
        for (const id of this.spread(group.arn)?.ids ?? []) {
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
}
