import { EmfMetrics, MAX_METRICS_PER_DOCUMENT, MetricUnit, MetricUnitConflictError, type EmfDocument } from '../../../lambdas/handlers/telemetry/emf-metrics';

// The document shape is CloudWatch's Embedded Metric Format:
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
// a root object with `_aws: { Timestamp (ms since epoch), CloudWatchMetrics: [MetricDirective] }`, each
// directive `{ Namespace, Dimensions: [[dimension keys]], Metrics: [{ Name, Unit }] }` with at most 100
// metric definitions; every dimension key and metric name is a top-level member holding its value (a number
// or an array of at most 100 numbers).

const AT = new Date('2026-12-07T05:00:00.000Z');

function writer(options: { disabled?: boolean } = {}) {
  const lines: string[] = [];
  const metrics = new EmfMetrics({ namespace: 'ElbWatchdog', serviceName: 'elb-watchdog-on-change', write: (line) => lines.push(line), now: () => AT, ...options });
  const documents = () => lines.map((line) => JSON.parse(line) as EmfDocument);
  return { metrics, lines, documents };
}

/** Every member the spec requires, checked on the parsed document. */
function expectEmf(document: EmfDocument): void {
  expect(typeof document._aws.Timestamp).toBe('number');
  for (const directive of document._aws.CloudWatchMetrics) {
    expect(directive.Metrics.length).toBeLessThanOrEqual(100);
    for (const set of directive.Dimensions) for (const key of set) expect(typeof document[key]).toBe('string');
    for (const { Name } of directive.Metrics) {
      const value = document[Name];
      if (Array.isArray(value)) expect(value.length).toBeLessThanOrEqual(100);
      else expect(typeof value).toBe('number');
    }
  }
}

describe('EmfMetrics', () => {
  it('writes one EMF document per flush: namespace, the service dimension, names with units, values at the top level', () => {
    const { metrics, documents } = writer();
    metrics.addMetric('Verdict_unsafe', MetricUnit.Count, 1);
    metrics.addMetric('CallToActionLatency', MetricUnit.Milliseconds, 2300);
    metrics.publishStoredMetrics();
    expect(documents()).toEqual([
      {
        _aws: {
          Timestamp: AT.getTime(),
          CloudWatchMetrics: [
            {
              Namespace: 'ElbWatchdog',
              Dimensions: [['service']],
              Metrics: [
                { Name: 'Verdict_unsafe', Unit: 'Count' },
                { Name: 'CallToActionLatency', Unit: 'Milliseconds' },
              ],
            },
          ],
        },
        service: 'elb-watchdog-on-change',
        Verdict_unsafe: 1,
        CallToActionLatency: 2300,
      },
    ]);
    expectEmf(documents()[0]);
  });

  it('collects the values of a metric added again into an array, and forgets them once written', () => {
    const { metrics, documents } = writer();
    metrics.addMetric('Verdict_safe', MetricUnit.Count, 1);
    metrics.addMetric('Verdict_safe', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    metrics.addMetric('Reverts', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    const [first, second] = documents();
    expect(first.Verdict_safe).toEqual([1, 1]);
    expect(second.Verdict_safe).toBeUndefined();
    expect(second._aws.CloudWatchMetrics[0].Metrics).toEqual([{ Name: 'Reverts', Unit: 'Count' }]);
  });

  it('writes nothing when nothing was added, or when disabled', () => {
    const empty = writer();
    empty.metrics.publishStoredMetrics();
    expect(empty.lines).toEqual([]);
    const disabled = writer({ disabled: true });
    disabled.metrics.addMetric('Failures', MetricUnit.Count, 1);
    disabled.metrics.publishStoredMetrics();
    expect(disabled.lines).toEqual([]);
  });

  it('never passes the spec limits: a 101st metric or a 101st value starts a new document', () => {
    const { metrics, documents } = writer();
    for (let i = 0; i <= MAX_METRICS_PER_DOCUMENT; i += 1) metrics.addMetric(`M${i}`, MetricUnit.Count, i);
    for (let i = 0; i < 150; i += 1) metrics.addMetric('Latency', MetricUnit.Milliseconds, i);
    metrics.publishStoredMetrics();
    const written = documents();
    written.forEach(expectEmf);
    expect(written.map((d) => d._aws.CloudWatchMetrics[0].Metrics.length)).toEqual([100, 2, 1]);
    expect(written[1].M100).toBe(100);
    expect((written[1].Latency as number[]).length + (written[2].Latency as number[]).length).toBe(150);
    expect(written[1].Latency).toHaveLength(100);
  });

  it('refuses one name with two units, which CloudWatch could not keep apart', () => {
    const { metrics } = writer();
    metrics.addMetric('Latency', MetricUnit.Milliseconds, 1);
    expect(() => metrics.addMetric('Latency', MetricUnit.Seconds, 1)).toThrow(MetricUnitConflictError);
  });
});
