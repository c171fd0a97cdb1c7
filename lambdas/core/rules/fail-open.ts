import * as z from 'zod';
import type { Finding } from '../policy/verdict';
import { defineRule } from './rule';
import { groupShares } from '../traffic/path-shares';
import { forwardingPaths, groupName, percent, samePath } from './rule-helpers';

/**
 * A target group with no healthy target fails open: ELB sends its share to every registered target
 * regardless of health. Traffic still flows, but to servers that failed their checks — worth a warning,
 * never a revert (it is a health problem, not a configuration one). Pre-existing: info.
 */
export const failOpen = defineRule({
  id: 'fail-open',
  title: 'Target groups on a path have at least one healthy target',
  severity: 'warn',
  rationale: 'With no healthy target ELB fails open and sends traffic to unhealthy servers; the path works only by luck.',
  params: z.strictObject({}),
  defaults: {},
  evaluate({ before, after }) {
    const findings: Finding[] = [];
    for (const path of forwardingPaths(after)) {
      const was = samePath(before, path);
      const shares = groupShares(path);
      for (const arn of path.failOpenTargetGroupArns) {
        const group = shares.find((g) => g.targetGroupArn === arn);
        const share = group?.share ?? 0;
        const count = group?.targets ?? 0;
        const already = was?.failOpenTargetGroupArns.includes(arn) ?? false;
        const name = groupName(after.snapshot, arn);
        findings.push({
          ruleId: 'fail-open',
          severity: already ? 'info' : 'warn',
          message:
            `${name} has no healthy target: ELB fails open and sends its ${percent(share)} of ${path.path.label} traffic ` +
            `to all ${count} registered target${count === 1 ? '' : 's'} regardless of health`,
          path: path.path,
          targetGroupArn: arn,
          numbers: { share, registered: count },
        });
      }
    }
    return findings;
  },
});
