/**
 * A burst across load balancers (issue 16): 20 ALBs of the May 19 shape (world `fleet-20`) flipped onto their
 * single green server within one second by a person, judged and reverted by the deployed watchdog (the local
 * runner plays Lambda from the construct's template). Measured at the stand-in's front:
 * - from each flip (the moment ELBv2 answered it) to its listener restored (the moment ELBv2 answered the
 *   watchdog's ModifyListener on that listener): median and max;
 * - the watchdog's ELBv2 calls, answered and throttled.
 * Runs three times: no faults; 50% of ELBv2 calls throttled (fault injection, every caller); and AWS's token
 * buckets enforced per account (https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-api-throttling.html),
 * where the person's 20 flips and the watchdog's 20 reverts share the mutating bucket (20 tokens, 3/s).
 * Targets: max ≤ 5 s without faults, ≤ 10 s with 50% throttling (2 cores).
 */
import { ModifyListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { CallContext } from '../sim/front/interceptor';
import type { WireAnswer } from '../sim/front/codec/protocol';
import { WATCHDOG_ACCESS_KEY } from '../sim/runner/watchdog-runner';
import { fleetName } from '../sim/worlds/fleet-world';
import { median, startWatched, untilQuiet, watchdogElbv2Calls, type Elbv2Calls } from './watchdog-bench-kit';

const LOAD_BALANCERS = 20;

interface BurstResult {
  readonly condition: string;
  readonly seconds: number[];
  readonly restored: number;
  readonly calls: Elbv2Calls;
  readonly notifications: number;
}

async function burst(condition: string, setup: { throttleRate?: number; buckets?: boolean }): Promise<BurstResult> {
  const world = await startWatched('fleet-20', { standIn: { elbApiBuckets: setup.buckets === true } });
  try {
    const r = world.standIn.world.resources;
    const listeners = Array.from({ length: LOAD_BALANCERS }, (_, i) => r[`listener:${fleetName(i + 1)}:80`]);
    await untilQuiet(world);
    if (setup.throttleRate !== undefined) world.standIn.faults.configure({ rules: [{ service: 'elasticloadbalancing', throttleRate: setup.throttleRate }], seed: 16 });
    world.standIn.calls.reset();
    const flipped = new Map<string, number>();
    const restored = new Map<string, number>();
    const listenerOf = (context: CallContext) => listeners.find((l) => JSON.stringify(context.call.params).includes(l));
    const stop = world.standIn.callHooks.add({
      after: (context: CallContext, answer: WireAnswer) => {
        if (context.call.action !== 'ModifyListener' || answer.status !== 200) return;
        const listener = listenerOf(context);
        if (listener === undefined) return;
        const key = context.call.accessKeyId ?? '';
        if (key === 'alice') flipped.set(listener, performance.now());
        else if (key.startsWith(`${WATCHDOG_ACCESS_KEY}.`) && flipped.has(listener) && !restored.has(listener)) restored.set(listener, performance.now());
      },
    });
    const notificationsBefore = world.standIn.notifications().length;
    await Promise.all(
      listeners.map((listener, i) =>
        world.alice.send(
          new ModifyListenerCommand({
            ListenerArn: listener,
            DefaultActions: [
              {
                Type: 'forward',
                ForwardConfig: {
                  TargetGroups: [
                    { TargetGroupArn: r[`targetGroup:${fleetName(i + 1)}-blue`], Weight: 0 },
                    { TargetGroupArn: r[`targetGroup:${fleetName(i + 1)}-green`], Weight: 100 },
                  ],
                },
              },
            ],
          }),
        ),
      ),
    );
    await untilQuiet(world, { quietMs: 3000 });
    stop();
    const seconds = listeners.flatMap((l) => {
      const from = flipped.get(l);
      const to = restored.get(l);
      return from !== undefined && to !== undefined ? [(to - from) / 1000] : [];
    });
    return { condition, seconds, restored: restored.size, calls: watchdogElbv2Calls(world.standIn), notifications: world.standIn.notifications().length - notificationsBefore };
  } finally {
    await world.stop();
  }
}

/** Prints the figures. */
export async function run(): Promise<void> {
  const results = [
    await burst('no faults', {}),
    await burst('50% of ELBv2 calls throttled', { throttleRate: 0.5 }),
    await burst('AWS token buckets enforced', { buckets: true }),
  ];
  process.stdout.write(`${LOAD_BALANCERS} load balancers flipped within one second: seconds from each flip to its listener restored\n`);
  process.stdout.write('| condition | restored | median s | max s | notifications | watchdog ELBv2 calls (answered) | throttled | by function |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n');
  for (const r of results) {
    const max = r.seconds.length === 0 ? NaN : Math.max(...r.seconds);
    process.stdout.write(
      `| ${r.condition} | ${r.restored}/${LOAD_BALANCERS} | ${median(r.seconds).toFixed(2)} | ${max.toFixed(2)} | ${r.notifications} | ${r.calls.total} | ${r.calls.throttled} | ${JSON.stringify(r.calls.byFunction)} |\n`,
    );
  }
}
