import { DescribeListenersCommand, ElasticLoadBalancingV2Client, ModifyListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { startStandIn, type StandIn } from '../../../sim';
import { waitUntil } from '../../../sim/launcher/wait-until';
import type { Watcher } from '../../../sim/launcher/stand-in';

/** One line of the demo's timeline. */
export interface TimelineEntry {
  readonly act: 1 | 2;
  /** Real milliseconds since the person's call (act 1), or undefined for sim-clock entries. */
  readonly afterCallMs?: number;
  /** Sim minutes since the person's call (act 2 and traffic), when the entry is on the sim clock. */
  readonly simMinute?: number;
  readonly event: string;
  readonly detail?: string;
}

/** Requests per sim minute each server was offered, minute by minute. */
export interface TrafficSeries {
  readonly minutes: readonly number[];
  readonly servers: readonly { name: string; group: string; offered: number[]; up: boolean[] }[];
  readonly failedPerMinute: readonly number[];
}

/** Everything the demo measured. */
export interface DemoResult {
  readonly timeline: readonly TimelineEntry[];
  readonly withWatchdog: {
    readonly revertedAfterMs?: number;
    readonly verdictNotification?: { subject: string; message: string };
    readonly crashed: readonly string[];
    readonly traffic: TrafficSeries;
    /** The split at the moment of the bad change (requests per minute per server). */
    readonly during: Readonly<Record<string, number>>;
  };
  readonly withoutWatchdog: {
    readonly crashedAtSimMinute?: number;
    readonly traffic: TrafficSeries;
  };
  /** Sim minutes of overload after which a server crashes. */
  readonly crashAfterMinutes: number;
  readonly capacityPerMinute: number;
  readonly requestsPerMinute: number;
  /** True when act 1 reverted before the server could fall over and act 2 showed that it would have. */
  readonly revertedBeforeCrash: boolean;
  readonly wallMs: number;
}

const BASELINE_MINUTES = 5;
const AFTER_MINUTES = 6;

interface Servers {
  readonly names: ReadonlyMap<string, { name: string; group: string }>;
}

function serversOf(standIn: StandIn): Servers {
  const names = new Map<string, { name: string; group: string }>();
  for (const [key, id] of Object.entries(standIn.world.resources)) {
    if (!key.startsWith('instance:')) continue;
    const name = key.slice('instance:'.length);
    names.set(id, { name, group: name === 'web-5' ? 'web-green' : 'web-blue' });
  }
  return { names };
}

/** Advances the sim clock minute by minute, recording what each server was offered. */
async function recordMinutes(standIn: StandIn, servers: Servers, series: TrafficSeries, count: number, firstMinute: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await standIn.clock.advance(1);
    const last = standIn.traffic.lastMinute();
    (series.minutes as number[]).push(firstMinute + i);
    let failed = 0;
    for (const server of series.servers) {
      const id = [...servers.names].find(([, s]) => s.name === server.name)?.[0] ?? '';
      const minute = last?.targets.get(id);
      server.offered.push(Math.round(minute?.offered ?? 0));
      server.up.push(standIn.traffic.isUp(id));
      failed += (minute?.target5xx ?? 0) + (minute?.elb5xx ?? 0);
    }
    (series.failedPerMinute as number[]).push(Math.round(failed));
  }
}

function emptySeries(servers: Servers): TrafficSeries {
  const list = [...servers.names.values()].sort((a, b) => a.name.localeCompare(b.name));
  return { minutes: [], servers: list.map((s) => ({ ...s, offered: [], up: [] })), failedPerMinute: [] };
}

/** The "routine update" of May 19: all weight to the one-server green group. */
async function routineUpdate(standIn: StandIn): Promise<number> {
  const person = new ElasticLoadBalancingV2Client({ endpoint: standIn.url, region: standIn.region, credentials: { accessKeyId: 'alice', secretAccessKey: 'demo' } });
  const r = standIn.world.resources;
  const started = Date.now();
  await person.send(
    new ModifyListenerCommand({
      ListenerArn: r['listener:web:80'],
      DefaultActions: [
        {
          Type: 'forward',
          ForwardConfig: { TargetGroups: [{ TargetGroupArn: r['targetGroup:web-blue'], Weight: 0 }, { TargetGroupArn: r['targetGroup:web-green'], Weight: 100 }] },
        },
      ],
    }),
  );
  person.destroy();
  return started;
}

