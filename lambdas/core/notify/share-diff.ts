import { pathKey } from '../traffic/path-label';
import { groupShares } from '../traffic/path-shares';
import type { PathTraffic } from '../traffic/types';

/** One target's share of one path, before and after a change. */
export interface ShareChange {
  readonly path: string;
  readonly targetId: string;
  readonly targetGroupName: string;
  readonly before: number;
  readonly after: number;
}

/** `0.25` → `25%`, `1/3` → `33.3%`. */
export function percent(share: number): string {
  const value = Math.round(share * 1000) / 10;
  return `${Number.isInteger(value) ? value.toFixed(0) : value.toFixed(1)}%`;
}

/** A cheap fingerprint of how a path splits: its groups' shares and target counts, no per-target list. */
function splitSignature(path: PathTraffic | undefined): string {
  return path === undefined ? '' : JSON.stringify(groupShares(path));
}

/**
 * Per path and target, the share before and after, for the paths whose split changed (largest change
 * first). Paths whose groups kept their shares and target counts are skipped without listing their
 * targets: at 10,000 targets behind 100 rules, listing every path costs more than judging the change.
 */
export function shareChanges(before: readonly PathTraffic[], after: readonly PathTraffic[]): ShareChange[] {
  const beforeByKey = new Map(before.map((path) => [pathKey(path.path), path]));
  const afterByKey = new Map(after.map((path) => [pathKey(path.path), path]));
  const rows: ShareChange[] = [];
  for (const key of new Set([...beforeByKey.keys(), ...afterByKey.keys()])) {
    const was = beforeByKey.get(key);
    const is = afterByKey.get(key);
    if (splitSignature(was) === splitSignature(is)) continue;
    const label = (is ?? was)?.path.label ?? key;
    const byTarget = new Map<string, { targetId: string; targetGroupName: string; before: number; after: number }>();
    const collect = (path: PathTraffic | undefined, side: 'before' | 'after') => {
      for (const target of path?.targets ?? []) {
        const id = `${target.targetGroupName}\u0000${target.targetId}`;
        const row = byTarget.get(id) ?? { targetId: target.targetId, targetGroupName: target.targetGroupName, before: 0, after: 0 };
        row[side] += target.share;
        byTarget.set(id, row);
      }
    };
    collect(was, 'before');
    collect(is, 'after');
    for (const row of byTarget.values()) if (Math.abs(row.before - row.after) > 1e-9) rows.push({ path: label, ...row });
  }
  return rows.sort(
    (a, b) => a.path.localeCompare(b.path) || Math.abs(b.after - b.before) - Math.abs(a.after - a.before) || b.after - a.after || a.targetId.localeCompare(b.targetId),
  );
}
