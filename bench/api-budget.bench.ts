/**
 * The watchdog's ELBv2 API footprint (issue 11, "A small API footprint"), counted at the stand-in's front per
 * caller: every call it answered, throttled ones too, never the watchdog's own counters.
 *
 * 1. Calls per change on a load balancer whose default action forwards to two groups and whose 10 or 50 path
 *    rules each forward to their own group (worlds `rules-10`, `rules-50`): a harmless RegisterTargets, a
 *    ModifyTargetGroupAttributes, and a change that is reverted, beside a full re-read
 *    (`Elbv2SnapshotReader.readSnapshot`). Targets: at most 6 for a harmless change, 12 for a reverted one,
 *    flat in the number of groups.
 * 2. A single "Terraform apply" with AWS's token buckets enforced per account
 *    (https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-api-throttling.html): one ALB with
 *    50 target groups (2 targets each), a listener and 50 path rules, about 150 calls and so 150 events, made
 *    by a `terraform` user whose client retries throttling as the provider does. The watchdog's ELBv2 calls
 *    (answered, throttled), Terraform's throttled calls, and seconds until the watchdog has drained them.
 */
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DescribeListenersCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyTargetGroupAttributesCommand,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { Elbv2SnapshotReader } from '../lambdas/aws/elbv2-snapshot-reader';
import { createBackendClients } from '../sim/backend/backend-clients';
import { createNetwork, runInstances } from '../sim/worlds/world-parts';
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

/** What one Terraform apply cost. */
interface ApplyCost {
  readonly terraformCalls: number;
  readonly terraformThrottled: number;
  readonly watchdog: Elbv2Calls;
  readonly actions: Record<string, Record<string, number>>;
  readonly applySeconds: number;
  readonly drainSeconds: number;
  readonly notifications: number;
}

async function terraformApply(groups: number): Promise<ApplyCost> {
  const world = await startWatched('empty', { standIn: { elbApiBuckets: true } });
  const { standIn } = world;
  const backend = createBackendClients(standIn.backendUrl, standIn.region);
  const terraform = new ElasticLoadBalancingV2Client({ endpoint: standIn.url, region: standIn.region, credentials: { accessKeyId: 'terraform', secretAccessKey: 'x' }, maxAttempts: 25 });
  try {
    // The network and instances exist before the apply (made straight in the backend: no events).
    const { vpcId, subnets } = await createNetwork(backend);
    const instances = await runInstances(backend, subnets[0], 2 * groups);
    await untilQuiet(world);
    standIn.calls.reset();
    const started = performance.now();
    const lb = await terraform.send(new CreateLoadBalancerCommand({ Name: 'tf', Subnets: [...subnets], Type: 'application' }));
    const lbArn = lb.LoadBalancers?.[0]?.LoadBalancerArn ?? '';
    const arns: string[] = [];
    // Terraform's default parallelism is 10 resources at a time.
    for (let first = 0; first < groups; first += 10) {
      arns.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(10, groups - first) }, async (_, k) => {
            const n = first + k;
            const created = await terraform.send(new CreateTargetGroupCommand({ Name: `tf-${n}`, Protocol: 'HTTP', Port: 80, VpcId: vpcId, TargetType: 'instance' }));
            const arn = created.TargetGroups?.[0]?.TargetGroupArn ?? '';
            await terraform.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: instances.slice(2 * n, 2 * n + 2).map((Id) => ({ Id, Port: 80 })) }));
            return arn;
          }),
        )),
      );
    }
    const listener = await terraform.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: arns[0] }] }));
    const listenerArn = listener.Listeners?.[0]?.ListenerArn ?? '';
    for (let first = 0; first < groups; first += 10) {
      await Promise.all(
        Array.from({ length: Math.min(10, groups - first) }, (_, k) =>
          terraform.send(
            new CreateRuleCommand({
              ListenerArn: listenerArn,
              Priority: first + k + 1,
              Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: [`/tf-${first + k}/*`] } }],
              Actions: [{ Type: 'forward', TargetGroupArn: arns[first + k] }],
            }),
          ),
        ),
      );
    }
    const applied = performance.now();
    await untilQuiet(world, { quietMs: 3000 });
    // The quiet period is not drain time.
    const drained = performance.now() - 3000;
    const tf = standIn.calls.list({ accessKeyId: 'terraform', service: 'elasticloadbalancing' }).totals;
    const watchdog = watchdogElbv2Calls(standIn);
    return {
      terraformCalls: tf.answered,
      terraformThrottled: tf.throttled,
      watchdog,
      actions: Object.fromEntries(Object.keys(watchdog.byFunction).map((fn) => [fn, callsByAction(standIn, fn)])),
      applySeconds: (applied - started) / 1000,
      drainSeconds: (drained - started) / 1000,
      notifications: standIn.notifications().length,
    };
  } finally {
    terraform.destroy();
    backend.destroy();
    await world.stop();
  }
}

function printApply(cost: ApplyCost): void {
  process.stdout.write('\nOne Terraform apply: 1 ALB, 50 target groups (2 targets each), a listener, 50 path rules; AWS token buckets enforced\n');
  process.stdout.write('| Terraform calls (throttled) | apply s | watchdog ELBv2 calls | watchdog throttled | by function | drained after s | notifications |\n| --- | --- | --- | --- | --- | --- | --- |\n');
  process.stdout.write(
    `| ${cost.terraformCalls} (${cost.terraformThrottled}) | ${cost.applySeconds.toFixed(1)} | ${cost.watchdog.total} | ${cost.watchdog.throttled} | ${JSON.stringify(cost.watchdog.byFunction)} | ${cost.drainSeconds.toFixed(1)} | ${cost.notifications} |\n`,
  );
  process.stdout.write(`  where the watchdog's calls went: ${JSON.stringify(cost.actions)}\n`);
}

/** Prints the figures. */
/** `API_BUDGET_PARTS=per-change` (or `apply`) runs one part: the apply alone takes minutes. */
export async function run(): Promise<void> {
  const parts = (process.env.API_BUDGET_PARTS ?? 'per-change,apply').split(',');
  if (parts.includes('per-change')) printPerChange([await perChange(10), await perChange(50)]);
  if (parts.includes('apply')) printApply(await terraformApply(50));
}
