import { randomUUID } from 'node:crypto';
import { SetAlarmStateCommand, type MetricAlarm, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { PublishCommand } from '@aws-sdk/client-sns';
import type { BackendClients } from '../backend/backend-clients';
import type { EventBusPublisher } from '../cloudtrail/event-bus-publisher';
import type { EventBridgeEvent } from '../cloudtrail/record-builder';
import type { NotificationLog } from '../notifications/notification-log';
import type { AlarmState } from './alarm-decision';

/** One state change to announce. */
export interface Transition {
  readonly alarm: MetricAlarm;
  readonly state: AlarmState;
  readonly reason: string;
  readonly reasonData: string;
  readonly time: Date;
}

const REGION_NAMES: Readonly<Record<string, string>> = {
  'us-east-1': 'US East (N. Virginia)',
  'us-east-2': 'US East (Ohio)',
  'us-west-1': 'US West (N. California)',
  'us-west-2': 'US West (Oregon)',
  'eu-west-1': 'EU (Ireland)',
  'eu-central-1': 'EU (Frankfurt)',
};

/** CloudWatch's timestamp style in alarm events and messages: `2019-10-02T17:04:40.989+0000`. */
export function alarmTime(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}

/**
 * Does what CloudWatch does when an alarm changes state: records it (SetAlarmState in the backend), sends
 * the "CloudWatch Alarm State Change" event to EventBridge, and runs SNS alarm actions.
 */
export class AlarmNotifier {
  constructor(
    private readonly backend: () => BackendClients,
    private readonly publisher: EventBusPublisher,
    private readonly notifications: NotificationLog,
    private readonly accountId: string,
  ) {}

  /** Announces one transition. */
  async announce(t: Transition): Promise<void> {
    const backend = this.backend();
    const name = t.alarm.AlarmName ?? '';
    await backend.cloudwatch.send(
      new SetAlarmStateCommand({ AlarmName: name, StateValue: t.state, StateReason: t.reason.slice(0, 1023), StateReasonData: t.reasonData }),
    );
    this.publisher.publish(this.event(t, backend.region));
    if (t.alarm.ActionsEnabled === false) return;
    const actions = t.state === 'ALARM' ? t.alarm.AlarmActions : t.state === 'OK' ? t.alarm.OKActions : t.alarm.InsufficientDataActions;
    const regionName = REGION_NAMES[backend.region] ?? backend.region;
    for (const arn of (actions ?? []).filter((a) => a.startsWith('arn:aws:sns:'))) {
      const subject = `${t.state}: "${name}" in ${regionName}`.slice(0, 100);
      const message = JSON.stringify(this.message(t, regionName));
      const out = await backend.sns.send(new PublishCommand({ TopicArn: arn, Subject: subject, Message: message })).catch(() => undefined);
      this.notifications.add({ topicArn: arn, subject, message, time: t.time.toISOString(), origin: 'alarm', messageId: out?.MessageId });
    }
  }

  private event(t: Transition, region: string): EventBridgeEvent {
    const alarm = t.alarm;
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': 'CloudWatch Alarm State Change',
      source: 'aws.cloudwatch',
      account: this.accountId,
      time: t.time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region,
      resources: [alarm.AlarmArn ?? ''],
      detail: {
        alarmName: alarm.AlarmName,
        state: { value: t.state, reason: t.reason, reasonData: t.reasonData, timestamp: alarmTime(t.time) },
        previousState: {
          value: alarm.StateValue,
          reason: alarm.StateReason ?? '',
          ...(alarm.StateReasonData ? { reasonData: alarm.StateReasonData } : {}),
          timestamp: alarmTime(alarm.StateUpdatedTimestamp ?? t.time),
        },
        configuration: { ...(alarm.AlarmDescription ? { description: alarm.AlarmDescription } : {}), metrics: eventMetrics(alarm) },
      },
    };
  }

  private message(t: Transition, regionName: string): Record<string, unknown> {
    const a = t.alarm;
    return {
      AlarmName: a.AlarmName,
      AlarmDescription: a.AlarmDescription ?? null,
      AWSAccountId: this.accountId,
      AlarmConfigurationUpdatedTimestamp: alarmTime(a.AlarmConfigurationUpdatedTimestamp ?? t.time),
      NewStateValue: t.state,
      NewStateReason: t.reason,
      StateChangeTime: alarmTime(t.time),
      Region: regionName,
      AlarmArn: a.AlarmArn,
      OldStateValue: a.StateValue,
      OKActions: a.OKActions ?? [],
      AlarmActions: a.AlarmActions ?? [],
      InsufficientDataActions: a.InsufficientDataActions ?? [],
      Trigger: {
        ...(a.MetricName
          ? {
              MetricName: a.MetricName,
              Namespace: a.Namespace,
              StatisticType: a.ExtendedStatistic ? 'ExtendedStatistic' : 'Statistic',
              Statistic: (a.Statistic ?? a.ExtendedStatistic ?? '').toUpperCase(),
              Unit: a.Unit ?? null,
              Dimensions: (a.Dimensions ?? []).map((d) => ({ value: d.Value, name: d.Name })),
              Period: a.Period,
            }
          : { Metrics: a.Metrics }),
        EvaluationPeriods: a.EvaluationPeriods,
        DatapointsToAlarm: a.DatapointsToAlarm,
        ComparisonOperator: a.ComparisonOperator,
        Threshold: a.Threshold,
        ThresholdMetricId: a.ThresholdMetricId,
        TreatMissingData: a.TreatMissingData ?? 'missing',
        EvaluateLowSampleCountPercentile: a.EvaluateLowSampleCountPercentile ?? '',
      },
    };
  }
}

/** `detail.configuration.metrics` as the event carries it (lower camel case, dimensions as a map). */
function eventMetrics(alarm: MetricAlarm): unknown[] {
  const queries: MetricDataQuery[] = alarm.Metrics?.length
    ? alarm.Metrics
    : [{ Id: randomUUID(), MetricStat: { Metric: { Namespace: alarm.Namespace, MetricName: alarm.MetricName, Dimensions: alarm.Dimensions }, Period: alarm.Period, Stat: alarm.Statistic ?? alarm.ExtendedStatistic }, ReturnData: true }];
  return queries.map((q) =>
    q.MetricStat
      ? {
          id: q.Id,
          metricStat: {
            metric: {
              dimensions: Object.fromEntries((q.MetricStat.Metric?.Dimensions ?? []).map((d) => [d.Name, d.Value])),
              name: q.MetricStat.Metric?.MetricName,
              namespace: q.MetricStat.Metric?.Namespace,
            },
            period: q.MetricStat.Period,
            stat: q.MetricStat.Stat,
          },
          returnData: q.ReturnData ?? true,
        }
      : { id: q.Id, expression: q.Expression, label: q.Label ?? q.Id, returnData: q.ReturnData ?? true },
  );
}
