import Table from 'cli-table3';
import { percent, type ShareChange } from '../../lambdas/core/notify/share-diff';
import type { Decision, Finding } from '../../lambdas/core/policy/verdict';
import { EXIT } from './exit-codes';

/**
 * How the operator commands show a verdict to a person: the decision, the findings (the same marks as
 * the notifications: ✗ blocks, ! warns) and the traffic share per target, before → after.
 */

/** A table without lines between rows (tens of targets stay readable); no colours, so it pipes cleanly. */
export function compactTable(head: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const t = new Table({
    head: [...head],
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const row of rows) t.push(row.map(String));
  return t.toString();
}

export { utc } from '../../lambdas/core/notify/time';

/** The worst of several decisions (no decisions: allow). */
export function worstDecision(decisions: readonly Decision[]): Decision {
  if (decisions.includes('block')) return 'block';
  return decisions.includes('warn') ? 'warn' : 'allow';
}

/** The exit code of a verdict for `preview` and `evaluate`: 0 allow, 1 warn, 2 block. */
export function exitCodeOfDecision(decision: Decision): number {
  return decision === 'block' ? EXIT.usage : decision === 'warn' ? EXIT.failure : EXIT.ok;
}

/** `ALLOW`, `WARN`, `BLOCK`. */
export function decisionLabel(decision: Decision): string {
  return decision.toUpperCase();
}

/** One line per warning or block, indented; info findings are left to `--json`. */
export function renderFindings(findings: readonly Finding[], indent = '  '): string[] {
  const lines = findings.filter((f) => f.severity !== 'info').map((f) => `${indent}${f.severity === 'block' ? '✗' : '!'} ${f.ruleId}: ${f.message}`);
  // Whether load (metrics) took part, or the verdict fell back to shares, and why.
  const load = findings.find((f) => f.ruleId === 'capacity-headroom' && f.severity === 'info' && f.message.startsWith('judged '));
  if (load !== undefined) lines.push(`${indent}Load: ${load.message}`);
  return lines;
}

/** The targets whose share moves, as a table (request class, target, group, before, after); largest moves first per class. */
export function renderShareChanges(changes: readonly ShareChange[], limit = 30): string[] {
  if (changes.length === 0) return ['  (no target\'s share of any request class changes)'];
  const rows = changes.slice(0, limit).map((c) => [c.requestClass, c.targetId, c.targetGroupName, percent(c.before), percent(c.after)]);
  const lines = compactTable(['request class', 'target', 'target group', 'before', 'after'], rows).split('\n');
  if (changes.length > limit) lines.push(`  … and ${changes.length - limit} more (see --json)`);
  return lines;
}

/** The largest move of a share diff as `web-5 0% → 100% (all requests on HTTP:80)`, or `-`. */
export function largestMove(diff: readonly { requestClass: string; targetId: string; before: number; after: number }[]): string {
  const largest = [...diff].sort((a, b) => Math.abs(b.after - b.before) - Math.abs(a.after - a.before))[0];
  return largest === undefined ? '-' : `${largest.targetId} ${percent(largest.before)} → ${percent(largest.after)} (${largest.requestClass})`;
}
