import { maxTargetShare } from '../../rules/max-target-share';
import { EPSILON, percent } from '../../rules/rule-helpers';
import { isPlaceholderTarget } from '../static-model';
import { counted, defineStaticRule, staticPathOf, type RuleFinding } from './static-rule';

/**
 * The core's `max-target-share` on a template: every path is new, so any target above the limit is an
 * error. Reported once per path and target group ("sends 100% to target group Green (1 target)"),
 * since that is what a person changes; groups whose targets the template does not fix are skipped.
 */
export const staticMaxTargetShare = defineStaticRule({
  id: 'max-target-share',
  title: 'No single target receives more than the limit of a path',
  severity: 'error',
  rationale: maxTargetShare.rationale,
  policyRule: maxTargetShare,
  evaluate({ params, lb, traffic, baseline }) {
    const findings = new Map<string, RuleFinding>();
    for (const core of maxTargetShare.evaluate({ params, before: baseline, after: traffic })) {
      if (core.severity !== 'block' || core.path === undefined || core.targetId === undefined || isPlaceholderTarget(core.targetId)) continue;
      const path = traffic.find(core.path);
      const where = path === undefined ? undefined : staticPathOf(lb, path);
      if (path === undefined || where === undefined) continue;
      const limit = params.limitPercent / 100;
      const share = core.numbers?.after ?? 0;
      const via = path.targets.filter((t) => t.targetId === core.targetId);
      const arns = [...new Set(via.map((t) => t.targetGroupArn))];
      const base = { ruleId: 'max-target-share', severity: 'error' as const, logicalId: where.logicalId, resourceType: where.resourceType, loadBalancer: lb.name, path: where.label };
      // The core lists the largest share first: keep that one per path and group.
      const key = `${where.logicalId}#${arns.length === 1 ? arns[0] : core.targetId}`;
      if (findings.has(key)) continue;
      if (arns.length !== 1) {
        const names = arns.map((arn) => lb.groups.get(arn)?.name ?? arn).join(', ');
        findings.set(key, {
          ...base,
          message: `${where.label} sends ${percent(share)} to target ${core.targetId} through target groups ${names}: limit ${percent(limit)}`,
          numbers: { targetShare: share, limit },
        });
        continue;
      }
      const group = lb.groups.get(arns[0]);
      const inGroup = path.targets.filter((t) => t.targetGroupArn === arns[0]);
      const groupShare = inGroup.reduce((sum, t) => sum + t.share, 0);
      const n = inGroup.length;
      const even = inGroup.every((t) => Math.abs(t.share - groupShare / n) < EPSILON);
      const detail = n === 1 ? counted(1, 'target') : even ? `${counted(n, 'target')}, ${percent(groupShare / n)} each` : `${counted(n, 'target')}; ${core.targetId} gets ${percent(share)}`;
      findings.set(key, {
        ...base,
        message: `${where.label} sends ${percent(groupShare)} to target group ${group?.name ?? arns[0]} (${detail}): limit ${percent(limit)}`,
        targetGroup: group?.logicalId ?? group?.name,
        numbers: { groupShare, targetShare: share, targets: n, limit },
      });
    }
    return [...findings.values()];
  },
});
