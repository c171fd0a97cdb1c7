import { healthyTargetCut } from '../../rules/healthy-target-cut';
import { classRef, percent } from '../../rules/rule-helpers';
import { groupShares } from '../../traffic/forward-shares';
import { CFN_TYPES } from '../static-model';
import { counted, defineStaticRule, staticPlaceOf, type RuleFinding } from './static-rule';

/**
 * The template-time side of `healthy-target-cut`: a change may not leave fewer than
 * `minHealthyTargets` serving a request class, and a template that *starts* a group below it (one fixed
 * target, by default) makes that server a single point of failure for its share of every class it serves.
 * A warning on the target group (add a target), not an error: the share may be small and on purpose.
 */
export const staticHealthyTargetCut = defineStaticRule({
  id: 'healthy-target-cut',
  title: 'A target group serving a request class has at least the minimum of targets',
  severity: 'warning',
  rationale: 'A group with a single server fails its whole share of a request class when that server fails; with two or more, one failure is absorbed.',
  policyRule: healthyTargetCut,
  evaluate({ params, lb, routing }) {
    const served = new Map<string, { label: string; share: number }[]>();
    for (const comparison of routing.classes) {
      const traffic = comparison.after.traffic;
      if (traffic === undefined || staticPlaceOf(lb, classRef(comparison)) === undefined) continue;
      for (const { targetGroupArn, share } of groupShares(traffic)) {
        const fixed = lb.groups.get(targetGroupArn)?.fixedTargets;
        if (fixed === undefined || fixed === 0 || fixed >= params.minHealthyTargets) continue;
        served.set(targetGroupArn, [...(served.get(targetGroupArn) ?? []), { label: `${comparison.requestClass.label} of LB ${lb.name}`, share }]);
      }
    }
    const findings: RuleFinding[] = [];
    for (const [arn, paths] of served) {
      const group = lb.groups.get(arn);
      if (group?.logicalId === undefined || group.fixedTargets === undefined) continue;
      const [first, ...more] = [...paths].sort((a, b) => b.share - a.share);
      const also = more.length === 0 ? '' : ` and ${counted(more.length, 'other request class', 'other request classes')}`;
      findings.push({
        ruleId: 'healthy-target-cut',
        severity: 'warning',
        logicalId: group.logicalId,
        resourceType: CFN_TYPES.targetGroup,
        message:
          `target group ${group.name} has ${counted(group.fixedTargets, 'fixed target')} and serves ${percent(first.share)} of ${first.label}${also}: ` +
          `minimum ${params.minHealthyTargets}, or one failure fails that traffic`,
        loadBalancer: lb.name,
        requestClass: first.label,
        targetGroup: group.logicalId,
        numbers: { targets: group.fixedTargets, minHealthy: params.minHealthyTargets, share: first.share },
      });
    }
    return findings;
  },
});
