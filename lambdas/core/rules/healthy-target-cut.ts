import * as z from 'zod';
import type { Finding } from '../policy/verdict';
import { defineRule } from './rule';
import { EPSILON, forwardingPaths, percent, samePath } from './rule-helpers';

/**
 * A change may not cut the healthy targets serving a path by more than `maxCutPercent`, nor leave fewer
 * than `minHealthyTargets` where there were at least that many. Catches the slow road to May 19:
 * deregistering all but one server, or shifting weight to a group that is mostly unhealthy.
 * Needs a baseline (a cut is relative); a path that is new, or stopped forwarding, is left to the
 * other rules.
 */
export const healthyTargetCut = defineRule({
  id: 'healthy-target-cut',
  title: 'A change does not cut the healthy targets of a path too far',
  severity: 'block',
  rationale: 'Fewer healthy servers means more load on each; cutting half of them at once, or down to one, turns a routine change into an outage.',
  params: z.strictObject({ maxCutPercent: z.number().min(0).max(100), minHealthyTargets: z.number().int().min(1) }),
  defaults: { maxCutPercent: 50, minHealthyTargets: 2 },
  evaluate({ params, before, after }) {
    if (before === undefined) return [];
    const findings: Finding[] = [];
    for (const path of forwardingPaths(after)) {
      const was = samePath(before, path);
      if (was === undefined || was.nonForwarding || was.healthyTargets === 0) continue;
      const hb = was.healthyTargets;
      const ha = path.healthyTargets;
      const cut = (hb - ha) / hb;
      const noun = ha === 1 ? 'target' : 'targets';
      const head = `${path.path.label} would be served by ${ha} healthy ${noun}, was ${hb}`;
      const numbers = { before: hb, after: ha, cut, maxCut: params.maxCutPercent / 100, minHealthy: params.minHealthyTargets };
      if (cut > params.maxCutPercent / 100 + EPSILON) {
        findings.push({
          ruleId: 'healthy-target-cut',
          severity: 'block',
          message: `${head} (-${percent(cut)}); limit -${percent(params.maxCutPercent / 100)}`,
          path: path.path,
          numbers,
        });
      } else if (hb >= params.minHealthyTargets && ha < params.minHealthyTargets) {
        findings.push({
          ruleId: 'healthy-target-cut',
          severity: 'block',
          message: `${head}; minimum ${params.minHealthyTargets}`,
          path: path.path,
          numbers,
        });
      }
    }
    return findings;
  },
});
