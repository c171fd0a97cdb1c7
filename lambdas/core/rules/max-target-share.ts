import * as z from '../zod';
import type { Finding } from '../policy/verdict';
import { serverShare, serversAbove } from '../traffic/forward-shares';
import { defineRule } from './rule';
import { EPSILON, NO_BASELINE, NO_ROUTE_BEFORE, classHead, classRef, percent } from './rule-helpers';
import { isSingleTargetType } from './target-types';

/**
 * No single server may receive more than `limitPercent` of a request class after a change: the May 19
 * outage in one sentence, whatever call made it (a weight flip, a new rule, a deleted one, a reordering).
 * A concentration that already existed is only a warning (the watchdog never reverts a risk the change
 * did not create), and so is the route of a class that had no working route before.
 */
export const maxTargetShare = defineRule({
  id: 'max-target-share',
  title: 'No single target receives more than the limit of a request class',
  severity: 'block',
  rationale:
    'When one server receives most of a class of requests, its failure takes them down; May 19 sent 100% to one ' +
    'server and the site was down for 2.5 hours.',
  params: z.strictObject({
    limitPercent: z.number().check(z.gt(0), z.lte(100)),
    /** Judge lambda and alb target groups (one target each by API design) as single servers too. */
    includeLambdaAndAlbTargets: z.boolean(),
  }),
  defaults: { limitPercent: 50, includeLambdaAndAlbTargets: false },
  evaluate({ params, routing }) {
    const limit = params.limitPercent / 100;
    const skip = params.includeLambdaAndAlbTargets ? () => false : isSingleTargetType;
    const findings: Finding[] = [];
    for (const comparison of routing.classes) {
      const after = comparison.after.traffic;
      if (after === undefined) continue;
      const before = comparison.before;
      for (const { targetId, share, targetGroupArns } of serversAbove(after, limit + EPSILON, skip)) {
        const was = serverShare(before?.traffic, targetId);
        const noBaseline = routing.before === undefined;
        const already = before !== undefined && was > limit + EPSILON;
        const noRouteBefore = before !== undefined && !before.working;
        const wasText = noBaseline ? 'before unknown' : `was ${percent(was)}`;
        const tail = noBaseline ? NO_BASELINE : already ? ' (unchanged risk: it already did before the change)' : noRouteBefore ? NO_ROUTE_BEFORE : '';
        findings.push({
          ruleId: 'max-target-share',
          severity: noBaseline || already || noRouteBefore ? 'warn' : 'block',
          message: `${classHead(comparison)}: ${targetId} would receive ${percent(share)}, ${wasText}; limit ${percent(limit)}${tail}`,
          requestClass: classRef(comparison),
          targetId,
          ...(targetGroupArns.length === 1 && { targetGroupArn: targetGroupArns[0] }),
          numbers: { after: share, ...(!noBaseline && { before: was }), limit },
        });
      }
    }
    return findings;
  },
});
