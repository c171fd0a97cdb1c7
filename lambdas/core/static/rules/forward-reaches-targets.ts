import { forwardReachesTargets } from '../../rules/forward-reaches-targets';
import { actionsOf, percent } from '../../rules/rule-helpers';
import { defineStaticRule, staticPathOf, type RuleFinding } from './static-rule';

/**
 * The core's `forward-reaches-targets` on a template: a forward with total weight 0, or only to groups
 * whose fixed target list is empty, is an error (every request gets 503); part of a path going to an
 * empty group is a warning. A group whose targets the template does not fix is never "empty".
 */
export const staticForwardReachesTargets = defineStaticRule({
  id: 'forward-reaches-targets',
  title: 'Every forward reaches at least one registered target',
  severity: 'error',
  rationale: forwardReachesTargets.rationale,
  policyRule: forwardReachesTargets,
  evaluate({ params, lb, traffic, baseline }) {
    const findings: RuleFinding[] = [];
    for (const core of forwardReachesTargets.evaluate({ params, before: baseline, after: traffic })) {
      const path = core.path === undefined ? undefined : traffic.find(core.path);
      const where = path === undefined ? undefined : staticPathOf(lb, path);
      if (path === undefined || where === undefined) continue;
      const weighted = (actionsOf(lb.snapshot, path).find((a) => a.type === 'forward')?.forward?.targetGroups ?? []).filter((g) => g.weight > 0);
      const empty = weighted.filter((g) => lb.groups.get(g.targetGroupArn)?.fixedTargets === 0).map((g) => lb.groups.get(g.targetGroupArn)?.name ?? g.targetGroupArn);
      const which = `target group${empty.length === 1 ? '' : 's'} ${empty.join(', ')}, which ${empty.length === 1 ? 'has' : 'have'} no targets`;
      const base = { ruleId: 'forward-reaches-targets', logicalId: where.logicalId, resourceType: where.resourceType, loadBalancer: lb.name, path: where.label };
      if (path.unroutable) {
        const why = weighted.length === 0 ? 'forwards with total weight 0' : `forwards only to ${which}`;
        findings.push({ ...base, severity: 'error', message: `${where.label} ${why}: every request would get 503`, numbers: { unrouted: 1 } });
      } else if ((path.unroutedShare ?? 0) > 0) {
        const share = path.unroutedShare ?? 0;
        findings.push({ ...base, severity: 'warning', message: `${where.label} sends ${percent(share)} to ${which}: those requests would get 503`, numbers: { unrouted: share } });
      }
    }
    return findings;
  },
});
