/**
 * What judging with load costs. (1) `evaluate` with the prediction and `capacity-headroom` against `evaluate`
 * by shares alone, on the load balancers of `core.bench.ts` (100 overlapping rules, 1,000 and 10,000 targets).
 * (2) The latency the judge adds on the stand-in with 50 ms added to every AWS call: `loadForChange` (one
 * GetMetricData call through the real CloudWatch adapter, and the proven capacity read from the state table
 * at the same time) after 20 warm-up minutes of demo traffic. In AWS the capacity read also verifies its MAC
 * with KMS (one more call, still beside the GetMetricData call); here the MAC is computed in process.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import Table from 'cli-table3';
import { CloudWatchMetricsReader } from '../lambdas/aws/cloudwatch-metrics-reader';
import { DynamoDbStateStore } from '../lambdas/aws/dynamodb-state-store';
import type { LoadContext } from '../lambdas/core/capacity/load-types';
import { readProvenCapacity } from '../lambdas/core/capacity/read-load';
import { DEFAULT_POLICY, evaluate } from '../lambdas/core/policy';
import { loadForChange } from '../lambdas/core/workflow/load-for-change';
import { startStandIn } from '../sim';
import { Elbv2SnapshotReader } from '../lambdas/aws/elbv2-snapshot-reader';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { applyChange } from '../lambdas/core/simulate/apply-change';
import { LocalHmac } from '../test/helpers/local-hmac';
import { benchSnapshot } from './core.bench';

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const p99 = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(0.99 * values.length) - 1)];

function timeIt(runs: number, body: () => void): number[] {
  for (let i = 0; i < 10; i += 1) body();
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = process.hrtime.bigint();
    body();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return times;
}

/** (1) evaluate with and without the prediction. */
function evaluateCost(): void {
  const table = new Table({ head: ['targets', 'judged by', 'runs', 'median ms', 'p99 ms', 'verdict'], style: { head: [], border: [] } });
  for (const targets of [1_000, 10_000]) {
    const before = benchSnapshot(targets, { g0: 100, g1: 0 });
    const after = benchSnapshot(targets, { g0: 0, g1: 100 });
    const groups = Object.fromEntries(before.targetGroups.map((g) => [g.arn, 10_000]));
    const load: LoadContext = {
      reading: { status: 'observed', source: 'file', load: { metric: 'RequestCount', windowMinutes: 15, groups } },
      capacity: {
        loadBalancerArn: before.loadBalancer.arn,
        computedAt: before.capturedAt,
        lookbackHours: 336,
        periodMinutes: 5,
        metric: 'RequestCount',
        groups: Object.fromEntries(before.targetGroups.map((g) => [g.arn, { groupName: g.name, perTargetPerMinute: 15, sustainedMinutes: 5, at: before.capturedAt }])),
      },
    };
    const runs = targets >= 10_000 ? 100 : 300;
    for (const [label, options] of [['shares', {}], ['load', { load }]] as const) {
      let decision = '';
      const times = timeIt(runs, () => {
        decision = evaluate(DEFAULT_POLICY, before, after, options).decision;
      });
      table.push([targets.toLocaleString('en-US'), label, runs, median(times).toFixed(1), p99(times).toFixed(1), decision]);
    }
  }
  console.log('evaluate by shares vs with the load prediction (100 rules, 10 groups):');
  console.log(table.toString());
}

/** (2) the judge's added latency on the stand-in, 50 ms per AWS call. */
async function judgeLatency(): Promise<void> {
  const standIn = await startStandIn({ world: 'demo', clock: { speed: 0, warmupMinutes: 20 } });
  const config = { endpoint: standIn.url, region: standIn.region, credentials: { accessKeyId: 'bench', secretAccessKey: 'x' } };
  const cloudwatch = new CloudWatchClient(config);
  const dynamodb = new DynamoDBClient(config);
  const elbv2 = new ElasticLoadBalancingV2Client(config);
  try {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: 'bench-state',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      }),
    );
    const store = new DynamoDbStateStore(dynamodb, 'bench-state', () => new Date(), new LocalHmac());
    const metrics = new CloudWatchMetricsReader(cloudwatch);
    const lbArn = standIn.world.resources['loadBalancer:web'] ?? '';
    const before = await new Elbv2SnapshotReader(elbv2).readSnapshot(lbArn);
    await store.putProvenCapacity(await readProvenCapacity(metrics, before, new Date(), 1));
    const [blue, green] = before.targetGroups;
    const listener = before.listeners[0];
    const after = applyChange(before, {
      eventName: 'ModifyListener',
      request: { listenerArn: listener.arn, defaultActions: [{ type: 'forward', forward: { targetGroups: [{ targetGroupArn: blue.arn, weight: 0 }, { targetGroupArn: green.arn, weight: 100 }] } }] },
    } as Parameters<typeof applyChange>[1]);
    standIn.faults.configure({ rules: [{ latencyMs: 50 }] });
    const deps = { metrics, capacity: store, policy: DEFAULT_POLICY, now: () => new Date() };
    const lb = { arn: lbArn, tags: before.loadBalancer.tags };
    const times: number[] = [];
    let basis = '';
    for (let i = 0; i < 25; i += 1) {
      const callsBefore = standIn.calls.list({ service: 'monitoring', action: 'GetMetricData' }).totals.answered;
      const started = process.hrtime.bigint();
      const { load } = await loadForChange(deps, before, after, lb);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      const calls = standIn.calls.list({ service: 'monitoring', action: 'GetMetricData' }).totals.answered - callsBefore;
      if (calls !== 1) throw new Error(`expected one GetMetricData call per judged change, the stand-in saw ${calls}`);
      basis = load?.reading.status === 'observed' ? `observed, ${Object.keys(load.capacity?.groups ?? {}).length} group(s) with proven capacity` : String(load?.reading.status);
    }
    console.log(`judge's added latency with 50 ms per AWS call (loadForChange: GetMetricData + capacity read in parallel), 25 changes:`);
    console.log(`  median ${median(times).toFixed(1)} ms, p99 ${p99(times).toFixed(1)} ms; 1 GetMetricData call per change (counted by the stand-in); load ${basis}`);
  } finally {
    cloudwatch.destroy();
    dynamodb.destroy();
    elbv2.destroy();
    await standIn.stop();
  }
}

/** Prints both figures. */
export async function run(): Promise<void> {
  evaluateCost();
  await judgeLatency();
}

if (require.main === module) {
  run().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
