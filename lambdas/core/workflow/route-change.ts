import { shortHash } from '../alarms/alarm-spec';
import { ResourceNotFoundError } from '../errors';
import { parseElbArn } from '../events/arn';
import type { Change } from '../events/change';
import type { SnapshotReader } from '../ports';

/** One message for the change queue: one change, judged for one load balancer. */
export interface RoutedChange {
  readonly loadBalancerArn: string;
  /** FIFO group: changes to one load balancer are judged in order, never concurrently. */
  readonly messageGroupId: string;
  /** FIFO deduplication: the same event routed twice within 5 minutes is delivered once. */
  readonly deduplicationId: string;
}

/**
 * `app/web/50dc6c495c0c9188`: unique per load balancer in an account and Region, short enough for
 * SQS's 128-character group id, and readable in the console.
 */
export function messageGroupIdOf(loadBalancerArn: string): string {
  const parts = parseElbArn(loadBalancerArn);
  return parts ? parts.path.join('/') : shortHash(loadBalancerArn);
}

/**
 * The load balancers a change must be judged for. Listener and rule changes name theirs in the ARN;
 * target-group changes do not, and a group may serve several load balancers, so those are looked up
 * (one DescribeTargetGroups call). A group that no longer exists serves nobody: no route.
 */
export async function routeChange(change: Change, reader: Pick<SnapshotReader, 'loadBalancersOfTargetGroup'>): Promise<RoutedChange[]> {
  const arns = new Set(change.resources.loadBalancerArns);
  if (arns.size === 0) {
    for (const group of change.resources.targetGroupArns) {
      try {
        for (const arn of await reader.loadBalancersOfTargetGroup(group)) arns.add(arn);
      } catch (error) {
        if (!(error instanceof ResourceNotFoundError)) throw error;
      }
    }
  }
  return [...arns].map((loadBalancerArn) => ({
    loadBalancerArn,
    messageGroupId: messageGroupIdOf(loadBalancerArn),
    deduplicationId: `${change.eventId}-${shortHash(loadBalancerArn)}`,
  }));
}
