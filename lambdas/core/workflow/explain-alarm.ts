import type { AlarmStateChange } from '../alarms/alarm-state-event';
import { ResourceNotFoundError } from '../errors';
import { formatAlarm } from '../notify/format-alarm';
import type { Notification, SnapshotReader, StateStore } from '../ports';
import { classTraffic } from '../routing/class-traffic';

/** How far back "what changed just before this" looks. */
const RECENT_WINDOW_MS = 60 * 60 * 1000;

/**
 * Turns an alarm state change into a notification with the current traffic split per target and the
 * changes the watchdog saw in the hour before.
 */
export async function explainAlarm(
  deps: { readonly reader: SnapshotReader; readonly store: StateStore },
  alarm: AlarmStateChange,
): Promise<Notification> {
  if (alarm.loadBalancerArn === undefined) {
    return formatAlarm({ alarm, traffic: [], recentChanges: [], trafficUnavailable: 'the alarm watches no load balancer dimension' });
  }
  const since = new Date(Date.parse(alarm.time) - RECENT_WINDOW_MS).toISOString();
  const [snapshot, recentChanges] = await Promise.all([
    deps.reader.readSnapshot(alarm.loadBalancerArn).catch((error: unknown) => {
      if (error instanceof ResourceNotFoundError) return undefined;
      throw error;
    }),
    deps.store.listAudit(alarm.loadBalancerArn, { since, limit: 20 }),
  ]);
  return formatAlarm({
    alarm,
    loadBalancerName: snapshot?.loadBalancer.name,
    traffic: snapshot ? classTraffic(snapshot) : [],
    trafficUnavailable: snapshot ? undefined : 'the load balancer no longer exists',
    recentChanges,
  });
}
