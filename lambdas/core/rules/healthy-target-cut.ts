import * as z from '../zod';
import type { Finding } from '../policy/verdict';
import { defineRule } from './rule';
import { EPSILON, classHead, classRef, healthyTargetsText, percent } from './rule-helpers';
import { reachesSingleTargetType } from './target-types';

/** Capacity comparisons tolerate this much: shares of weights are floats. */
const CAPACITY_EPSILON = 1e-6;

/**
 * A change may not cut the healthy capacity serving a request class by more than `maxCutPercent`, nor
 * leave less than `minHealthyTargets` where there was at least that much. Capacity is counted by the
 * share each healthy target receives ((Σs)²/Σs²), not by membership in a group with a non-zero weight:
 * a 1/999 cutover to a 2-target group cuts capacity exactly as a 0/100 one does. Needs a baseline
 * (a cut is relative); classes that lost their route entirely are left to `forward-reaches-targets`.
 */
export const healthyTargetCut = defineRule({
  id: 'healthy-target-cut',
  title: 'A change does not cut the healthy capacity of a request class too far',
  severity: 'block',
  rationale: 'Fewer healthy servers means more load on each; cutting half of them at once, or down to one, turns a routine change into an outage.',
  params: z.strictObject({
    maxCutPercent: z.number().check(z.gte(0), z.lte(100)),
    minHealthyTargets: z.int().check(z.gte(1)),
    /** Count lambda and alb target groups (one target each by API design) as one server each. */
    includeLambdaAndAlbTargets: z.boolean(),
  }),
  defaults: { maxCutPercent: 50, minHealthyTargets: 2, includeLambdaAndAlbTargets: false },
  evaluate({ params, routing }) {
    if (routing.before === undefined) return [];
    const findings: Finding[] = [];
    for (const comparison of routing.classes) {
      const before = comparison.before?.traffic;
      const after = comparison.after.traffic;
      if (before === undefined || after === undefined || after.unroutable || before.healthyCapacity < CAPACITY_EPSILON) continue;
      if (!params.includeLambdaAndAlbTargets && (reachesSingleTargetType(before) || reachesSingleTargetType(after))) continue;
      const hb = before.healthyCapacity;
      const ha = after.healthyCapacity;
      const cut = (hb - ha) / hb;
      const head = `${classHead(comparison)}: would be served by ${healthyTargetsText(ha)}, was ${healthyTargetsText(hb).replace(/ healthy targets?$/, '')}`;
      const numbers = { before: hb, after: ha, cut, maxCut: params.maxCutPercent / 100, minHealthy: params.minHealthyTargets };
      const base = { ruleId: 'healthy-target-cut', severity: 'block' as const, requestClass: classRef(comparison), numbers };
      if (cut > params.maxCutPercent / 100 + EPSILON + CAPACITY_EPSILON) {
        findings.push({ ...base, message: `${head} (-${percent(cut)}); limit -${percent(params.maxCutPercent / 100)}` });
      } else if (hb >= params.minHealthyTargets - CAPACITY_EPSILON && ha < params.minHealthyTargets - CAPACITY_EPSILON) {
        findings.push({ ...base, message: `${head}; minimum ${params.minHealthyTargets}` });
      }
    }
    return findings;
  },
});
