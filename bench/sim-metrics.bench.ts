/**
 * GetMetricData on the stand-in: the watchdog's queries (issue 12) after hours of warm-up history, answered by
 * the front's metric index and by moto, which scans every point of the window once per period. Hot path: the
 * last 15 minutes of RequestCount for the load balancer and its two groups, one call. Audit: 14 days of
 * RequestCountPerTarget at 5-minute periods for both groups, one call.
 */
import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { startStandIn } from '../sim';

const SAMPLES = 5;
const HOURS = [2, 6];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const dimension = (arn: string): string => arn.split(':').slice(5).join(':').replace(/^loadbalancer\//, '');

const stat = (id: string, name: string, dims: Record<string, string>, period: number): MetricDataQuery => ({
  Id: id,
  MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: name, Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })) }, Period: period, Stat: 'Sum' },
});

async function timed(client: CloudWatchClient, input: GetMetricDataCommandInput): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = process.hrtime.bigint();
    await client.send(new GetMetricDataCommand(input));
    runs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(runs);
}

/** Prints warm-up time and the median of each query through the front (index) and straight to moto. */
export async function run(): Promise<void> {
  console.log(`GetMetricData after warm-up history (demo world, 4,000 requests/min, 20% on an /api/* rule), median of ${SAMPLES}`);
  console.log(`${'history'.padEnd(10)}${'warm-up s'.padStart(11)}${'hot front'.padStart(11)}${'hot moto'.padStart(10)}${'audit front'.padStart(13)}${'audit moto'.padStart(12)}  (ms)`);
  for (const hours of HOURS) {
    const started = Date.now();
    const standIn = await startStandIn({ world: 'demo', clock: { speed: 0, warmupMinutes: hours * 60 }, traffic: { requestMix: { web: [{ path: '/api/orders', share: 0.2 }] } } });
    const warmup = (Date.now() - started) / 1000;
    try {
      const r = standIn.world.resources;
      const lb = dimension(r['loadBalancer:web'] ?? '');
      const blue = dimension(r['targetGroup:web-blue'] ?? '');
      const green = dimension(r['targetGroup:web-green'] ?? '');
      const now = standIn.clock.now().getTime();
      const hot: GetMetricDataCommandInput = {
        StartTime: new Date(now - 15 * 60_000),
        EndTime: new Date(now),
        MetricDataQueries: [stat('lb', 'RequestCount', { LoadBalancer: lb }, 60), stat('b', 'RequestCount', { TargetGroup: blue, LoadBalancer: lb }, 60), stat('g', 'RequestCount', { TargetGroup: green, LoadBalancer: lb }, 60)],
      };
      const audit: GetMetricDataCommandInput = {
        StartTime: new Date(now - 14 * 24 * 3_600_000),
        EndTime: new Date(now),
        MetricDataQueries: [stat('b', 'RequestCountPerTarget', { TargetGroup: blue }, 300), stat('g', 'RequestCountPerTarget', { TargetGroup: green }, 300)],
      };
      const config = { region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'x' } };
      const front = new CloudWatchClient({ ...config, endpoint: standIn.url });
      const moto = new CloudWatchClient({ ...config, endpoint: standIn.backendUrl });
      const figures = [await timed(front, hot), await timed(moto, hot), await timed(front, audit), await timed(moto, audit)];
      front.destroy();
      moto.destroy();
      console.log(`${`${hours} h`.padEnd(10)}${warmup.toFixed(1).padStart(11)}${figures.map((f, i) => f.toFixed(1).padStart([11, 10, 13, 12][i] ?? 10)).join('')}`);
    } finally {
      await standIn.stop();
    }
  }
}

if (require.main === module) {
  run().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
