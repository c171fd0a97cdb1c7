import * as z from '../zod';
import { limitOf, type TargetAssessment } from '../capacity/assess-capacity';
import { basisText, predictionText } from '../capacity/capacity-messages';
import type { Finding } from '../policy/verdict';
import { defineRule } from './rule';
import { EPSILON, classHead, classRef } from './rule-helpers';

/**
 * No target may be predicted to receive more than the capacity it has proven plus a margin: the May 19 outage
 * told by load instead of shares (a cutover to a smaller green group at exactly 50% each is the same outage
 * with two servers). From 100% of the proven capacity it warns. Without metrics it says why and leaves the
 * verdict to the share rules; a load the target already received before the change only warns.
 */
export const capacityHeadroom = defineRule({
  id: 'capacity-headroom',
  title: 'No target is predicted to receive more than it has proven it can carry',
  severity: 'block',
  rationale: 'A share limit is blind to load: 50% of 4,000 requests a minute is twice what any server carried before the change.',
  params: z.strictObject({
    marginPercent: z.number().check(z.gte(0), z.lte(1000)),
    lookbackHours: z.number().check(z.gt(0), z.lte(63 * 24)),
    capacityTagKey: z.string().check(z.minLength(1), z.maxLength(128)),
    /** Lower a share rule's block to a warning when every target of the class stays within its limit. */
    lowerShareBlocks: z.boolean(),
  }),
  defaults: { marginPercent: 25, lookbackHours: 14 * 24, capacityTagKey: 'elb-watchdog:capacity-per-minute', lowerShareBlocks: true },
  evaluate({ capacity }) {
    if (capacity === undefined) return [];
    const findings: Finding[] = [{ ruleId: 'capacity-headroom', severity: 'info', message: basisText(capacity) }];
    if (capacity.basis === 'shares') return findings;
    const byGroup = new Map<string, TargetAssessment[]>();
    for (const t of capacity.targets) byGroup.set(t.groupName, [...(byGroup.get(t.groupName) ?? []), t]);
    for (const [group, targets] of byGroup) {
      const known = targets.filter((t) => t.capacity !== undefined);
      if (known.length < targets.length) findings.push({ ruleId: 'capacity-headroom', severity: 'info', message: `${group}: no proven capacity (no history, tag or source group): judged by shares` });
      const ratio = (t: TargetAssessment) => t.prediction.after / (t.capacity?.perTargetPerMinute ?? Infinity);
      const over = known.filter((t) => ratio(t) >= 1 - EPSILON).sort((a, b) => ratio(b) - ratio(a));
      const worst = over[0];
      if (worst?.capacity === undefined) continue;
      const { prediction } = worst;
      const limit = limitOf(worst.capacity, capacity.settings);
      const unchanged = prediction.after <= prediction.before * (1 + 1e-6) + EPSILON;
      const severity = prediction.after > limit + EPSILON && !unchanged ? 'block' : 'warn';
      const tail = unchanged ? ' (unchanged: it already received that before the change)' : severity === 'warn' ? ' (above its proven capacity, within the margin)' : '';
      findings.push({
        ruleId: 'capacity-headroom',
        severity,
        message: `${classHead(prediction.topClass)}: ${predictionText(worst, worst.capacity, capacity, over.length - 1)}${tail}`,
        requestClass: classRef(prediction.topClass),
        targetId: prediction.targetId,
        targetGroupArn: prediction.primaryGroupArn,
        numbers: { predicted: prediction.after, before: prediction.before, capacity: worst.capacity.perTargetPerMinute, limit, targets: over.length },
      });
    }
    return findings;
  },
});
