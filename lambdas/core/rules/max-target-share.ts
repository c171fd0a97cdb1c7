import * as z from 'zod';
import type { Finding } from '../policy/verdict';
import { defineRule } from './rule';
import { serverShare, serversAbove } from '../traffic/path-shares';
import { EPSILON, NO_BASELINE, forwardingPaths, percent, samePath } from './rule-helpers';

/**
 * No single server may receive more than `limitPercent` of a path's traffic after a change — the May 19
 * outage in one sentence. A concentration that already existed before the change is only a warning:
 * the watchdog never blocks (and so never reverts) a risk the change did not create.
 */
export const maxTargetShare = defineRule({
  id: 'max-target-share',
  title: 'No single target receives more than the limit of a path',
  severity: 'block',
  rationale:
    'When one server receives most of a path, its failure takes the path down; May 19 sent 100% to one ' +
    'server and the site was down for 2.5 hours.',
  params: z.strictObject({ limitPercent: z.number().gt(0).max(100) }),
  defaults: { limitPercent: 50 },
  evaluate({ params, before, after }) {
    const limit = params.limitPercent / 100;
    const findings: Finding[] = [];
    for (const path of forwardingPaths(after)) {
      const beforePath = samePath(before, path);
      for (const { targetId, share } of serversAbove(path, limit + EPSILON)) {
        const was = beforePath === undefined ? 0 : serverShare(beforePath, targetId);
        const already = beforePath !== undefined && was > limit + EPSILON;
        const head = `${targetId} would receive ${percent(share)} of ${path.path.label} traffic`;
        const wasText = before === undefined ? 'before unknown' : beforePath === undefined ? 'was 0% (new path)' : `was ${percent(was)}`;
        const tail = before === undefined ? NO_BASELINE : already ? ' (unchanged risk: it already did before the change)' : '';
        findings.push({
          ruleId: 'max-target-share',
          severity: before === undefined || already ? 'warn' : 'block',
          message: `${head}, ${wasText}; limit ${percent(limit)}${tail}`,
          path: path.path,
          targetId,
          numbers: { after: share, ...(before !== undefined && { before: was }), limit },
        });
      }
    }
    return findings;
  },
});
