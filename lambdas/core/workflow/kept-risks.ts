import { shareChanges } from '../notify/share-diff';
import type { Verdict } from '../policy/verdict';

/**
 * True when a verdict only warns about request classes the change did not move: risks the load balancer
 * had before and still has, not risks the change made. An Auto Scaling registration in one group warned
 * again, at every scale event, about another path that a single target served since earlier (chaos seed 303
 * in npm test). The audit reports such risks once (RISK); telling them on every change of automation is the
 * noise that gets a guard switched off. A warning without a request class counts as moved.
 */
export function onlyKeptRisks(verdict: Verdict): boolean {
  if (verdict.decision !== 'warn') return false;
  const moved = new Set(shareChanges(verdict.routing).map((row) => row.requestClass));
  // Notes (`info`, such as "judged by shares, not load") are context, not warnings.
  const warnings = verdict.findings.filter((finding) => finding.severity !== 'info');
  return warnings.every((finding) => finding.severity === 'warn' && finding.requestClass !== undefined && !moved.has(finding.requestClass.label));
}
