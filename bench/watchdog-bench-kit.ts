/**
 * Shared by the benchmarks that run the deployed watchdog on the stand-in: start a world with the watchdog
 * attached (the local runner plays Lambda from the construct's template), count ELBv2 calls at the front per
 * function, and wait until the watchdog has gone quiet. Not a bench itself (no `.bench.ts`).
 */
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import globalSetup from '../test/global-setup';
import { startStandIn, type StandIn, type StandInOptions } from '../sim';
import { WATCHDOG_ACCESS_KEY, WatchdogRunner } from '../sim/runner/watchdog-runner';
import type { ElbWatchdogProps } from '../lib/elb-watchdog';

/** A stand-in with the watchdog deployed into it. */
export interface WatchedWorld {
  readonly standIn: StandIn;
  readonly runner: WatchdogRunner;
  /** An ELBv2 client as a person (`alice`), retrying as the SDK does by default. */
  readonly alice: ElasticLoadBalancingV2Client;
  stop(): Promise<void>;
}

/** Starts a world and deploys the watchdog (enforce unless told), its audit having taken every baseline. */
export async function startWatched(world: NonNullable<StandInOptions['world']>, options: { watchdog?: ElbWatchdogProps; standIn?: StandInOptions } = {}): Promise<WatchedWorld> {
  // The runner runs the prebuilt bundles: rebuild them when a source is newer, as the tests do.
  globalSetup();
  const standIn = await startStandIn({ cloudTrailDelayMs: 0, ...options.standIn, world, clock: { speed: 0 } });
  const runner = new WatchdogRunner({ watchdog: { mode: 'enforce', ...options.watchdog }, schedules: false });
  await standIn.attach(runner);
  const alice = new ElasticLoadBalancingV2Client({ endpoint: standIn.url, region: standIn.region, credentials: { accessKeyId: 'alice', secretAccessKey: 'x' }, maxAttempts: 10 });
  return {
    standIn,
    runner,
    alice,
    stop: async () => {
      alice.destroy();
      await standIn.stop();
    },
  };
}

/** ELBv2 calls the front answered (throttled ones too), per watchdog function, and all of them. */
export interface Elbv2Calls {
  readonly byFunction: Readonly<Record<string, number>>;
  readonly throttled: number;
  readonly total: number;
}

/** The watchdog's ELBv2 calls since the counts were last cleared (its callers' keys are `elb-watchdog.<handler>.<n>`). */
export function watchdogElbv2Calls(standIn: StandIn): Elbv2Calls {
  const byFunction: Record<string, number> = {};
  let throttled = 0;
  let total = 0;
  for (const c of standIn.calls.list({ service: 'elasticloadbalancing' }).calls) {
    if (!c.accessKeyId.startsWith(`${WATCHDOG_ACCESS_KEY}.`)) continue;
    const fn = c.accessKeyId.split('.')[1] ?? 'unknown';
    byFunction[fn] = (byFunction[fn] ?? 0) + c.answered;
    throttled += c.throttled;
    total += c.answered;
  }
  return { byFunction, throttled, total };
}

/** ELBv2 calls per action of one watchdog function (for finding out where calls go). */
export function callsByAction(standIn: StandIn, handler: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of standIn.calls.list({ service: 'elasticloadbalancing' }).calls) {
    if (c.accessKeyId.split('.')[1] !== handler || !c.accessKeyId.startsWith(`${WATCHDOG_ACCESS_KEY}.`)) continue;
    out[c.action] = (out[c.action] ?? 0) + c.answered;
  }
  return out;
}

/**
 * Calls the front has answered so far, but for the runner's own queue polling (it never stops): the count
 * stops moving when the watchdog is done.
 */
function answeredSoFar(standIn: StandIn): number {
  return standIn.calls
    .list()
    .calls.filter((c) => c.accessKeyId !== 'elb-watchdog-lambda-service')
    .reduce((sum, c) => sum + c.answered, 0);
}

/**
 * Waits until the watchdog is done with what it was given: CloudTrail delivered everything, no event source
 * is handling a batch, and no call reached the front for `quietMs` (asynchronous functions such as the
 * alarm sync leave no other trace). A bench, not a test: the quiet period is part of the definition of done.
 */
export async function untilQuiet(world: WatchedWorld, { quietMs = 1500, timeoutMs = 600_000 } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = answeredSoFar(world.standIn);
  let since = Date.now();
  for (;;) {
    await world.standIn.settled();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = answeredSoFar(world.standIn);
    if (now !== last || !world.runner.idle) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
    if (Date.now() > deadline) throw new Error(`the watchdog did not go quiet within ${timeoutMs} ms`);
  }
}

/** Median of a list (the lower middle for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
}
