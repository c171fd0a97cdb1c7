import { fractionAt, type GroupSpread } from './group-spread';
import type { ForwardTraffic } from './types';

/**
 * Questions rules ask about a forward's traffic, answered from its per-group segments (no per-target
 * list is built unless one target id serves in two groups). A server is a target id: one instance
 * registered in two groups is one machine, and its shares add up.
 */

/** One server's share of a class. */
export interface ServerShare {
  readonly targetId: string;
  readonly share: number;
  /** The groups it receives the share through. */
  readonly targetGroupArns: readonly string[];
}

/** The servers whose share is above `threshold`, largest first; groups whose type `skip` names are left out. */
export function serversAbove(traffic: ForwardTraffic, threshold: number, skip: (spread: GroupSpread) => boolean = () => false): ServerShare[] {
  const found: ServerShare[] = [];
  if (!traffic.repeats) {
    for (const { spread, groupShare } of traffic.segments) {
      if (skip(spread)) continue;
      for (let i = 0; i < spread.targets.length; i += 1) {
        // Fractions are sorted, largest first: the first one at or below the threshold ends the group.
        const share = groupShare * fractionAt(spread, i);
        if (share <= threshold) break;
        found.push({ targetId: spread.targets[i].id, share, targetGroupArns: [spread.group.arn] });
      }
    }
  } else {
    const skipped = new Set(traffic.segments.filter((s) => skip(s.spread)).map((s) => s.spread.group.arn));
    const sums = new Map<string, { share: number; groups: Set<string> }>();
    for (const t of traffic.targets) {
      if (skipped.has(t.targetGroupArn)) continue;
      const entry = sums.get(t.targetId) ?? { share: 0, groups: new Set<string>() };
      entry.share += t.share;
      entry.groups.add(t.targetGroupArn);
      sums.set(t.targetId, entry);
    }
    for (const [targetId, { share, groups }] of sums) if (share > threshold) found.push({ targetId, share, targetGroupArns: [...groups].sort() });
  }
  return found.sort((a, b) => b.share - a.share || (a.targetId < b.targetId ? -1 : 1));
}

function fractionOf(spread: GroupSpread, targetId: string): number {
  if (spread.byId === undefined) {
    const byId = new Map<string, number>();
    spread.targets.forEach((target, i) => byId.set(target.id, (byId.get(target.id) ?? 0) + fractionAt(spread, i)));
    spread.byId = byId;
  }
  return spread.byId.get(targetId) ?? 0;
}

/** One server's share (0 when it gets none). */
export function serverShare(traffic: ForwardTraffic | undefined, targetId: string): number {
  if (traffic === undefined) return 0;
  return traffic.segments.reduce((sum, { spread, groupShare }) => sum + groupShare * fractionOf(spread, targetId), 0);
}

/** Per weighted group that serves the class (by ARN): its share and how many targets share it. */
export function groupShares(traffic: ForwardTraffic): { targetGroupArn: string; share: number; targets: number }[] {
  return traffic.segments
    .map(({ spread, groupShare }) => ({ targetGroupArn: spread.group.arn, share: groupShare * (1 - spread.lost), targets: spread.targets.length }))
    .sort((a, b) => (a.targetGroupArn < b.targetGroupArn ? -1 : 1));
}
