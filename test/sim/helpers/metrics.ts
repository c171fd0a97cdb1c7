import { GetMetricDataCommand, type CloudWatchClient, type Dimension } from '@aws-sdk/client-cloudwatch';

/** Sum of a metric per minute over [start, end), read back from CloudWatch as any client would. */
export async function minuteSums(cloudwatch: CloudWatchClient, namespace: string, name: string, dimensions: Dimension[], start: Date, end: Date): Promise<number[]> {
  const out = await cloudwatch.send(
    new GetMetricDataCommand({
      StartTime: start,
      EndTime: end,
      MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: { Namespace: namespace, MetricName: name, Dimensions: dimensions }, Period: 60, Stat: 'Sum' }, ReturnData: true }],
    }),
  );
  return out.MetricDataResults?.[0]?.Values ?? [];
}

/** The CloudWatch dimension value of an ELBv2 ARN (`app/web/…`, `targetgroup/web-blue/…`). */
export function dimensionValue(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  return resource.replace(/^loadbalancer\//, '');
}
