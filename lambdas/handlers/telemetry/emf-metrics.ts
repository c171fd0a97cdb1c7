/*
 * The handlers' metrics, written as CloudWatch Embedded Metric Format documents to stdout, where Lambda's
 * log group turns them into metrics without an API call
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
 * Written here because the handlers use `addMetric` and one flush per invocation, and Powertools' Metrics
 * cost ~13 KB in every Lambda bundle (measured with esbuild's metafile). The documents are the ones
 * Powertools wrote: the same namespace, the `service` dimension, the same names and units.
 */

/** The CloudWatch units the handlers use (the values are CloudWatch's names, as in PutMetricData). */
export const MetricUnit = {
  Count: 'Count',
  Milliseconds: 'Milliseconds',
  Seconds: 'Seconds',
  Percent: 'Percent',
  Bytes: 'Bytes',
} as const;
/** A CloudWatch unit. */
export type MetricUnit = (typeof MetricUnit)[keyof typeof MetricUnit];

/** The spec: a MetricDirective's `Metrics` "MUST NOT contain more than 100" definitions. */
export const MAX_METRICS_PER_DOCUMENT = 100;
/** The spec: a target member's value is a number or an array of at most 100 numbers. */
export const MAX_VALUES_PER_METRIC = 100;

/** One EMF document. */
export interface EmfDocument {
  readonly _aws: {
    readonly Timestamp: number;
    readonly CloudWatchMetrics: readonly {
      readonly Namespace: string;
      readonly Dimensions: readonly (readonly string[])[];
      readonly Metrics: readonly { readonly Name: string; readonly Unit: MetricUnit }[];
    }[];
  };
  readonly [member: string]: unknown;
}

/** The same metric name added with two units: CloudWatch would keep one of them silently. */
export class MetricUnitConflictError extends Error {
  constructor(
    readonly metricName: string,
    readonly units: readonly [MetricUnit, MetricUnit],
  ) {
    super(`metric ${metricName} was added as ${units[0]} and then as ${units[1]}`);
    this.name = 'MetricUnitConflictError';
  }
}

/** Settings of a metrics writer. */
export interface EmfMetricsOptions {
  readonly namespace: string;
  /** The value of the `service` dimension every metric carries. */
  readonly serviceName: string;
  /** When set, nothing is written (the local runner: the test process's stdout is not a log group). */
  readonly disabled?: boolean;
  /** Where a document goes. Default: `process.stdout` directly (Lambda's console prefix would break the JSON). */
  readonly write?: (line: string) => void;
  readonly now?: () => Date;
}

/** Collects metrics during an invocation and writes them at its end. */
export class EmfMetrics {
  private readonly stored = new Map<string, { unit: MetricUnit; values: number[] }>();
  private readonly write: (line: string) => void;
  private readonly now: () => Date;

  constructor(private readonly options: EmfMetricsOptions) {
    this.write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
    this.now = options.now ?? (() => new Date());
  }

  /** Adds a value; a name added again in the same invocation collects its values into an array. */
  addMetric(name: string, unit: MetricUnit, value: number): void {
    let metric = this.stored.get(name);
    if (metric !== undefined && metric.unit !== unit) throw new MetricUnitConflictError(name, [metric.unit, unit]);
    // A full document or a full value array is written first, so no limit of the spec is ever passed.
    if ((metric === undefined && this.stored.size >= MAX_METRICS_PER_DOCUMENT) || (metric !== undefined && metric.values.length >= MAX_VALUES_PER_METRIC)) {
      this.publishStoredMetrics();
      metric = undefined;
    }
    if (metric === undefined) this.stored.set(name, { unit, values: [value] });
    else metric.values.push(value);
  }

  /** Writes what was added as one document and forgets it; nothing when nothing was added. */
  publishStoredMetrics(): void {
    if (this.stored.size === 0) return;
    const document = this.document();
    this.stored.clear();
    if (this.options.disabled !== true) this.write(JSON.stringify(document));
  }

  private document(): EmfDocument {
    const metrics = [...this.stored];
    return {
      _aws: {
        Timestamp: this.now().getTime(),
        CloudWatchMetrics: [{ Namespace: this.options.namespace, Dimensions: [['service']], Metrics: metrics.map(([Name, { unit }]) => ({ Name, Unit: unit })) }],
      },
      service: this.options.serviceName,
      ...Object.fromEntries(metrics.map(([name, { values }]) => [name, values.length === 1 ? values[0] : values])),
    };
  }
}
