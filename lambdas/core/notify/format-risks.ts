import type { Notification } from '../ports';
import type { Finding } from '../policy/verdict';

/** What the scheduled audit found on one load balancer that people have not been told yet. */
export interface RiskReport {
  readonly loadBalancerArn: string;
  readonly loadBalancerName: string;
  /** Risks that exist now and did not come from a change the watchdog judged (e.g. a single-target path). */
  readonly risks: readonly Finding[];
  /** An unsafe difference from last known good that no change event explained (lost or in flight). */
  readonly unsafeDrift: readonly Finding[];
}

/** One notification per load balancer for risks and drift found by the audit, each reported once. */
export function formatRisks(report: RiskReport): Notification {
  const drift = report.unsafeDrift.length > 0;
  const subject = `${drift ? 'DRIFT' : 'RISK'}: ${report.loadBalancerName} ${drift ? 'differs unsafely from its last known good' : 'has a pre-existing traffic risk'}`;
  const lines = [subject, '', `Load balancer: ${report.loadBalancerArn}`];
  if (drift) {
    lines.push('', 'Unsafe difference from the last known good configuration that no change event explained', '(a lost CloudTrail event, or one still on its way; run `elb-watchdog history` to check):');
    for (const finding of report.unsafeDrift) lines.push(`  ✗ ${finding.ruleId}: ${finding.message}`);
  }
  if (report.risks.length > 0) {
    lines.push('', 'Risks in the current configuration (reported once; they were not introduced by a judged change):');
    for (const finding of report.risks) lines.push(`  ! ${finding.ruleId}: ${finding.message}`);
  }
  lines.push('', '--- machine-readable ---', JSON.stringify(report));
  return { subject, body: lines.join('\n'), attributes: { kind: drift ? 'drift' : 'risk', loadBalancer: report.loadBalancerArn } };
}
