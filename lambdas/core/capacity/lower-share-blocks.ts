import type { Finding } from '../policy/verdict';
import type { RoutingComparison } from '../routing/compare-routing';
import { limitOf, type CapacityAssessment, type TargetAssessment } from './assess-capacity';
import { capacityText } from './capacity-messages';
import { rateText, unitText } from './load-types';

/** The share rules whose blocks load can lower. */
const SHARE_RULES = new Set(['max-target-share', 'healthy-target-cut']);

/**
 * A share rule blocks by configuration alone; when the load says every target of the class stays within what
 * it has proven (plus the margin), the block becomes a warning with the numbers: moving a quiet class onto
 * one server that has carried far more is no outage. A target of the class without a known capacity, or
 * without metrics at all, keeps the block.
 */
export function lowerShareBlocks(findings: readonly Finding[], routing: RoutingComparison, assessment: CapacityAssessment): Finding[] {
  if (assessment.basis !== 'metrics') return [...findings];
  const byId = new Map(assessment.targets.map((t) => [t.prediction.targetId, t]));
  // Lambda and ALB groups hold one target by API design: the share rules leave them out, and so does this.
  const single = new Set(routing.after.snapshot.targetGroups.filter((g) => g.targetType === 'lambda' || g.targetType === 'alb').map((g) => g.arn));
  return findings.map((finding) => {
    if (finding.severity !== 'block' || !SHARE_RULES.has(finding.ruleId) || finding.requestClass === undefined) return finding;
    const ref = finding.requestClass;
    const classes = routing.classes.filter((c) => c.requestClass.label === ref.label && c.requestClass.listenerPort === ref.listenerPort);
    const ids = new Set(classes.flatMap((c) => (c.after.traffic?.targets ?? []).filter((t) => t.share > 0 && !single.has(t.targetGroupArn)).map((t) => t.targetId)));
    if (ids.size === 0) return finding;
    let worst: TargetAssessment | undefined;
    for (const id of ids) {
      const target = byId.get(id);
      if (target?.capacity === undefined || target.prediction.after > limitOf(target.capacity, assessment.settings)) return finding;
      if (worst?.capacity === undefined || target.prediction.after / target.capacity.perTargetPerMinute > worst.prediction.after / worst.capacity.perTargetPerMinute) worst = target;
    }
    if (worst?.capacity === undefined) return finding;
    const within = `${worst.prediction.targetId} would receive about ${rateText(worst.prediction.after)} ${unitText(assessment.metric)}; ${capacityText(worst, worst.capacity, assessment)}`;
    return { ...finding, severity: 'warn' as const, message: `${finding.message}; lowered to a warning: the load stays within proven capacity (${within})` };
  });
}