async function blueWeight(standIn: StandIn, client: ElasticLoadBalancingV2Client): Promise<number | undefined> {
  const r = standIn.world.resources;
  const listener = (await client.send(new DescribeListenersCommand({ ListenerArns: [r['listener:web:80']] }))).Listeners?.[0];
  return listener?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups?.find((g) => g.TargetGroupArn === r['targetGroup:web-blue'])?.Weight;
}

/** Act 1: the change is made with the watchdog deployed in enforce mode. */
async function withWatchdog(standIn: StandIn, timeline: TimelineEntry[]): Promise<DemoResult['withWatchdog']> {
  const servers = serversOf(standIn);
  const traffic = emptySeries(servers);
  await recordMinutes(standIn, servers, traffic, BASELINE_MINUTES, -BASELINE_MINUTES);
  timeline.push({ act: 1, simMinute: -BASELINE_MINUTES, event: `${BASELINE_MINUTES} minutes of normal traffic`, detail: 'web-blue\'s 4 servers share the load' });

  const observer = new ElasticLoadBalancingV2Client({ endpoint: standIn.url, region: standIn.region, credentials: { accessKeyId: 'demo-observer', secretAccessKey: 'demo' } });
  let revertSeen: number | undefined;
  const unsubscribe = standIn.onCloudTrailEvent((event) => {
    const detail = event.detail as { eventName?: string; userIdentity?: { type?: string } };
    if (detail.eventName === 'ModifyListener' && detail.userIdentity?.type === 'AssumedRole') revertSeen ??= Date.now();
  });
  const calledAt = await routineUpdate(standIn);
  timeline.push({ act: 1, afterCallMs: 0, event: 'alice makes the "routine update"', detail: 'ModifyListener HTTP:80: web-blue 0, web-green 100' });
  const report = await standIn.traffic.preview();
  const during: Record<string, number> = {};
  for (const flow of report.split.flows) for (const [id, rate] of flow.targets) during[servers.names.get(id)?.name ?? id] = Math.round(rate);

  const delivered = waitUntil(async () => (standIn.events({ eventName: 'ModifyListener' })[0]?.status === 'delivered' ? Date.now() : undefined), {
    timeoutMs: 10_000,
    intervalMs: 10,
    onTimeout: () => new Error('the CloudTrail event was not delivered'),
  }).then((at) => timeline.push({ act: 1, afterCallMs: at - calledAt, event: 'CloudTrail event on EventBridge', detail: 'rule → queue → route-change → FIFO queue (group: app/web) → on-change' }));
  const reverted = await waitUntil(async () => ((await blueWeight(standIn, observer)) === 100 ? Date.now() : undefined), {
    timeoutMs: 20_000,
    intervalMs: 20,
    onTimeout: () => new Error('the watchdog did not revert the change within 20 s'),
  }).catch(() => undefined);
  await delivered.catch(() => undefined);
  unsubscribe();
  if (revertSeen !== undefined) timeline.push({ act: 1, afterCallMs: revertSeen - calledAt, event: 'watchdog calls ModifyListener', detail: 'restoring the last known good: web-blue 100, web-green 0' });
  if (reverted !== undefined) timeline.push({ act: 1, afterCallMs: reverted - calledAt, event: 'listener back to the last known good', detail: 'read back by an independent client' });
  const notification = await waitUntil(async () => standIn.notifications().find((n) => n.origin === 'api'), {
    timeoutMs: 10_000,
    intervalMs: 20,
    onTimeout: () => new Error('no notification'),
  }).catch(() => undefined);
  if (notification) timeline.push({ act: 1, afterCallMs: Date.now() - calledAt, event: 'people notified', detail: notification.subject });
  observer.destroy();

  await recordMinutes(standIn, servers, traffic, AFTER_MINUTES, 0);
  timeline.push({ act: 1, simMinute: AFTER_MINUTES, event: `${AFTER_MINUTES} more minutes`, detail: standIn.traffic.crashedTargets().length === 0 ? 'no server crashed' : 'a server crashed' });
  return {
    revertedAfterMs: reverted === undefined ? undefined : reverted - calledAt,
    verdictNotification: notification ? { subject: notification.subject ?? '', message: notification.message } : undefined,
    crashed: standIn.traffic.crashedTargets().map((c) => servers.names.get(c.id)?.name ?? c.id),
    traffic,
    during,
  };
}

