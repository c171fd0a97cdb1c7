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

/**
 * Per path and target, the share before and after, for the paths whose split changed (largest change
 * first). Paths that did not change are left out: a person reads what moved.
 */
export function shareChanges(before: readonly PathTraffic[], after: readonly PathTraffic[]): ShareChange[] {
  const key = (path: string, target: string, group: string) => `${path}\u0000${group}\u0000${target}`;
  const rows = new Map<string, { path: string; targetId: string; targetGroupName: string; before: number; after: number }>();
  const collect = (traffic: readonly PathTraffic[], side: 'before' | 'after') => {
    for (const path of traffic) {
      for (const target of path.targets) {
        const id = key(path.path.label, target.targetId, target.targetGroupName);
        const row = rows.get(id) ?? { path: path.path.label, targetId: target.targetId, targetGroupName: target.targetGroupName, before: 0, after: 0 };
        row[side] += target.share;
        rows.set(id, row);
      }
    }
  };
  collect(before, 'before');
  collect(after, 'after');
  const changedPaths = new Set([...rows.values()].filter((row) => Math.abs(row.before - row.after) > 1e-9).map((row) => row.path));
  return [...rows.values()]
    .filter((row) => changedPaths.has(row.path))
    .sort((a, b) => a.path.localeCompare(b.path) || b.after - a.after || b.before - a.before || a.targetId.localeCompare(b.targetId));
}
