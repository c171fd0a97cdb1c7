import { forwardReachesTargets } from '../../rules/forward-reaches-targets';
import { percent } from '../../rules/rule-helpers';
import { comparisonOf, defineStaticRule, staticPlaceOf, type RuleFinding } from './static-rule';

/**
 * The core's `forward-reaches-targets` on a template: a request class whose forward has total weight 0,
 * or goes only to groups whose fixed target list is empty, is an error (every request gets 503); part of
 * a class going to an empty group is a warning. A group whose targets the template does not fix is
 * never "empty"; a fixed response or redirect in a template is a choice, not a finding.
 */
export const staticForwardReachesTargets = defineStaticRule({
  id: 'forward-reaches-targets',
  title: 'Every request class that is forwarded reaches a registered target',
  severity: 'error',
  rationale: forwardReachesTargets.rationale,
  policyRule: forwardReachesTargets,
  evaluate({ params, lb, routing }) {
    const findings: RuleFinding[] = [];
    for (const core of forwardReachesTargets.evaluate({ params, routing })) {
      const comparison = comparisonOf(routing, core.requestClass);
      const where = staticPlaceOf(lb, core.requestClass);
      const outcome = comparison?.after.route.outcome;
      if (comparison === undefined || where === undefined || outcome?.kind !== 'forward') continue;
      const traffic = comparison.after.traffic;
      const weighted = outcome.forward.targetGroups.filter((g) => g.weight > 0);
      const empty = weighted.filter((g) => lb.groups.get(g.targetGroupArn)?.fixedTargets === 0).map((g) => lb.groups.get(g.targetGroupArn)?.name ?? g.targetGroupArn);
      const which = `target group${empty.length === 1 ? '' : 's'} ${empty.join(', ')}, which ${empty.length === 1 ? 'has' : 'have'} no targets`;
      const what = comparison.requestClass.phrase;
      const base = { ruleId: 'forward-reaches-targets', logicalId: where.logicalId, resourceType: where.resourceType, loadBalancer: lb.name, requestClass: comparison.requestClass.label };
      if (traffic === undefined || traffic.unroutable) {
        const why = weighted.length === 0 ? 'forwards with total weight 0' : `forwards only to ${which}`;
        findings.push({ ...base, severity: 'error', message: `${where.label} ${why}: ${what} would get 503`, numbers: { unrouted: 1 } });
      } else if (traffic.unroutedShare > 0) {
        findings.push({ ...base, severity: 'warning', message: `${where.label} sends ${percent(traffic.unroutedShare)} of ${what} to ${which}: those requests would get 503`, numbers: { unrouted: traffic.unroutedShare } });
      }
    }
    return findings;
  },
});
