import { AwsError } from '../front/codec';

/** A dimension as CloudWatch carries it. */
export interface Dimension {
  readonly Name: string;
  readonly Value: string;
}

/** An anomaly detector in the JSON shape of the CloudWatch API (`AnomalyDetector`). */
export interface AnomalyDetector {
  Namespace?: string;
  MetricName?: string;
  Dimensions?: Dimension[];
  Stat?: string;
  Configuration?: Record<string, unknown>;
  MetricCharacteristics?: Record<string, unknown>;
  SingleMetricAnomalyDetector?: { AccountId?: string; Namespace: string; MetricName: string; Dimensions: Dimension[]; Stat: string };
  MetricMathAnomalyDetector?: { MetricDataQueries: Record<string, unknown>[] };
  StateValue: 'PENDING_TRAINING' | 'TRAINED_INSUFFICIENT_DATA' | 'TRAINED';
}

/** AWS's quota of anomaly detection models per Region. */
export const MAX_DETECTORS = 500;

/**
 * Anomaly detectors, which moto does not implement: kept by the stand-in, keyed as CloudWatch keys them
 * (namespace, metric, dimensions, statistic — or the metric-math queries).
 */
export class AnomalyDetectorStore {
  private readonly detectors = new Map<string, AnomalyDetector>();

  /** Creates or updates a detector from PutAnomalyDetector's (normalised, coerced) parameters. */
  put(params: Record<string, unknown>): AnomalyDetector {
    const detector = fromParams(params);
    const key = keyOf(detector);
    const existing = this.detectors.get(key);
    if (!existing && this.detectors.size >= MAX_DETECTORS) {
      throw new AwsError('LimitExceededException', `The maximum number of anomaly detectors (${MAX_DETECTORS}) has been reached.`, 400);
    }
    this.detectors.set(key, { ...detector, StateValue: existing?.StateValue ?? 'PENDING_TRAINING' });
    return this.detectors.get(key) as AnomalyDetector;
  }

  /** Deletes the detector the parameters name; ResourceNotFoundException (HTTP 404, as modelled) when there is none. */
  delete(params: Record<string, unknown>): void {
    if (!this.detectors.delete(keyOf(fromParams(params)))) {
      throw new AwsError('ResourceNotFoundException', 'No anomaly detector found for the specified parameters.', 404, 'Sender');
    }
  }

  /** Detectors matching DescribeAnomalyDetectors' filters. */
  describe(filter: { Namespace?: string; MetricName?: string; Dimensions?: Dimension[]; AnomalyDetectorTypes?: string[] }): AnomalyDetector[] {
    return [...this.detectors.values()].filter((d) => {
      const single = d.SingleMetricAnomalyDetector;
      const type = single ? 'SINGLE_METRIC' : 'METRIC_MATH';
      if (filter.AnomalyDetectorTypes?.length && !filter.AnomalyDetectorTypes.includes(type)) return false;
      if (filter.Namespace && single?.Namespace !== filter.Namespace) return false;
      if (filter.MetricName && single?.MetricName !== filter.MetricName) return false;
      return (filter.Dimensions ?? []).every((f) => single?.Dimensions.some((x) => x.Name === f.Name && x.Value === f.Value));
    });
  }

  /** Marks the detector of a single metric trained (the band model had enough history). */
  markTrained(namespace: string, metricName: string, dimensions: Dimension[], stat: string): void {
    const key = keyOf(fromParams({ SingleMetricAnomalyDetector: { Namespace: namespace, MetricName: metricName, Dimensions: dimensions, Stat: stat } }));
    const detector = this.detectors.get(key);
    if (detector) detector.StateValue = 'TRAINED';
  }

  /** Forgets every detector. */
  reset(): void {
    this.detectors.clear();
  }
}

function fromParams(params: Record<string, unknown>): AnomalyDetector {
  const math = params.MetricMathAnomalyDetector as AnomalyDetector['MetricMathAnomalyDetector'] | undefined;
  const singleIn = params.SingleMetricAnomalyDetector as Record<string, unknown> | undefined;
  const legacy = params.MetricName !== undefined || params.Namespace !== undefined;
  if (math && (singleIn || legacy)) {
    throw new AwsError('InvalidParameterCombination', 'Specify either SingleMetricAnomalyDetector or MetricMathAnomalyDetector, not both.', 400);
  }
  const common = {
    ...(params.Configuration ? { Configuration: params.Configuration as Record<string, unknown> } : {}),
    ...(params.MetricCharacteristics ? { MetricCharacteristics: params.MetricCharacteristics as Record<string, unknown> } : {}),
    StateValue: 'PENDING_TRAINING' as const,
  };
  if (math) {
    if (!Array.isArray(math.MetricDataQueries) || math.MetricDataQueries.length === 0) {
      throw new AwsError('MissingParameter', 'MetricMathAnomalyDetector.MetricDataQueries is required.', 400);
    }
    return { MetricMathAnomalyDetector: { MetricDataQueries: math.MetricDataQueries }, ...common };
  }
  const source = singleIn ?? params;
  const Namespace = source.Namespace;
  const MetricName = source.MetricName;
  const Stat = source.Stat;
  for (const [name, value] of Object.entries({ Namespace, MetricName, Stat })) {
    if (typeof value !== 'string' || value === '') throw new AwsError('MissingParameter', `The parameter ${name} is required.`, 400);
  }
  const Dimensions = (Array.isArray(source.Dimensions) ? (source.Dimensions as Dimension[]) : []).map((d) => ({ Name: String(d.Name), Value: String(d.Value) }));
  const single = { Namespace: String(Namespace), MetricName: String(MetricName), Dimensions, Stat: String(Stat) };
  // AWS echoes the single-metric fields both at top level (legacy) and in SingleMetricAnomalyDetector.
  return { ...single, SingleMetricAnomalyDetector: single, ...common };
}

function keyOf(d: AnomalyDetector): string {
  const single = d.SingleMetricAnomalyDetector;
  if (single) {
    const dims = [...single.Dimensions].sort((a, b) => a.Name.localeCompare(b.Name)).map((x) => `${x.Name}=${x.Value}`);
    return JSON.stringify(['single', single.Namespace, single.MetricName, single.Stat, dims]);
  }
  return JSON.stringify(['math', d.MetricMathAnomalyDetector?.MetricDataQueries]);
}
