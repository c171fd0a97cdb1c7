/** A dimension as CloudWatch carries it. */
export interface MetricDimension {
  readonly Name: string;
  readonly Value: string;
}

/** One datum as the traffic model publishes it (the SDK's MetricDatum with a single value). */
export interface IndexedDatum {
  readonly MetricName?: string;
  readonly Dimensions?: readonly { readonly Name?: string; readonly Value?: string }[];
  readonly Timestamp?: Date;
  readonly Value?: number;
  readonly Unit?: string;
}

/** A GetMetricData MetricStat query, decoded. */
export interface StatQuery {
  readonly id: string;
  readonly label?: string;
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: readonly MetricDimension[];
  readonly period: number;
  readonly stat: string;
  readonly unit?: string;
  readonly returnData: boolean;
}

/** One result, as moto computes it (timestamps in epoch milliseconds). */
export interface StatResult {
  readonly id: string;
  readonly label: string;
  readonly timestamps: number[];
  readonly values: number[];
}

interface Point {
  readonly t: number;
  readonly v: number;
  readonly unit?: string;
}

interface Series {
  readonly namespace: string;
  readonly name: string;
  /** Time-sorted. */
  readonly points: Point[];
}

const STATS = new Set(['Sum', 'Average', 'Minimum', 'Maximum', 'SampleCount']);

/**
 * What the traffic model wrote to moto's CloudWatch, indexed by metric and dimensions, so GetMetricData over
 * long windows costs a binary search per period instead of moto's scan of every point per period. It computes
 * moto's own answer (its period grid from StartTime, its statistics, its matching: with dimensions, any
 * namespace with the same name and exactly those dimensions; without, every series of the name in the
 * namespace), except that dimensions match in any order, as in AWS; and it declines (undefined) whenever moto
 * may hold data it has not seen.
 */
export class MetricIndex {
  private series = new Map<string, Series>();
  private byName = new Map<string, Series[]>();
  /** `name\ndims` written by others through the front, in namespaces the index does not own. */
  private foreign = new Set<string>();
  /** Owned namespaces that others wrote to, or all of them after moto was touched behind the front. */
  private tainted = new Set<string>();
  private everything = false;

  constructor(readonly namespaces: ReadonlySet<string> = new Set(['AWS/ApplicationELB', 'AWS/NetworkELB'])) {}

  /** Records data the traffic model put into moto (after moto accepted it). */
  add(namespace: string, data: readonly IndexedDatum[]): void {
    for (const d of data) {
      const name = d.MetricName ?? '';
      const dims = dimsKey((d.Dimensions ?? []).map((x) => ({ Name: x.Name ?? '', Value: x.Value ?? '' })));
      const key = `${namespace}\n${name}\n${dims}`;
      let s = this.series.get(key);
      if (!s) {
        s = { namespace, name, points: [] };
        this.series.set(key, s);
        this.byName.set(`${name}\n${dims}`, [...(this.byName.get(`${name}\n${dims}`) ?? []), s]);
        this.byName.set(`${namespace}\n${name}`, [...(this.byName.get(`${namespace}\n${name}`) ?? []), s]);
      }
      // moto stamps a datum without a timestamp with its arrival; the traffic model always sets one.
      insertSorted(s.points, { t: (d.Timestamp ?? new Date()).getTime(), v: d.Value ?? 0, ...(d.Unit ? { unit: d.Unit } : {}) });
    }
  }

  /** Notes a PutMetricData by someone else through the front, so queries it could affect go to moto. */
  notePut(namespace: string, data: readonly { MetricName?: string; Dimensions?: readonly Partial<MetricDimension>[] }[]): void {
    if (this.namespaces.has(namespace)) {
      this.tainted.add(namespace);
      return;
    }
    for (const d of data) this.foreign.add(`${d.MetricName ?? ''}\n${dimsKey((d.Dimensions ?? []).map((x) => ({ Name: x.Name ?? '', Value: x.Value ?? '' })))}`);
  }

