import { GetMetricDataCommand, type CloudWatchClient, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import type { MetricRequest, MetricSeries, MetricsReader } from '../core/ports';
import { callAws } from './aws-error';

/**
 * GetMetricData for the watchdog's metric queries: one request, following `NextToken` when CloudWatch pages
 * the answer (it does not for the hot path's 15 minutes: at most 500 queries × 15 datapoints), oldest first.
 * Throttling and other failures become `AwsCallError` (with `code`); the core decides what they mean.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
 */
export class CloudWatchMetricsReader implements MetricsReader {
  public constructor(private readonly client: CloudWatchClient) {}

  public async read(request: MetricRequest): Promise<MetricSeries[]> {
    const byId = new Map<string, { timestamps: number[]; values: number[] }>(request.queries.map((q) => [q.id, { timestamps: [], values: [] }]));
    let nextToken: string | undefined;
    do {
      const page = await callAws('GetMetricData', undefined, () =>
        this.client.send(
          new GetMetricDataCommand({
            StartTime: request.start,
            EndTime: request.end,
            ScanBy: 'TimestampAscending',
            NextToken: nextToken,
            MetricDataQueries: request.queries.map((q) => ({
              Id: q.id,
              MetricStat: {
                Metric: { Namespace: q.namespace, MetricName: q.metricName, Dimensions: q.dimensions.map((d) => ({ Name: d.name, Value: d.value })) },
                Period: q.periodSeconds,
                Stat: q.stat,
              },
              ReturnData: true,
            })),
          }),
        ),
      );
      for (const result of page.MetricDataResults ?? []) append(byId, result);
      nextToken = page.NextToken;
    } while (nextToken !== undefined && nextToken !== '');
    return [...byId.entries()].map(([id, s]) => sortedSeries(id, s.timestamps, s.values));
  }
}

function append(byId: Map<string, { timestamps: number[]; values: number[] }>, result: MetricDataResult): void {
  const series = byId.get(result.Id ?? '');
  if (series === undefined) return;
  (result.Timestamps ?? []).forEach((t, i) => {
    series.timestamps.push(t.getTime());
    series.values.push(result.Values?.[i] ?? 0);
  });
}

function sortedSeries(id: string, timestamps: number[], values: number[]): MetricSeries {
  const order = timestamps.map((_, i) => i).sort((a, b) => (timestamps[a] ?? 0) - (timestamps[b] ?? 0));
  return { id, timestamps: order.map((i) => timestamps[i] ?? 0), values: order.map((i) => values[i] ?? 0) };
}
