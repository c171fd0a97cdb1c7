import {
  DeleteAlarmsCommand,
  DeleteAnomalyDetectorCommand,
  paginateDescribeAlarms,
  PutMetricAlarmCommand,
  type CloudWatchClient,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import { fingerprintOf, type AlarmSpec, type AnomalyModel, type ExistingAlarm } from '../core/alarms/alarm-spec';
import type { AlarmStore } from '../core/ports';
import { callAws } from './aws-error';

/** DeleteAlarms takes at most 100 names per call. */
const DELETE_BATCH = 100;

/** The metric behind an alarm's ANOMALY_DETECTION_BAND, when it has one. */
function anomalyModelOf(alarm: MetricAlarm): AnomalyModel | undefined {
  const band = alarm.Metrics?.find((query) => query.Expression?.startsWith('ANOMALY_DETECTION_BAND('));
  const metricId = band?.Expression?.match(/^ANOMALY_DETECTION_BAND\(\s*(\w+)/)?.[1];
  const stat = alarm.Metrics?.find((query) => query.Id === metricId)?.MetricStat;
  if (stat?.Metric?.Namespace === undefined || stat.Metric.MetricName === undefined || stat.Stat === undefined) return undefined;
  return {
    Namespace: stat.Metric.Namespace,
    MetricName: stat.Metric.MetricName,
    Dimensions: (stat.Metric.Dimensions ?? []).map((d) => ({ Name: d.Name ?? '', Value: d.Value ?? '' })),
    Stat: stat.Stat,
  };
}

/** The watchdog's CloudWatch alarms: listed by name prefix, put, and deleted with their anomaly models. */
export class CloudWatchAlarmStore implements AlarmStore {
  public constructor(private readonly client: CloudWatchClient) {}

  public async listAlarms(prefix: string): Promise<ExistingAlarm[]> {
    const alarms: ExistingAlarm[] = [];
    await callAws('DescribeAlarms', undefined, async () => {
      for await (const page of paginateDescribeAlarms({ client: this.client }, { AlarmNamePrefix: prefix, AlarmTypes: ['MetricAlarm'] })) {
        for (const alarm of page.MetricAlarms ?? []) {
          if (alarm.AlarmName === undefined) continue;
          alarms.push({ name: alarm.AlarmName, fingerprint: fingerprintOf(alarm.AlarmDescription), anomalyModel: anomalyModelOf(alarm) });
        }
      }
    });
    return alarms;
  }

  public async putAlarm(spec: AlarmSpec): Promise<void> {
    await callAws('PutMetricAlarm', spec.input.AlarmName, () => this.client.send(new PutMetricAlarmCommand(spec.input)));
  }

  public async deleteAlarms(alarms: readonly ExistingAlarm[]): Promise<void> {
    for (let start = 0; start < alarms.length; start += DELETE_BATCH) {
      const names = alarms.slice(start, start + DELETE_BATCH).map((alarm) => alarm.name);
      await callAws('DeleteAlarms', names[0], () => this.client.send(new DeleteAlarmsCommand({ AlarmNames: names })));
    }
    for (const alarm of alarms) {
      const model = alarm.anomalyModel;
      if (model === undefined) continue;
      await callAws('DeleteAnomalyDetector', alarm.name, async () => {
        try {
          await this.client.send(
            new DeleteAnomalyDetectorCommand({
              SingleMetricAnomalyDetector: { Namespace: model.Namespace, MetricName: model.MetricName, Dimensions: model.Dimensions, Stat: model.Stat },
            }),
          );
        } catch (error) {
          // Already gone (deleted by hand, or never trained): the goal is reached.
          if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
        }
      });
    }
  }
}
