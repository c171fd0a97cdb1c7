import * as z from '../zod';
import type { LoadBalancerSnapshot } from '../model/snapshot';
import type { ClassSide } from '../routing/compare-routing';
import type { Finding } from '../policy/verdict';
import { defineRule } from './rule';
import { NO_BASELINE, classHead, classRef, groupName, percent } from './rule-helpers';

/** Why a side gives its class no working answer, in words. */
function whyNoRoute(side: ClassSide, snapshot: LoadBalancerSnapshot): string {
  const outcome = side.route.outcome;
  switch (outcome.kind) {
    case 'no-listener':
      return 'no listener: connections are refused';
    case 'no-route':
      return outcome.reason;
    case 'fixed-response':
      return `a fixed ${outcome.statusCode} response`;
    case 'redirect':
      return 'a redirect';
    case 'forward': {
      const weighted = outcome.forward.targetGroups.filter((g) => g.weight > 0);
      if (weighted.length === 0) return 'a forward with total weight 0, answered with 503';
      const names = weighted.map((g) => groupName(snapshot, g.targetGroupArn)).join(', ');
      return `a forward to ${names}, where no target can take requests, answered with 503`;
    }
  }
}

/** The same answer on both sides (a fixed response kept as it was is a choice, not a risk). */
function sameAnswer(before: ClassSide | undefined, after: ClassSide): boolean {
  return before !== undefined && before.route.outcome.key === after.route.outcome.key;
}

/**
 * A request class that had a working route keeps one: a forward that reaches a target, a redirect, or a
 * fixed 2xx/3xx answer. Losing it (a forward to nothing, a fixed 5xx, a deleted listener, a redirect
 * loop) takes those requests down just as weight 0 does: block. A fixed 4xx where requests were served
 * is a warning (a deliberate refusal is possible); a class that had no working route before is never
 * blocked; part of a class going nowhere is a warning.
 */
export const forwardReachesTargets = defineRule({
  id: 'forward-reaches-targets',
  title: 'A request class that had a working route keeps one',
  severity: 'block',
  rationale: 'A forward with total weight 0, to empty target groups, a fixed 5xx or a deleted listener fails every request of the class.',
  params: z.strictObject({}),
  defaults: {},
  evaluate({ routing }) {
    const findings: Finding[] = [];
    const noBaseline = routing.before === undefined;
    for (const comparison of routing.classes) {
      const { before, after } = comparison;
      const head = classHead(comparison);
      const base = { ruleId: 'forward-reaches-targets', requestClass: classRef(comparison) };
      if (!after.working) {
        const isFixed = after.route.outcome.kind === 'fixed-response';
        if (sameAnswer(before, after) && (isFixed || after.route.outcome.kind === 'no-listener')) continue;
        const why = whyNoRoute(after, routing.after.snapshot);
        if (noBaseline) {
          if (!isFixed) findings.push({ ...base, severity: 'warn', message: `${head}: no working route: ${why}${NO_BASELINE}`, numbers: { unrouted: 1 } });
          continue;
        }
        if (before?.working !== true) {
          if (!isFixed) findings.push({ ...base, severity: 'warn', message: `${head}: no working route: ${why} (unchanged: it had none before the change)`, numbers: { unrouted: 1 } });
          continue;
        }
        const clientError = isFixed && !/^5/.test(after.route.outcome.kind === 'fixed-response' ? after.route.outcome.statusCode : '');
        findings.push({
          ...base,
          severity: clientError ? 'warn' : 'block',
          message: `${head}: had a working route, would now get ${why}`,
          numbers: { unrouted: 1 },
        });
        continue;
      }
      const lost = after.traffic?.unroutedShare ?? 0;
      if (lost > 0) {
        const was = before?.traffic?.unroutedShare ?? 0;
        if (was >= lost - 1e-9 && !noBaseline) continue;
        findings.push({
          ...base,
          severity: 'warn',
          message: `${head}: ${percent(lost)} of its requests would go to target groups or zones with no target that can take them; those fail with 503`,
          numbers: { unrouted: lost },
        });
      }
    }
    return findings;
  },
});
