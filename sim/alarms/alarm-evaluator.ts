import { DescribeAlarmsCommand, type MetricAlarm, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { BackendClients } from '../backend/backend-clients';
import { decide, type Slot } from './alarm-decision';
import type { AlarmNotifier } from './alarm-notifier';
import { alarmSeries } from './alarm-series';
import type { AnomalyDetectorStore } from './anomaly-detector-store';
import { DEFAULT_BAND, type BandModelOptions } from './band-model';

/** What one evaluation round did, for logs and tests. */
export interface EvaluationReport {
  readonly evaluated: number;
  readonly transitions: { alarmName: string; from?: string; to: string }[];
}

/**
 * Evaluates every metric alarm in the backend at each sim minute (alarms whose period ends then), since
 * moto stores alarms but never evaluates them: static thresholds, metric math and anomaly bands.
 */
export class AlarmEvaluator {
  constructor(
    private readonly backend: () => BackendClients,
    private readonly notifier: AlarmNotifier,
    private readonly detectors: AnomalyDetectorStore,
    private readonly band: BandModelOptions = DEFAULT_BAND,
  ) {}

  /** Evaluates the alarms due at `end` (the end of the minute just simulated). */
  async evaluate(end: Date): Promise<EvaluationReport> {
    const alarms = await this.alarms();
    const transitions: EvaluationReport['transitions'] = [];
    let evaluated = 0;
    for (const alarm of alarms) {
      const series = await alarmSeries(this.backend(), alarm, end.getTime(), this.band).catch(() => undefined);
      if (!series || (end.getTime() / 1000) % series.period !== 0) continue;
      evaluated++;
      this.markTrained(series.bandSource, series.bandTrained);
      const decision = decide(
        {
          comparison: alarm.ComparisonOperator ?? 'GreaterThanThreshold',
          threshold: alarm.Threshold,
          datapointsToAlarm: alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods ?? 1,
          treatMissingData: alarm.TreatMissingData ?? 'missing',
        },
        series.slots,
      );
      if (!decision.state || decision.state === alarm.StateValue) continue;
      const reasonData = reasonDataOf(alarm, series.slots, series.period, end);
      await this.notifier.announce({ alarm, state: decision.state, reason: decision.reason, reasonData, time: end });
      transitions.push({ alarmName: alarm.AlarmName ?? '', from: alarm.StateValue, to: decision.state });
    }
    return { evaluated, transitions };
  }

  private async alarms(): Promise<MetricAlarm[]> {
    const out: MetricAlarm[] = [];
    let NextToken: string | undefined;
    do {
      const page = await this.backend().cloudwatch.send(new DescribeAlarmsCommand({ NextToken, AlarmTypes: ['MetricAlarm'] }));
      out.push(...(page.MetricAlarms ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return out;
  }

  private markTrained(source: MetricDataQuery | undefined, trained: boolean): void {
    const stat = source?.MetricStat;
    if (!trained || !stat?.Metric) return;
    this.detectors.markTrained(
      stat.Metric.Namespace ?? '',
      stat.Metric.MetricName ?? '',
      (stat.Metric.Dimensions ?? []).map((d) => ({ Name: d.Name ?? '', Value: d.Value ?? '' })),
      stat.Stat ?? '',
    );
  }
}

/** `StateReasonData` in the fields CloudWatch's documented events carry. */
function reasonDataOf(alarm: MetricAlarm, slots: Slot[], period: number, end: Date): string {
  const iso = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');
  const banded = slots.filter((s) => s.band);
  return JSON.stringify({
    version: '1.0',
    queryDate: iso(end.getTime()),
    startDate: iso(slots[0]?.timestamp ?? end.getTime()),
    ...(alarm.Statistic ? { statistic: alarm.Statistic } : {}),
    period,
    recentDatapoints: slots.filter((s) => s.value !== undefined).map((s) => s.value),
    ...(banded.length > 0
      ? { recentLowerThresholds: banded.map((s) => s.band?.lower), recentUpperThresholds: banded.map((s) => s.band?.upper) }
      : alarm.Threshold !== undefined
        ? { threshold: alarm.Threshold }
        : {}),
    evaluatedDatapoints: slots.map((s) => ({ timestamp: iso(s.timestamp), ...(s.value !== undefined ? { value: s.value } : {}) })),
  });
}
