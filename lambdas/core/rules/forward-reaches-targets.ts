import * as z from 'zod';
import type { LoadBalancerSnapshot } from '../model/snapshot';
import type { Finding } from '../policy/verdict';
import type { PathTraffic } from '../traffic/types';
import { defineRule } from './rule';
import { NO_BASELINE, actionsOf, forwardingPaths, groupName, percent, samePath } from './rule-helpers';

function whyUnroutable(snapshot: LoadBalancerSnapshot, path: PathTraffic): string {
  const groups = actionsOf(snapshot, path).find((a) => a.type === 'forward')?.forward?.targetGroups ?? [];
  const weighted = groups.filter((g) => g.weight > 0);
  if (weighted.length === 0) return 'total weight 0';
  return `${weighted.map((g) => groupName(snapshot, g.targetGroupArn)).join(', ')} ${weighted.length === 1 ? 'has' : 'have'} no registered target`;
}

/**
 * A forward must reach at least one registered target: total weight above 0 to a group that has
 * targets. A path that forwards nowhere answers every request with 503. Part of a path going to an
 * empty group is a warning (those requests fail, the rest are served).
 */
export const forwardReachesTargets = defineRule({
  id: 'forward-reaches-targets',
  title: 'Every forward reaches at least one registered target',
  severity: 'block',
  rationale: 'A forward with total weight 0, or only to empty target groups, fails every request on its path with 503.',
  params: z.strictObject({}),
  defaults: {},
  evaluate({ before, after }) {
    const findings: Finding[] = [];
    for (const path of forwardingPaths(after)) {
      const was = samePath(before, path);
      if (path.unroutable) {
        const already = was !== undefined && !was.nonForwarding && was.unroutable;
        const tail = before === undefined ? NO_BASELINE : already ? ' (unchanged: it already did before the change)' : '';
        findings.push({
          ruleId: 'forward-reaches-targets',
          severity: before === undefined || already ? 'warn' : 'block',
          message: `${path.path.label} would forward to no registered target (${whyUnroutable(after.snapshot, path)})${tail}`,
          path: path.path,
          numbers: { unrouted: 1 },
        });
      } else if ((path.unroutedShare ?? 0) > 0) {
        findings.push({
          ruleId: 'forward-reaches-targets',
          severity: 'warn',
          message: `${percent(path.unroutedShare ?? 0)} of ${path.path.label} traffic would go to target groups with no registered target; those requests fail with 503`,
          path: path.path,
          numbers: { unrouted: path.unroutedShare ?? 0 },
        });
      }
    }
    return findings;
  },
});
