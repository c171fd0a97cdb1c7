/**
 * The watchdog's ELBv2 API footprint (issue 11, "A small API footprint"), counted at the stand-in's front per
 * caller: every call it answered, throttled ones too, never the watchdog's own counters.
 *
 * 1. Calls per change on a load balancer whose default action forwards to two groups and whose 10 or 50 path
 *    rules each forward to their own group (worlds `rules-10`, `rules-50`): a harmless RegisterTargets, a
 *    ModifyTargetGroupAttributes, and a change that is reverted, beside a full re-read
 *    (`Elbv2SnapshotReader.readSnapshot`). Targets: at most 6 for a harmless change, 12 for a reverted one,
 *    flat in the number of groups.
 */
import {
  DescribeListenersCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyTargetGroupAttributesCommand,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { Elbv2SnapshotReader } from '../lambdas/aws/elbv2-snapshot-reader';
import { callsByAction, startWatched, untilQuiet, watchdogElbv2Calls, type Elbv2Calls, type WatchedWorld } from './watchdog-bench-kit';

/** One measured change: what it was, the watchdog's calls, and what became of it. */
interface ChangeCost {
  readonly change: string;
  readonly calls: Elbv2Calls;
  readonly actions: Readonly<Record<string, Record<string, number>>>;
  readonly outcome: string;
}

async function measure(world: WatchedWorld, change: string, act: () => Promise<void>, outcome: () => Promise<string>): Promise<ChangeCost> {
  await untilQuiet(world);
  world.standIn.calls.reset();
  await act();
  await untilQuiet(world);
  const calls = watchdogElbv2Calls(world.standIn);
  const actions = Object.fromEntries(Object.keys(calls.byFunction).map((fn) => [fn, callsByAction(world.standIn, fn)]));
  return { change, calls, actions, outcome: await outcome() };
}

async function weights(world: WatchedWorld): Promise<string> {
  const r = world.standIn.world.resources;
  const listener = (await world.alice.send(new DescribeListenersCommand({ ListenerArns: [r['listener:shop:80']] }))).Listeners?.[0];
  return (listener?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups ?? []).map((g) => (g.TargetGroupArn === r['targetGroup:shop-blue'] ? `blue ${g.Weight}` : `green ${g.Weight}`)).join(', ');
}

async function fullReread(world: WatchedWorld): Promise<number> {
  const client = new ElasticLoadBalancingV2Client({ endpoint: world.standIn.url, region: world.standIn.region, credentials: { accessKeyId: 'bench-reader', secretAccessKey: 'x' } });
  world.standIn.calls.reset();
  await new Elbv2SnapshotReader(client).readSnapshot(world.standIn.world.resources['loadBalancer:shop']);
  client.destroy();
  return world.standIn.calls.list({ accessKeyId: 'bench-reader', service: 'elasticloadbalancing' }).totals.answered;
}

async function perChange(rules: 10 | 50): Promise<{ rules: number; groups: number; costs: ChangeCost[]; full: number }> {
  const world = await startWatched(`rules-${rules}`);
  try {
    const r = world.standIn.world.resources;
    const costs: ChangeCost[] = [];
    const notified = () => world.standIn.notifications().length;
    costs.push(
      await measure(
        world,
        'RegisterTargets (harmless: one more target in svc-01)',
        async () => void (await world.alice.send(new RegisterTargetsCommand({ TargetGroupArn: r['targetGroup:svc-01'], Targets: [{ Id: r['instance:shop-1'], Port: 80 }] }))),
        async () => `${notified()} notifications`,
      ),
    );
    costs.push(
      await measure(
        world,
        'ModifyTargetGroupAttributes (deregistration delay of svc-02)',
        async () =>
          void (await world.alice.send(
            new ModifyTargetGroupAttributesCommand({ TargetGroupArn: r['targetGroup:svc-02'], Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }] }),
          )),
        async () => `${notified()} notifications`,
      ),
    );
    const before = notified();
    costs.push(
      await measure(
        world,
        'ModifyListener (reverted: default blue 0 / green 100)',
        async () =>
          void (await world.alice.send(
            new ModifyListenerCommand({
              ListenerArn: r['listener:shop:80'],
              DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: r['targetGroup:shop-blue'], Weight: 0 }, { TargetGroupArn: r['targetGroup:shop-green'], Weight: 100 }] } }],
            }),
          )),
        async () => `listener now ${await weights(world)}; ${notified() - before} notification(s)`,
      ),
    );
    return { rules, groups: rules + 2, costs, full: await fullReread(world) };
  } finally {
    await world.stop();
  }
}

function printPerChange(results: Awaited<ReturnType<typeof perChange>>[]): void {
  process.stdout.write('ELBv2 calls per change, counted at the front (every call answered, throttled too), per watchdog function\n');
  process.stdout.write('| change | groups | route-change | on-change | sync-alarms | watchdog total | full re-read | outcome |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n');
  for (const { groups, costs, full } of results) {
    for (const c of costs) {
      const f = c.calls.byFunction;
      process.stdout.write(`| ${c.change} | ${groups} | ${f['route-change'] ?? 0} | ${f['on-change'] ?? 0} | ${f['sync-alarms'] ?? 0} | ${c.calls.total} | ${full} | ${c.outcome} |\n`);
    }
  }
  process.stdout.write('\nWhere the calls went (per function and action):\n');
  for (const { groups, costs } of results) {
    for (const c of costs) process.stdout.write(`  ${groups} groups, ${c.change}: ${JSON.stringify(c.actions)}\n`);
  }
}

/** Prints the figures. */
export async function run(): Promise<void> {
  const results = [await perChange(10), await perChange(50)];
  printPerChange(results);
}
