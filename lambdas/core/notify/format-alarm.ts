import type { AlarmStateChange } from '../alarms/alarm-state-event';
import type { AuditRecord, Notification } from '../ports';
import type { ClassTrafficView } from '../routing/class-traffic';
import { percent } from './share-diff';

/** What an alarm notification says: the alarm, the traffic split now, and what changed just before. */
export interface AlarmReport {
  readonly alarm: AlarmStateChange;
  readonly loadBalancerName?: string;
  readonly traffic: readonly ClassTrafficView[];
  readonly recentChanges: readonly AuditRecord[];
  /** Why the traffic split is missing, when it is (the load balancer is gone, or unknown). */
  readonly trafficUnavailable?: string;
}

/**
 * The notification for an alarm state change: the answer to "what is going on and what changed just
 * before this", which took 75 minutes to find on May 19.
 */
export function formatAlarm(report: AlarmReport): Notification {
  const { alarm } = report;
  const where = report.loadBalancerName ?? alarm.loadBalancerArn ?? 'unknown load balancer';
  const subject = `${alarm.state === 'ALARM' ? 'ALARM' : alarm.state === 'OK' ? 'OK again' : alarm.state}: ${alarm.alarmName}`;
  const lines = [subject, '', `Alarm: ${alarm.alarmName} is ${alarm.state}${alarm.previousState ? ` (was ${alarm.previousState})` : ''} since ${alarm.time}`];
  if (alarm.reason) lines.push(`Reason: ${alarm.reason}`);
  lines.push(`Load balancer: ${where}`);
  if (alarm.targetGroupArn) lines.push(`Target group: ${alarm.targetGroupArn}`);
  lines.push('', 'Share of each request class per target now (from the configuration and target health):');
  if (report.trafficUnavailable) lines.push(`  unavailable: ${report.trafficUnavailable}`);
  for (const view of report.traffic) {
    const state = view.answer !== undefined ? ` (${view.answer})` : view.unroutable ? ' (routes nowhere)' : view.failingOpen ? ' (failing open: too few healthy targets)' : '';
    lines.push(`  ${view.requestClass}, ${view.rule}${state}`);
    for (const target of view.targets) {
      lines.push(`    ${`${target.targetId} (${target.targetGroupName})`.padEnd(36)} ${percent(target.share).padStart(6)}${target.healthy ? '' : '  UNHEALTHY'}`);
    }
  }
  lines.push('', 'Changes just before this (newest last):');
  if (report.recentChanges.length === 0) lines.push('  none recorded by the watchdog in the last hour');
  for (const change of report.recentChanges) {
    lines.push(`  ${change.eventTime}  ${change.eventName} by ${change.actor.displayName}: ${change.decision}, ${change.outcome}`);
  }
  lines.push('', '--- machine-readable ---', JSON.stringify({ alarm, traffic: report.traffic, recentChanges: report.recentChanges.map((c) => c.eventId) }));
  return {
    subject,
    body: lines.join('\n'),
    attributes: { kind: 'alarm', state: alarm.state, loadBalancer: alarm.loadBalancerArn ?? 'unknown' },
  };
}
