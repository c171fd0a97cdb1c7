import type { RoutingComparison } from '../routing/compare-routing';
import { groupShares } from '../traffic/forward-shares';
import type { ForwardTraffic } from '../traffic/types';

/** One target's share of one request class, before and after a change. */
export interface ShareChange {
  /** The class, in words: `requests to /api/* on HTTP:80`. */
  readonly requestClass: string;
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

/** A cheap fingerprint of how a class splits: its groups' shares and target counts, no per-target list. */
function splitSignature(traffic: ForwardTraffic | undefined): string {
  return traffic === undefined ? '' : JSON.stringify(groupShares(traffic));
}

/**
 * Per request class and target, the share before and after, for the classes whose split changed (largest
 * change first). Classes whose groups kept their shares and target counts are skipped without listing
 * their targets: at 10,000 targets behind 100 rules, listing every class costs more than judging it.
 */
export function shareChanges(routing: RoutingComparison | undefined): ShareChange[] {
  const rows: ShareChange[] = [];
  for (const { requestClass, before, after } of routing?.classes ?? []) {
    if (before !== undefined && splitSignature(before.traffic) === splitSignature(after.traffic)) continue;
    const byTarget = new Map<string, { targetId: string; targetGroupName: string; before: number; after: number }>();
    const collect = (traffic: ForwardTraffic | undefined, side: 'before' | 'after') => {
      for (const target of traffic?.targets ?? []) {
        const id = `${target.targetGroupName}\u0000${target.targetId}`;
        const row = byTarget.get(id) ?? { targetId: target.targetId, targetGroupName: target.targetGroupName, before: 0, after: 0 };
        row[side] += target.share;
        byTarget.set(id, row);
      }
    };
    collect(before?.traffic, 'before');
    collect(after.traffic, 'after');
    for (const row of byTarget.values()) if (Math.abs(row.before - row.after) > 1e-9) rows.push({ requestClass: requestClass.label, ...row });
  }
  return rows.sort(
    (a, b) =>
      a.requestClass.localeCompare(b.requestClass) ||
      Math.abs(b.after - b.before) - Math.abs(a.after - a.before) ||
      b.after - a.after ||
      a.targetId.localeCompare(b.targetId),
  );
}
