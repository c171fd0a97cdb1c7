import { desiredAlarms, managedAlarmPrefix, type GroupOnLoadBalancer } from '../alarms/desired-alarms';
import { reconcileAlarms } from '../alarms/reconcile-alarms';
import { inScope } from '../config/in-scope';
import type { AlarmSettings, Scope } from '../config/watchdog-environment';
import type { AlarmStore, SnapshotReader } from '../ports';

/** What `syncAlarms` needs. */
export interface SyncAlarmsDependencies {
  readonly reader: SnapshotReader;
  readonly alarms: AlarmStore;
  readonly scope: Scope;
  readonly settings: AlarmSettings;
}

/** What one reconciliation changed. */
export interface SyncAlarmsResult {
  readonly put: readonly string[];
  readonly deleted: readonly string[];
  readonly unchanged: number;
  readonly targetGroups: number;
}

/**
 * Makes CloudWatch hold exactly the alarms the target groups in scope need: two per group and load
 * balancer (one for an NLB), created for new groups, updated when settings change, deleted with their
 * group. Reads the whole picture each time rather than acting on the event that triggered it, so a lost
 * or repeated event changes nothing and a second run is a no-op.
 */
export async function syncAlarms(deps: SyncAlarmsDependencies): Promise<SyncAlarmsResult> {
  const [loadBalancers, groups, existing] = await Promise.all([
    deps.reader.listLoadBalancers(),
    deps.reader.listTargetGroups(),
    deps.alarms.listAlarms(managedAlarmPrefix(deps.settings)),
  ]);
  const guarded = new Set(loadBalancers.filter((lb) => inScope(deps.scope, lb)).map((lb) => lb.arn));
  const pairs: GroupOnLoadBalancer[] = groups.flatMap((group) =>
    group.loadBalancerArns
      .filter((arn) => guarded.has(arn))
      .map((loadBalancerArn) => ({ loadBalancerArn, targetGroupArn: group.arn, targetGroupName: group.name })),
  );
  const desired = pairs.flatMap((pair) => desiredAlarms(pair, deps.settings));
  const changes = reconcileAlarms(desired, existing);
  // One at a time: PutMetricAlarm allows 3 calls per second per account; the client's retry paces us.
  for (const spec of changes.put) await deps.alarms.putAlarm(spec);
  await deps.alarms.deleteAlarms(changes.delete);
  return {
    put: changes.put.map((spec) => spec.input.AlarmName),
    deleted: changes.delete.map((alarm) => alarm.name),
    unchanged: changes.unchanged,
    targetGroups: pairs.length,
  };
}
