import { GetMetricDataCommand, type MetricAlarm, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { BackendClients } from '../backend/backend-clients';
import type { Slot } from './alarm-decision';
import { computeBand, type BandModelOptions } from './band-model';
import { evaluateExpression, MetricMathError, type Series } from './metric-math';

/** The datapoints an alarm evaluates now, and what it is made of. */
export interface AlarmSeries {
  readonly slots: Slot[];
  readonly period: number;
  /** The metric-stat query behind a single-metric anomaly band (to mark its detector trained). */
  readonly bandSource?: MetricDataQuery;
  readonly bandTrained: boolean;
}

const BAND = /^\s*ANOMALY_DETECTION_BAND\s*\(\s*([A-Za-z_]\w*)\s*(?:,\s*([\d.]+)\s*)?\)\s*$/i;

/** The alarm's period in seconds (its own, or its first metric's). */
export function alarmPeriod(alarm: MetricAlarm): number {
  return alarm.Period ?? alarm.Metrics?.find((m) => m.MetricStat?.Period)?.MetricStat?.Period ?? alarm.Metrics?.find((m) => m.Period)?.Period ?? 60;
}

/**
 * Reads an alarm's metrics from the backend's CloudWatch for the last EvaluationPeriods periods ending at
 * `end` (plus band history), evaluates its metric math and anomaly band, and returns one slot per period.
 */
export async function alarmSeries(backend: BackendClients, alarm: MetricAlarm, end: number, band: BandModelOptions): Promise<AlarmSeries> {
  const period = alarmPeriod(alarm);
  const step = period * 1000;
  const n = alarm.EvaluationPeriods ?? 1;
  const queries: MetricDataQuery[] = alarm.Metrics?.length
    ? alarm.Metrics
    : [
        {
          Id: 'm1',
          MetricStat: {
            Metric: { Namespace: alarm.Namespace, MetricName: alarm.MetricName, Dimensions: alarm.Dimensions },
            Period: period,
            Stat: alarm.Statistic ?? alarm.ExtendedStatistic ?? 'Average',
            Unit: alarm.Unit,
          },
          ReturnData: true,
        },
      ];
  const bandQuery = queries.find((q) => q.Id === alarm.ThresholdMetricId && BAND.test(q.Expression ?? ''));
  const bandMatch = bandQuery ? BAND.exec(bandQuery.Expression ?? '') : null;
  const evalStart = end - n * step;
  const fetchStart = bandMatch ? evalStart - band.windowPoints * step : evalStart;
  const grid: number[] = [];
  for (let t = fetchStart; t < end; t += step) grid.push(t);
  const series = await fetchMetricStats(backend, queries, fetchStart, end);
  evaluateExpressions(queries.filter((q) => q !== bandQuery), series, grid);
  const valueId =
    queries.find((q) => q !== bandQuery && q.ReturnData !== false && series.has(q.Id ?? ''))?.Id ?? bandMatch?.[1] ?? queries[0]?.Id ?? '';
  const values = series.get(valueId) ?? new Map<number, number>();
  const source = bandMatch ? (series.get(bandMatch[1] ?? '') ?? new Map<number, number>()) : undefined;
  const k = Number(bandMatch?.[2] ?? 2);
  let bandTrained = false;
  const slots = grid
    .filter((t) => t >= evalStart)
    .map((t): Slot => {
      if (!source) return { timestamp: t, value: values.get(t) };
      const history = grid.filter((h) => h < t && source.has(h)).map((h) => source.get(h) ?? 0);
      const b = computeBand(history, k, band);
      bandTrained ||= b !== undefined;
      return { timestamp: t, value: values.get(t), band: b };
    });
  const bandSource = bandMatch ? queries.find((q) => q.Id === bandMatch[1] && q.MetricStat) : undefined;
  return { slots, period, bandSource, bandTrained };
}

async function fetchMetricStats(backend: BackendClients, queries: MetricDataQuery[], start: number, end: number): Promise<Map<string, Series>> {
  const stats = queries.filter((q) => q.MetricStat);
  const series = new Map<string, Series>();
  if (stats.length === 0) return series;
  const out = await backend.cloudwatch.send(
    new GetMetricDataCommand({
      // moto only returns queries flagged ReturnData, whatever the alarm wants shown.
      MetricDataQueries: stats.map((q) => ({ Id: q.Id, MetricStat: q.MetricStat, ReturnData: true })),
      StartTime: new Date(start),
      EndTime: new Date(end),
    }),
  );
  for (const result of out.MetricDataResults ?? []) {
    const points: Series = new Map();
    (result.Timestamps ?? []).forEach((t, i) => {
      const v = result.Values?.[i];
      if (v !== undefined) points.set(t.getTime(), v);
    });
    series.set(result.Id ?? '', points);
  }
  for (const q of stats) if (!series.has(q.Id ?? '')) series.set(q.Id ?? '', new Map());
  return series;
}

/** Evaluates expression queries, repeating until every one whose inputs exist is computed. */
function evaluateExpressions(queries: MetricDataQuery[], series: Map<string, Series>, grid: number[]): void {
  let pending = queries.filter((q) => q.Expression && !series.has(q.Id ?? ''));
  while (pending.length > 0) {
    const before = pending.length;
    pending = pending.filter((q) => {
      try {
        series.set(q.Id ?? '', evaluateExpression(q.Expression ?? '', series, grid));
        return false;
      } catch (error) {
        if (error instanceof MetricMathError && /unknown id/.test(error.message)) return true;
        series.set(q.Id ?? '', new Map());
        return false;
      }
    });
    if (pending.length === before) {
      for (const q of pending) series.set(q.Id ?? '', new Map());
      return;
    }
  }
}
