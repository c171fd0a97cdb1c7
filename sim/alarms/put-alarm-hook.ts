import { DescribeAlarmsCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import type { BackendClients } from '../backend/backend-clients';
import type { AwsCall, WireAnswer } from '../front/codec';
import type { CallContext, Interceptor } from '../front/interceptor';
import { coerceCloudWatch } from './anomaly-detector-api';
import type { AnomalyDetectorStore } from './anomaly-detector-store';

const BAND = /ANOMALY_DETECTION_BAND\s*\(\s*([A-Za-z_]\w*)/i;

/**
 * PutMetricAlarm as AWS does it where moto differs: a new alarm starts in INSUFFICIENT_DATA (moto: OK), an
 * updated alarm keeps its state (moto resets it), and an anomaly-band alarm creates its model if missing.
 */
export class PutAlarmHook implements Interceptor {
  readonly name = 'put-metric-alarm';
  private readonly previous = new Map<string, { value: string; reason: string; reasonData?: string } | undefined>();

  constructor(
    private readonly backend: () => BackendClients,
    private readonly detectors: AnomalyDetectorStore,
  ) {}

  matches(call: AwsCall): boolean {
    return call.service === 'monitoring' && call.action === 'PutMetricAlarm';
  }

  async before({ call, requestId }: CallContext): Promise<undefined> {
    const name = call.params.AlarmName;
    if (typeof name !== 'string') return undefined;
    const out = await this.backend().cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] })).catch(() => undefined);
    const alarm = out?.MetricAlarms?.[0];
    this.previous.set(requestId, alarm ? { value: alarm.StateValue ?? 'OK', reason: alarm.StateReason ?? '', reasonData: alarm.StateReasonData } : undefined);
    return undefined;
  }

  async after({ call, requestId }: CallContext, answer: WireAnswer): Promise<undefined> {
    const before = this.previous.get(requestId);
    this.previous.delete(requestId);
    if (answer.status !== 200 || typeof call.params.AlarmName !== 'string') return undefined;
    const state = before ?? { value: 'INSUFFICIENT_DATA', reason: 'Unchecked: Initial alarm creation' };
    await this.backend().cloudwatch.send(
      new SetAlarmStateCommand({ AlarmName: call.params.AlarmName, StateValue: state.value as 'OK', StateReason: state.reason, StateReasonData: state.reasonData }),
    );
    this.ensureDetector(coerceCloudWatch(call.params) as Record<string, unknown>);
    return undefined;
  }

  /** AWS creates the anomaly model an alarm's band refers to (and re-creates it if it was deleted). */
  private ensureDetector(params: Record<string, unknown>): void {
    const metrics = Array.isArray(params.Metrics) ? (params.Metrics as Record<string, unknown>[]) : [];
    const band = metrics.find((m) => m.Id === params.ThresholdMetricId && typeof m.Expression === 'string' && BAND.test(m.Expression));
    const sourceId = band ? BAND.exec(String(band.Expression))?.[1] : undefined;
    const source = metrics.find((m) => m.Id === sourceId);
    if (!source) return;
    const stat = source.MetricStat as { Metric?: { Namespace?: string; MetricName?: string; Dimensions?: unknown[] }; Stat?: string } | undefined;
    try {
      if (stat?.Metric) {
        this.detectors.put({ SingleMetricAnomalyDetector: { Namespace: stat.Metric.Namespace, MetricName: stat.Metric.MetricName, Dimensions: stat.Metric.Dimensions ?? [], Stat: stat.Stat } });
      } else {
        this.detectors.put({ MetricMathAnomalyDetector: { MetricDataQueries: metrics.filter((m) => m !== band) } });
      }
    } catch {
      // A model the store refuses (quota) does not fail the alarm, as in AWS where the alarm is already saved.
    }
  }
}
