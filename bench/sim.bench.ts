/**
 * The stand-in's costs: round-trip time of DescribeRules and ModifyListener through the front against
 * straight to moto (the front's overhead as a ratio), and the traffic model's cost per sim minute for
 * 100 load balancers × 50 targets (the split and metrics alone, and with PutMetricData into moto).
 */
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeRulesCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { startStandIn, type StandIn } from '../sim';
import { createBackendClients } from '../sim/backend/backend-clients';

const SAMPLES = 200;
const WARMUP = 20;
const LOAD_BALANCERS = 100;
const TARGETS = 50;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Times `a` and `b` alternately, so both see the same backend state and load; warm-up calls are dropped. */
async function timePairs(times: number, a: (i: number) => Promise<unknown>, b: (i: number) => Promise<unknown>): Promise<[number[], number[]]> {
  const outA: number[] = [];
  const outB: number[] = [];
  for (let i = 0; i < WARMUP + times; i++) {
    for (const [call, out] of [[a, outA], [b, outB]] as const) {
      const t = process.hrtime.bigint();
      await call(i);
      if (i >= WARMUP) out.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
  return [outA, outB];
}

const client = (endpoint: string): ElasticLoadBalancingV2Client =>
  new ElasticLoadBalancingV2Client({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'x' }, maxAttempts: 1 });

/** Median round trips through the front and straight to moto, per call. */
async function roundTrips(standIn: StandIn): Promise<void> {
  const listenerArn = standIn.world.resources['listener:web:80'] ?? '';
  const blue = standIn.world.resources['targetGroup:web-blue'];
  const green = standIn.world.resources['targetGroup:web-green'];
  const modify = (i: number) =>
    new ModifyListenerCommand({
      ListenerArn: listenerArn,
      DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: blue, Weight: 100 }, { TargetGroupArn: green, Weight: i % 2 }] } }],
    });
  console.log(`Round trip, median of ${SAMPLES} (after ${WARMUP} warm-up calls), AWS SDK v3 over loopback`);
  console.log(`${'call'.padEnd(16)}${'front ms'.padStart(10)}${'moto ms'.padStart(10)}${'ratio'.padStart(8)}`);
  for (const [name, make] of [
    ['DescribeRules', () => new DescribeRulesCommand({ ListenerArn: listenerArn })],
    ['ModifyListener', modify],
  ] as const) {
    const front = client(standIn.url);
    const moto = client(standIn.backendUrl);
    const [viaFront, straight] = await timePairs(SAMPLES, (i) => front.send(make(i) as never), (i) => moto.send(make(i) as never));
    const f = median(viaFront);
    const m = median(straight);
    console.log(`${name.padEnd(16)}${f.toFixed(2).padStart(10)}${m.toFixed(2).padStart(10)}${(f / m).toFixed(2).padStart(8)}`);
    front.destroy();
    moto.destroy();
  }
  await standIn.settled();
}

/** Creates 100 ALBs with one listener and one target group of 50 IP targets each, straight in moto. */
async function bigWorld(standIn: StandIn): Promise<void> {
  const backend = createBackendClients(standIn.backendUrl, standIn.region);
  const vpc = await backend.ec2('CreateVpc', { CidrBlock: '10.1.0.0/16' });
  const vpcId = String((vpc.vpc as Record<string, unknown>).vpcId);
  const subnets: string[] = [];
  for (const [i, zone] of ['a', 'b'].entries()) {
    const subnet = await backend.ec2('CreateSubnet', { VpcId: vpcId, CidrBlock: `10.1.${i}.0/24`, AvailabilityZone: `${standIn.region}${zone}` });
    subnets.push(String((subnet.subnet as Record<string, unknown>).subnetId));
  }
  for (let lb = 0; lb < LOAD_BALANCERS; lb++) {
    const created = await backend.elbv2.send(new CreateLoadBalancerCommand({ Name: `lb-${lb}`, Subnets: subnets }));
    const tg = await backend.elbv2.send(new CreateTargetGroupCommand({ Name: `tg-${lb}`, Protocol: 'HTTP', Port: 80, VpcId: vpcId, TargetType: 'ip' }));
    const tgArn = tg.TargetGroups?.[0]?.TargetGroupArn ?? '';
    const targets = Array.from({ length: TARGETS }, (_, t) => ({ Id: `10.1.${t % 2}.${10 + t}`, Port: 80 }));
    await backend.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: targets }));
    await backend.elbv2.send(new CreateListenerCommand({ LoadBalancerArn: created.LoadBalancers?.[0]?.LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] }));
  }
  backend.destroy();
}

/** The traffic model's cost per sim minute at 100 load balancers × 50 targets. */
async function trafficCost(standIn: StandIn): Promise<void> {
  let t = Date.now();
  await bigWorld(standIn);
  console.log(`\nTraffic model, ${LOAD_BALANCERS} load balancers × ${TARGETS} targets (world built in moto in ${((Date.now() - t) / 1000).toFixed(1)} s)`);
  const engine = standIn.traffic;
  engine.invalidate();
  t = Date.now();
  const topology = await engine.currentTopology();
  const targets = [...topology.targetGroups.values()].reduce((n, g) => n + g.targets.length, 0);
  console.log(`  read the configuration from moto (only after a change): ${Date.now() - t} ms (${topology.loadBalancers.length} LBs, ${targets} targets)`);
  const minute = new Date(Date.UTC(2025, 4, 19, 10, 0));
  const simulate: number[] = [];
  let data = 0;
  for (let i = 0; i < 50; i++) {
    const start = process.hrtime.bigint();
    const result = engine.simulate(topology, new Date(minute.getTime() + i * 60_000));
    simulate.push(Number(process.hrtime.bigint() - start) / 1e6);
    data = result.metrics.reduce((n, m) => n + m.data.length, 0);
  }
  console.log(`  split + crash model + metric data, median of 50 minutes: ${median(simulate).toFixed(2)} ms per sim minute (${data} datapoints)`);
  const ticks: number[] = [];
  for (let i = 0; i < 10; i++) {
    const start = process.hrtime.bigint();
    await engine.tick(new Date(minute.getTime() + (100 + i) * 60_000));
    ticks.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  console.log(`  the same with PutMetricData into moto, median of 10 minutes: ${median(ticks).toFixed(1)} ms per sim minute`);
}

/** Runs both measurements on a fresh stand-in and prints the figures. */
export async function run(): Promise<void> {
  const standIn = await startStandIn({ world: 'demo', clock: { speed: 0 } });
  try {
    await roundTrips(standIn);
    await standIn.reset({ world: 'empty' });
    await trafficCost(standIn);
  } finally {
    await standIn.stop();
  }
}

if (require.main === module) {
  run().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
