import type { CapacityAssessment, TargetAssessment, TargetCapacity } from './assess-capacity';
import { limitOf } from './assess-capacity';
import { lookbackText, rateText, unitText } from './load-types';

type MetricsAssessment = Extract<CapacityAssessment, { basis: 'metrics' }>;

/** `no web-blue target has carried more than 1,050/min in 14 days`: where a capacity comes from, with its figure. */
export function capacityText(target: TargetAssessment, capacity: TargetCapacity, assessment: MetricsAssessment, limit = ''): string {
  const cap = `${rateText(capacity.perTargetPerMinute)}/min`;
  const over = assessment.lookbackHours === undefined ? '' : ` in ${lookbackText(assessment.lookbackHours)}`;
  const source = capacity.groupNames.join(', ');
  switch (capacity.source) {
    case 'own-history':
      return `no ${source} target has carried more than ${cap}${over}${limit}`;
    case 'tag':
      return `${source}'s tag ${assessment.settings.capacityTagKey} gives ${cap} per target${limit}`;
    case 'same-server':
      return `${target.prediction.targetId} has carried at most ${cap}${over} (in ${source})${limit}; ${target.groupName} has no history of its own`;
    case 'source-groups':
      return (
        `no ${source} target has carried more than ${cap}${over}${limit}; ${target.groupName} has no history of its own: ` +
        `judged by ${source}, which served these requests before (the usual case is the same instance kind)`
      );
  }
}

/**
 * `i-0abc (web-green) would receive about 4,000 requests/min, was 0; no web-blue target has carried more than
 * 1,050/min in 14 days (limit +25%: 1,313/min)`.
 */
export function predictionText(target: TargetAssessment, capacity: TargetCapacity, assessment: MetricsAssessment, others: number): string {
  const { prediction } = target;
  const unit = unitText(assessment.metric);
  const limit = limitOf(capacity, assessment.settings);
  const more = others > 0 ? ` (and ${others} other target${others === 1 ? '' : 's'} of ${target.groupName} alike)` : '';
  const bound = prediction.bounded ? '; the split between request classes sharing a group is unknown: the safe bound was taken' : '';
  return (
    `${prediction.targetId} (${target.groupName}) would receive about ${rateText(prediction.after)} ${unit}${more}, was ${rateText(prediction.before)}; ` +
    `${capacityText(target, capacity, assessment, ` (limit +${assessment.settings.marginPercent}%: ${rateText(limit)}/min)`)}${bound}`
  );
}

/** `from RequestCount over the last 15 minutes (CloudWatch)`: where the rates come from. */
export function basisText(assessment: CapacityAssessment): string {
  if (assessment.basis === 'shares') return `judged by shares, not load: ${assessment.reason}`;
  const capacity = assessment.lookbackHours === undefined ? 'no proven capacity stored yet' : `proven capacity over ${lookbackText(assessment.lookbackHours)}`;
  return `judged with load: ${assessment.metric} over the last ${assessment.windowMinutes} minutes (${assessment.source === 'cloudwatch' ? 'CloudWatch' : 'metrics file'}), ${capacity}`;
}
