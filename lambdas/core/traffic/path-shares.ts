import { forwardModelOf, fractionAt, type GroupSpread } from './compute-traffic';
import type { PathTraffic } from './types';

/**
 * Questions rules ask about a path, answered from its per-group segments when `computeTraffic` made it
 * (fast: no per-target list is built), and from `targets` otherwise (a copied or hand-made path).
 * A server is a target id: one instance registered in two groups of a path is one machine, and its
 * shares add up.
 */

/** One server's share of a path. */
export interface ServerShare {
  readonly targetId: string;
  readonly share: number;
}

function sumById(path: PathTraffic): Map<string, number> {
  const sums = new Map<string, number>();
  for (const t of path.targets) sums.set(t.targetId, (sums.get(t.targetId) ?? 0) + t.share);
  return sums;
}

/** The servers whose share of the path is above `threshold`, largest first. */
export function serversAbove(path: PathTraffic, threshold: number): ServerShare[] {
  const model = forwardModelOf(path);
  const found: ServerShare[] = [];
  if (model !== undefined && !model.repeats) {
    for (const { spread, groupShare } of model.segments) {
      for (let i = 0; i < spread.targets.length; i += 1) {
        // Fractions are sorted, largest first: the first one at or below the threshold ends the group.
        const share = groupShare * fractionAt(spread, i);
        if (share <= threshold) break;
        found.push({ targetId: spread.targets[i].id, share });
      }
    }
  } else {
    for (const [targetId, share] of sumById(path)) if (share > threshold) found.push({ targetId, share });
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

/** One server's share of the path (0 when it gets none). */
export function serverShare(path: PathTraffic, targetId: string): number {
  const model = forwardModelOf(path);
  if (model === undefined) return sumById(path).get(targetId) ?? 0;
  return model.segments.reduce((sum, { spread, groupShare }) => sum + groupShare * fractionOf(spread, targetId), 0);
}

/** Per weighted group that serves the path (by ARN): its share and how many targets share it. */
export function groupShares(path: PathTraffic): { targetGroupArn: string; share: number; targets: number }[] {
  const model = forwardModelOf(path);
  const byArn = (a: { targetGroupArn: string }, b: { targetGroupArn: string }) => (a.targetGroupArn < b.targetGroupArn ? -1 : 1);
  if (model !== undefined) {
    return model.segments.map(({ spread, groupShare }) => ({ targetGroupArn: spread.group.arn, share: groupShare, targets: spread.targets.length })).sort(byArn);
  }
  const groups = new Map<string, { targetGroupArn: string; share: number; targets: number }>();
  for (const t of path.targets) {
    const group = groups.get(t.targetGroupArn) ?? { targetGroupArn: t.targetGroupArn, share: 0, targets: 0 };
    group.share += t.share;
    group.targets += 1;
    groups.set(t.targetGroupArn, group);
  }
  return [...groups.values()].sort(byArn);
}