/** Act 2: the same change, nobody watching. */
async function withoutWatchdog(standIn: StandIn, timeline: TimelineEntry[]): Promise<DemoResult['withoutWatchdog']> {
  const servers = serversOf(standIn);
  const traffic = emptySeries(servers);
  await recordMinutes(standIn, servers, traffic, BASELINE_MINUTES, -BASELINE_MINUTES);
  await routineUpdate(standIn);
  timeline.push({ act: 2, simMinute: 0, event: 'alice makes the same "routine update"', detail: 'no watchdog' });
  let crashedAt: number | undefined;
  for (let minute = 0; minute < AFTER_MINUTES; minute++) {
    await recordMinutes(standIn, servers, traffic, 1, minute);
    const failed = traffic.failedPerMinute.at(-1) ?? 0;
    if (minute === 0) timeline.push({ act: 2, simMinute: 1, event: 'web-5 overloaded', detail: `${failed.toLocaleString('en-US')} requests a minute fail already` });
    const crashed = standIn.traffic.crashedTargets();
    if (crashedAt === undefined && crashed.length > 0) {
      crashedAt = minute + 1;
      const names = crashed.map((c) => servers.names.get(c.id)?.name ?? c.id).join(', ');
      timeline.push({ act: 2, simMinute: crashedAt, event: `${names} falls over`, detail: 'it fails its health checks; with no healthy target the group fails open to it' });
    }
  }
  const offered = traffic.servers.reduce((sum, server) => sum + (server.offered.at(-1) ?? 0), 0);
  timeline.push({
    act: 2,
    simMinute: AFTER_MINUTES,
    event: 'the site is down',
    detail: `${(traffic.failedPerMinute.at(-1) ?? 0).toLocaleString('en-US')} of ${offered.toLocaleString('en-US')} requests a minute fail, until someone finds the cause`,
  });
  return { crashedAtSimMinute: crashedAt, traffic };
}

/**
 * Replays May 19 twice on two local stand-ins started side by side: with the watchdog (enforce), and
 * without. The sim clock stands still while the watchdog works, so act 1's seconds are real seconds;
 * traffic then moves minute by minute.
 */
export async function replayOutage(watchdog: () => Watcher): Promise<DemoResult> {
  const started = Date.now();
  const options = { world: 'demo' as const, clock: { speed: 0 }, cloudTrailDelayMs: 200 };
  const [guarded, unguarded] = await Promise.all([startStandIn(options), startStandIn(options)]);
  try {
    await guarded.attach(watchdog());
    const timeline: TimelineEntry[] = [];
    const act1 = await withWatchdog(guarded, timeline);
    const act2 = await withoutWatchdog(unguarded, timeline);
    const settings = guarded.traffic.getSettings();
    const crashWindowMs = settings.crashAfterMinutes * 60_000;
    return {
      timeline,
      withWatchdog: act1,
      withoutWatchdog: act2,
      crashAfterMinutes: settings.crashAfterMinutes,
      capacityPerMinute: settings.defaultCapacityPerMinute,
      requestsPerMinute: settings.loadBalancers.web ?? settings.defaultRequestsPerMinute,
      revertedBeforeCrash:
        act1.revertedAfterMs !== undefined && act1.revertedAfterMs < crashWindowMs && act1.crashed.length === 0 && act2.crashedAtSimMinute !== undefined,
      wallMs: Date.now() - started,
    };
  } finally {
    await Promise.all([guarded.stop(), unguarded.stop()]);
  }
}