  /** moto was changed behind the front (`/moto-api/`): answer nothing until the next reset. */
  distrust(): void {
    this.everything = true;
  }

  /** Forgets everything (moto was reset). */
  reset(): void {
    this.series = new Map();
    this.byName = new Map();
    this.foreign = new Set();
    this.tainted = new Set();
    this.everything = false;
  }

  /** moto's GetMetricData answer for MetricStat queries, or undefined when the index cannot be sure of it. */
  query(queries: readonly StatQuery[], startMs: number, endMs: number, scanBy: string): StatResult[] | undefined {
    if (this.everything) return undefined;
    // moto drops sub-second parts and refuses an empty or inverted window.
    const start = Math.floor(startMs / 1000) * 1000;
    const end = Math.floor(endMs / 1000) * 1000;
    if (!(start < end)) return undefined;
    if (queries.some((q) => !this.answerable(q))) return undefined;
    const results: StatResult[] = [];
    for (const q of queries) {
      const sources =
        q.dimensions.length > 0 ? (this.byName.get(`${q.name}\n${dimsKey(q.dimensions)}`) ?? []) : (this.byName.get(`${q.namespace}\n${q.name}`) ?? []);
      const step = q.period * 1000;
      const timestamps: number[] = [];
      const values: number[] = [];
      for (let p = start; p <= end; p += step) {
        const bucketEnd = Math.min(p + step, end);
        const picked: number[] = [];
        for (const s of sources) {
          for (let i = lowerBound(s.points, p); i < s.points.length && (s.points[i]?.t ?? Infinity) < bucketEnd; i++) {
            const point = s.points[i];
            if (point && (!q.unit || point.unit === q.unit)) picked.push(point.v);
          }
        }
        if (picked.length === 0) continue;
        timestamps.push(p);
        values.push(statistic(q.stat, picked));
      }
      if (scanBy === 'TimestampDescending') {
        timestamps.reverse();
        values.reverse();
      }
      if (q.returnData) results.push({ id: q.id, label: q.label || `${q.name} ${q.stat}`, timestamps, values });
    }
    return results;
  }

  private answerable(q: StatQuery): boolean {
    if (!this.namespaces.has(q.namespace) || this.tainted.has(q.namespace) || !STATS.has(q.stat)) return false;
    if (!Number.isInteger(q.period) || q.period <= 0) return false;
    // With dimensions moto ignores the namespace: data others wrote under the same name and dimensions counts.
    return q.dimensions.length === 0 || !this.foreign.has(`${q.name}\n${dimsKey(q.dimensions)}`);
  }
}

/**
 * Dimensions as a set of name/value pairs ("A dimension is a name/value pair that is part of the identity of a
 * metric", https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Dimension.html): the order a
 * query lists them in does not matter. (moto's own comparison sorts with a broken `__lt__`, so it finds
 * nothing for `[LoadBalancer, TargetGroup]` when the data has `[TargetGroup, LoadBalancer]`.)
 */
function dimsKey(dims: readonly MetricDimension[]): string {
  const pairs = dims.map((d) => [d.Name, d.Value] as const);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return JSON.stringify(pairs);
}

function statistic(stat: string, values: readonly number[]): number {
  switch (stat) {
    case 'Sum':
      return values.reduce((a, b) => a + b, 0);
    case 'Average':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'Minimum':
      return Math.min(...values);
    case 'Maximum':
      return Math.max(...values);
    default:
      return values.length;
  }
}

function lowerBound(points: readonly Point[], t: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((points[mid]?.t ?? Infinity) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(points: Point[], point: Point): void {
  if (points.length === 0 || (points[points.length - 1]?.t ?? -Infinity) <= point.t) {
    points.push(point);
    return;
  }
  points.splice(lowerBound(points, point.t + 1), 0, point);
}
