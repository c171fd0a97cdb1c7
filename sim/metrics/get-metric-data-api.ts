import { encodeResult, type AwsCall, type WireAnswer } from '../front/codec';
import type { CallContext, Interceptor } from '../front/interceptor';
import type { MetricIndex, StatQuery } from './metric-index';

/**
 * Answers CloudWatch GetMetricData from the {@link MetricIndex} when it can (MetricStat queries on the ELB
 * metrics the traffic model writes), in the caller's protocol; anything else goes to moto as before. Notes
 * every PutMetricData through the front so the index knows what it does not hold.
 */
export class GetMetricDataApi implements Interceptor {
  readonly name = 'metric-index';
  private served = 0;
  private forwarded = 0;

  constructor(private readonly index: MetricIndex) {}

  matches(call: AwsCall): boolean {
    return call.service === 'monitoring' && (call.action === 'GetMetricData' || call.action === 'PutMetricData');
  }

  before(context: CallContext): Promise<WireAnswer | undefined> {
    const { call } = context;
    const params = call.params as Record<string, unknown>;
    if (call.action === 'PutMetricData') {
      this.index.notePut(String(params.Namespace ?? ''), asArray(params.MetricData) as { MetricName?: string; Dimensions?: { Name?: string; Value?: string }[] }[]);
      return Promise.resolve(undefined);
    }
    const answer = this.answer(call, params, context.requestId);
    if (answer) this.served++;
    else this.forwarded++;
    return Promise.resolve(answer);
  }

  /** How many GetMetricData calls the index answered, and how many went to moto. */
  stats(): { served: number; forwarded: number } {
    return { served: this.served, forwarded: this.forwarded };
  }

  private answer(call: AwsCall, params: Record<string, unknown>, requestId: string): WireAnswer | undefined {
    const start = timeOf(params.StartTime);
    const end = timeOf(params.EndTime);
    const raw = asArray(params.MetricDataQueries);
    if (start === undefined || end === undefined || raw.length === 0 || params.NextToken !== undefined) return undefined;
    const queries: StatQuery[] = [];
    for (const q of raw) {
      const query = statQuery(q);
      if (!query) return undefined;
      queries.push(query);
    }
    // Newest first unless told otherwise, in moto as in AWS.
    const results = this.index.query(queries, start, end, typeof params.ScanBy === 'string' && params.ScanBy !== '' ? params.ScanBy : 'TimestampDescending');
    if (!results) return undefined;
    const json = call.style.protocol === 'json';
    return encodeResult(
      call.style,
      'GetMetricData',
      {
        MetricDataResults: results.map((r) => ({
          Id: r.id,
          Label: r.label,
          // JSON carries epoch seconds; Query XML, ISO 8601.
          Timestamps: r.timestamps.map((t) => (json ? t / 1000 : new Date(t))),
          Values: r.values,
          StatusCode: 'Complete',
        })),
      },
      requestId,
    );
  }
}

/** A MetricStat query in either protocol's decoded shape; undefined for expressions or anything unusual. */
function statQuery(value: unknown): StatQuery | undefined {
  const q = asObject(value);
  const stat = asObject(q?.MetricStat);
  const metric = asObject(stat?.Metric);
  if (!q || !stat || !metric || q.Expression !== undefined || typeof q.Id !== 'string') return undefined;
  const period = Number(stat.Period);
  const dims = asArray(metric.Dimensions).map(asObject);
  if (dims.some((d) => typeof d?.Name !== 'string' || typeof d.Value !== 'string')) return undefined;
  return {
    id: q.Id,
    ...(typeof q.Label === 'string' ? { label: q.Label } : {}),
    namespace: String(metric.Namespace ?? ''),
    name: String(metric.MetricName ?? ''),
    dimensions: dims.map((d) => ({ Name: String(d?.Name), Value: String(d?.Value) })),
    period,
    stat: String(stat.Stat ?? ''),
    ...(typeof stat.Unit === 'string' && stat.Unit !== '' ? { unit: stat.Unit } : {}),
    returnData: q.ReturnData !== false && q.ReturnData !== 'false',
  };
}

/** Epoch milliseconds from JSON's epoch seconds or Query's ISO 8601 / epoch-seconds strings. */
function timeOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value * 1000;
  if (typeof value !== 'string' || value === '') return undefined;
  const n = Number(value);
  const t = Number.isFinite(n) ? n * 1000 : Date.parse(value);
  return Number.isFinite(t) ? t : undefined;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
