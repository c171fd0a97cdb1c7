import * as z from '../zod';
import type { Finding } from '../policy/verdict';
import { groupShares } from '../traffic/forward-shares';
import { defineRule } from './rule';
import { classHead, classRef, groupName, percent } from './rule-helpers';

/**
 * A target group with too few healthy targets fails open: ELB sends its requests to every registered
 * target regardless of health (below `target_group_health.unhealthy_state_routing` thresholds; by
 * default, when none is healthy). Traffic still flows, to servers that failed their checks: a warning,
 * never a revert (it is a health problem, not a configuration one). One finding per group, naming the
 * first class it serves; pre-existing: info.
 */
export const failOpen = defineRule({
  id: 'fail-open',
  title: 'Target groups that serve requests have enough healthy targets',
  severity: 'warn',
  rationale: 'With too few healthy targets ELB fails open and sends traffic to unhealthy servers; the requests are served only by luck.',
  params: z.strictObject({}),
  defaults: {},
  evaluate({ routing }) {
    const findings: Finding[] = [];
    const seen = new Map<string, { finding: Finding; more: number }>();
    for (const comparison of routing.classes) {
      const traffic = comparison.after.traffic;
      if (traffic === undefined) continue;
      for (const arn of traffic.failOpenTargetGroupArns) {
        const known = seen.get(arn);
        if (known !== undefined) {
          known.more += 1;
          continue;
        }
        const group = groupShares(traffic).find((g) => g.targetGroupArn === arn);
        const already = comparison.before?.traffic?.failOpenTargetGroupArns.includes(arn) ?? false;
        const count = group?.targets ?? 0;
        const finding: Finding = {
          ruleId: 'fail-open',
          severity: already ? 'info' : 'warn',
          message:
            `${classHead(comparison)}: ${groupName(routing.after.snapshot, arn)} has too few healthy targets: ELB fails open and sends its ` +
            `${percent(group?.share ?? 0)} to all ${count} registered target${count === 1 ? '' : 's'} regardless of health`,
          requestClass: classRef(comparison),
          targetGroupArn: arn,
          numbers: { share: group?.share ?? 0, registered: count },
        };
        seen.set(arn, { finding, more: 0 });
      }
    }
    for (const { finding, more } of seen.values()) {
      findings.push(more === 0 ? finding : { ...finding, message: `${finding.message} (and ${more} more request class${more === 1 ? '' : 'es'})` });
    }
    return findings;
  },
});
