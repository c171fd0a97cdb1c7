import { encodeResult, type AwsCall, type WireAnswer } from '../front/codec';
import type { CallContext, Interceptor } from '../front/interceptor';
import type { AnomalyDetectorStore, Dimension } from './anomaly-detector-store';

const ACTIONS = new Set(['PutAnomalyDetector', 'DescribeAnomalyDetectors', 'DeleteAnomalyDetector']);

/**
 * Answers the anomaly-detector actions moto lacks, in whichever protocol the caller used (AWS JSON 1.0 from
 * current SDKs, Query from older CLIs), from the stand-in's own store.
 */
export class AnomalyDetectorApi implements Interceptor {
  readonly name = 'anomaly-detectors';

  constructor(private readonly store: AnomalyDetectorStore) {}

  matches(call: AwsCall): boolean {
    return call.service === 'monitoring' && ACTIONS.has(call.action);
  }

  async before({ call, requestId }: CallContext): Promise<WireAnswer> {
    const params = coerceCloudWatch(call.params) as Record<string, unknown>;
    if (call.action === 'PutAnomalyDetector') {
      this.store.put(params);
      return encodeResult(call.style, call.action, {}, requestId);
    }
    if (call.action === 'DeleteAnomalyDetector') {
      this.store.delete(params);
      return encodeResult(call.style, call.action, {}, requestId);
    }
    const all = this.store.describe({
      Namespace: params.Namespace as string | undefined,
      MetricName: params.MetricName as string | undefined,
      Dimensions: params.Dimensions as Dimension[] | undefined,
      AnomalyDetectorTypes: params.AnomalyDetectorTypes as string[] | undefined,
    });
    const start = Number(params.NextToken ?? 0) || 0;
    const size = Math.min(Number(params.MaxResults ?? 100) || 100, 100);
    const page = all.slice(start, start + size);
    const next = start + size < all.length ? String(start + size) : undefined;
    return encodeResult(call.style, call.action, { AnomalyDetectors: page, ...(next ? { NextToken: next } : {}) }, requestId);
  }
}

const NUMBERS = new Set(['Period', 'MaxResults', 'Threshold', 'EvaluationPeriods', 'DatapointsToAlarm']);
const BOOLEANS = new Set(['ReturnData', 'PeriodicSpikes', 'ActionsEnabled']);

/** Types Query-protocol strings as the JSON protocol would carry them, so both key detectors alike. */
export function coerceCloudWatch(value: unknown, member = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => coerceCloudWatch(v));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, coerceCloudWatch(v, k)]));
  }
  if (typeof value !== 'string') return value;
  if (NUMBERS.has(member) && value !== '' && Number.isFinite(Number(value))) return Number(value);
  if (BOOLEANS.has(member) && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}
