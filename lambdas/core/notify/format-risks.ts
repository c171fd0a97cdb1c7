import type { Notification } from '../ports';
import type { Finding } from '../policy/verdict';
import type { BaselineRejection } from '../trust/check-baseline';

/** What the scheduled audit found on one load balancer that people have not been told yet. */
export interface RiskReport {
  readonly loadBalancerArn: string;
  readonly loadBalancerName: string;
  /** Risks that exist now and did not come from a change the watchdog judged (e.g. a single-target path). */
  readonly risks: readonly Finding[];
  /** An unsafe difference from last known good that no change event explained (lost or in flight). */
  readonly unsafeDrift: readonly Finding[];
  /** The stored baseline was not the watchdog's: the audit replaced it with the configuration as it is now. */
  readonly rejectedBaseline?: BaselineRejection;
}

function subjectOf(report: RiskReport): string {
  if (report.rejectedBaseline !== undefined) return `BASELINE REJECTED: ${report.loadBalancerName} has a fresh baseline`;
  if (report.unsafeDrift.length > 0) return `DRIFT: ${report.loadBalancerName} differs unsafely from its last known good`;
  return `RISK: ${report.loadBalancerName} has a pre-existing traffic risk`;
}

/** One notification per load balancer for risks, drift and rejected baselines found by the audit, each reported once. */
export function formatRisks(report: RiskReport): Notification {
  const drift = report.unsafeDrift.length > 0;
  const subject = subjectOf(report);
  const lines = [subject, '', `Load balancer: ${report.loadBalancerArn}`];
  if (report.rejectedBaseline !== undefined) {
    lines.push(
      '',
      `The stored baseline (last known good) was rejected: ${report.rejectedBaseline.reason}.`,
      'It was replaced by the configuration as it is now, signed by the watchdog: enforcement resumes from it.',
      'Someone other than the watchdog can write its state table: check who (CloudTrail data events, the table\'s resource policy).',
    );
  }
  if (drift) {
    lines.push('', 'Unsafe difference from the last known good configuration that no change event explained', '(a lost CloudTrail event, or one still on its way; run `elb-watchdog history` to check):');
    for (const finding of report.unsafeDrift) lines.push(`  ✗ ${finding.ruleId}: ${finding.message}`);
  }
  if (report.risks.length > 0) {
    lines.push('', 'Risks in the current configuration (reported once; they were not introduced by a judged change):');
    for (const finding of report.risks) lines.push(`  ! ${finding.ruleId}: ${finding.message}`);
  }
  lines.push('', '--- machine-readable ---', JSON.stringify(report));
  const kind = report.rejectedBaseline !== undefined ? 'baseline-rejected' : drift ? 'drift' : 'risk';
  return { subject, body: lines.join('\n'), attributes: { kind, loadBalancer: report.loadBalancerArn } };
}
