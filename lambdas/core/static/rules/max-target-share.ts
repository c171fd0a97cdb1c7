import { maxTargetShare } from '../../rules/max-target-share';
import { EPSILON, percent } from '../../rules/rule-helpers';
import { isPlaceholderTarget } from '../static-model';
import { comparisonOf, counted, defineStaticRule, staticPlaceOf, type RuleFinding } from './static-rule';

/**
 * The core's `max-target-share` on a template: every route is new, so any target above the limit is an
 * error. Reported once per request class and target group ("sends 100% to target group Green (1
 * target)"), on the rule or listener that sends it, since that is what a person changes; groups whose
 * targets the template does not fix are skipped.
 */
export const staticMaxTargetShare = defineStaticRule({
  id: 'max-target-share',
  title: 'No single target receives more than the limit of a request class',
  severity: 'error',
  rationale: maxTargetShare.rationale,
  policyRule: maxTargetShare,
  evaluate({ params, lb, routing }) {
    const findings = new Map<string, RuleFinding>();
    for (const core of maxTargetShare.evaluate({ params, routing })) {
      if (core.targetId === undefined || isPlaceholderTarget(core.targetId)) continue;
      const where = staticPlaceOf(lb, core.requestClass);
      const comparison = comparisonOf(routing, core.requestClass);
      const traffic = comparison?.after.traffic;
      if (where === undefined || traffic === undefined || comparison === undefined || core.requestClass === undefined) continue;
      const limit = params.limitPercent / 100;
      const share = core.numbers?.after ?? 0;
      const via = traffic.targets.filter((t) => t.targetId === core.targetId);
      const arns = [...new Set(via.map((t) => t.targetGroupArn))];
      const what = comparison.requestClass.phrase;
      const base = { ruleId: 'max-target-share', severity: 'error' as const, logicalId: where.logicalId, resourceType: where.resourceType, loadBalancer: lb.name, requestClass: core.requestClass.label };
      // The core lists the largest share first: keep that one per class and group.
      const key = `${core.requestClass.label}#${arns.length === 1 ? arns[0] : core.targetId}`;
      if (findings.has(key)) continue;
      if (arns.length !== 1) {
        const names = arns.map((arn) => lb.groups.get(arn)?.name ?? arn).join(', ');
        findings.set(key, {
          ...base,
          message: `${where.label} sends ${percent(share)} of ${what} to target ${core.targetId} through target groups ${names}: limit ${percent(limit)}`,
          numbers: { targetShare: share, limit },
        });
        continue;
      }
      const group = lb.groups.get(arns[0]);
      const inGroup = traffic.targets.filter((t) => t.targetGroupArn === arns[0]);
      const groupShare = inGroup.reduce((sum, t) => sum + t.share, 0);
      const n = inGroup.length;
      const even = inGroup.every((t) => Math.abs(t.share - groupShare / n) < EPSILON);
      const detail = n === 1 ? counted(1, 'target') : even ? `${counted(n, 'target')}, ${percent(groupShare / n)} each` : `${counted(n, 'target')}; ${core.targetId} gets ${percent(share)}`;
      findings.set(key, {
        ...base,
        message: `${where.label} sends ${percent(groupShare)} of ${what} to target group ${group?.name ?? arns[0]} (${detail}): limit ${percent(limit)}`,
        targetGroup: group?.logicalId ?? group?.name,
        numbers: { groupShare, targetShare: share, targets: n, limit },
      });
    }
    return [...findings.values()];
  },
});
