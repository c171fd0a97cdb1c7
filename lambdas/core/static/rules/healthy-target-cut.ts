import { healthyTargetCut } from '../../rules/healthy-target-cut';
import { forwardingPaths, percent } from '../../rules/rule-helpers';
import { groupShares } from '../../traffic/path-shares';
import { CFN_TYPES } from '../static-model';
import { counted, defineStaticRule, staticPathOf, type RuleFinding } from './static-rule';

/**
 * The template-time side of `healthy-target-cut`: a change may not leave fewer than
 * `minHealthyTargets` serving a path, and a template that *starts* a group below it (one fixed target,
 * by default) makes that server a single point of failure for its share of every path it serves.
 * A warning on the target group (add a target), not an error: the share may be small and on purpose.
 */
export const staticHealthyTargetCut = defineStaticRule({
  id: 'healthy-target-cut',
  title: 'A target group serving a path has at least the minimum of targets',
  severity: 'warning',
  rationale: 'A group with a single server fails its whole share of a path when that server fails; with two or more, one failure is absorbed.',
  policyRule: healthyTargetCut,
  evaluate({ params, lb, traffic }) {
    const served = new Map<string, { label: string; share: number }[]>();
    for (const path of forwardingPaths(traffic)) {
      const where = staticPathOf(lb, path);
      if (where === undefined) continue;
      for (const { targetGroupArn, share } of groupShares(path)) {
        const fixed = lb.groups.get(targetGroupArn)?.fixedTargets;
        if (fixed === undefined || fixed === 0 || fixed >= params.minHealthyTargets) continue;
        served.set(targetGroupArn, [...(served.get(targetGroupArn) ?? []), { label: where.label, share }]);
      }
    }
    const findings: RuleFinding[] = [];
    for (const [arn, paths] of served) {
      const group = lb.groups.get(arn);
      if (group?.logicalId === undefined || group.fixedTargets === undefined) continue;
      const [first, ...more] = [...paths].sort((a, b) => b.share - a.share);
      const also = more.length === 0 ? '' : ` and ${counted(more.length, 'other path')}`;
      findings.push({
        ruleId: 'healthy-target-cut',
        severity: 'warning',
        logicalId: group.logicalId,
        resourceType: CFN_TYPES.targetGroup,
        message:
          `target group ${group.name} has ${counted(group.fixedTargets, 'fixed target')} and serves ${percent(first.share)} of ${first.label}${also}: ` +
          `minimum ${params.minHealthyTargets}, or one failure fails that traffic`,
        loadBalancer: lb.name,
        path: first.label,
        targetGroup: group.logicalId,
        numbers: { targets: group.fixedTargets, minHealthy: params.minHealthyTargets, share: first.share },
      });
    }
    return findings;
  },
});
