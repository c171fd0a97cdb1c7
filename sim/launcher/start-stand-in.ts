import { AlarmEvaluator } from '../alarms/alarm-evaluator';
import { AlarmNotifier } from '../alarms/alarm-notifier';
import { AnomalyDetectorApi } from '../alarms/anomaly-detector-api';
import { AnomalyDetectorStore } from '../alarms/anomaly-detector-store';
import { PutAlarmHook } from '../alarms/put-alarm-hook';
import { createBackendClients, type BackendClients } from '../backend/backend-clients';
import { CloudTrailRecorder } from '../cloudtrail/cloudtrail-recorder';
import { EventBusPublisher } from '../cloudtrail/event-bus-publisher';
import { FaultInjector } from '../faults/fault-injector';
import { CallCounter } from '../front/call-counter';
import { CallHooks } from '../front/call-hooks';
import { startFront, type Front } from '../front/front-server';
import { IdentityRegistry } from '../front/identity-registry';
import { GetMetricDataApi } from '../metrics/get-metric-data-api';
import { MetricIndex } from '../metrics/metric-index';
import { SimRouter, simRoute } from '../front/sim-router';
import { StsCallerIdentity } from '../front/sts-caller-identity';
import { NotificationLog } from '../notifications/notification-log';
import { HealthOverride, TopologyInvalidator } from '../traffic/front-hooks';
import { MinuteListeners } from '../traffic/minute-listeners';
import { SimClock } from '../traffic/sim-clock';
import { ElbApiThrottle } from '../throttling/elb-api-throttle';
import { TrafficEngine } from '../traffic/traffic-engine';
import type { TrafficSettings } from '../traffic/traffic-settings';
import { Elbv2Validations } from '../validations/elbv2-validations';
import { RulePrioritySwaps } from '../validations/rule-priority-swaps';
import { WORLDS, type WorldInfo, type WorldName } from '../worlds';
import { startDynalite, type DynamoServer } from './dynalite-server';
import { BackendUnavailableError } from './errors';
import { startMoto, type MotoProcess } from './moto-process';
import { simRoutes } from './sim-routes';
import type { StandIn, Watcher } from './stand-in';
import { StandInOptionsSchema, type ResolvedStandInOptions, type StandInOptions } from './stand-in-options';
import { waitUntil } from './wait-until';

const MINUTE = 60_000;

/**
 * Starts the local AWS stand-in: moto (or the given backend), dynalite for DynamoDB, the front on
 * 127.0.0.1, the chosen world, the sim clock with traffic and alarm evaluation. Options are validated.
 * @example const standIn = await startStandIn({ world: 'demo', clock: { speed: 0 } }); ... await standIn.stop();
 */
export async function startStandIn(input: StandInOptions = {}): Promise<StandIn> {
  const options = StandInOptionsSchema.parse(input);
  const cleanup: (() => Promise<void>)[] = [];
  try {
    return await assemble(options, cleanup);
  } catch (error) {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
    throw error;
  }
}

async function assemble(options: ResolvedStandInOptions, cleanup: (() => Promise<void>)[]): Promise<StandIn> {
  let moto: MotoProcess | undefined;
  if (options.backendUrl) {
    await waitForBackend(options.backendUrl);
  } else {
    moto = await startMoto({ python: options.python, accountId: options.accountId });
    cleanup.push(() => moto?.stop() ?? Promise.resolve());
  }
  const backendUrl = (options.backendUrl ?? moto?.url ?? '').replace(/\/$/, '');
  const dynamo: DynamoServer | undefined = options.dynamo === 'dynalite' ? await startDynalite() : undefined;
  if (dynamo) cleanup.push(() => dynamo.stop());
  const clients: BackendClients = createBackendClients(backendUrl, options.region);
  cleanup.push(async () => clients.destroy());
  const backend = (): BackendClients => clients;

  const publisher = new EventBusPublisher(() => clients.events, options.cloudTrailDelayMs);
  const faults = new FaultInjector({ elbApiBuckets: options.elbApiBuckets });
  const recorder = new CloudTrailRecorder(options.accountId, publisher, faults.deliveries);
  const notifications = new NotificationLog();
  const identities = new IdentityRegistry(options.identities);
  const calls = new CallCounter(options.accountId);
  const detectors = new AnomalyDetectorStore();
  const metricIndex = new MetricIndex();
  const metricApi = new GetMetricDataApi(metricIndex);
  const traffic = new TrafficEngine(backend, {}, (namespace, data) => metricIndex.add(namespace, data));
  const evaluator = new AlarmEvaluator(backend, new AlarmNotifier(backend, publisher, notifications, options.accountId), detectors);
  const startTime = (): Date => new Date(Math.floor((options.clock.start ?? new Date()).getTime() / MINUTE) * MINUTE - options.clock.warmupMinutes * MINUTE);
  const minuteListeners = new MinuteListeners();
  const clock = new SimClock(startTime(), 0, async (minute) => {
    await traffic.tick(minute);
    await evaluator.evaluate(new Date(minute.getTime() + MINUTE));
    await minuteListeners.run(minute);
  });
  cleanup.push(() => clock.stop());

  const callHooks = new CallHooks();
  const router = new SimRouter();
  const front: Front = await startFront({
    port: options.port,
    region: options.region,
    backendUrl: () => backendUrl,
    dynamoUrl: () => dynamo?.url,
    identities,
    faults,
    // Throttling first: ELBv2 takes a token for every request, valid or not; then the runner's call hooks.
    interceptors: [
      new ElbApiThrottle(faults.buckets, options.accountId, () => faults.elbApiBucketsEnabled()),
      callHooks,
      new Elbv2Validations(backend),
      new RulePrioritySwaps(backend),
      new AnomalyDetectorApi(detectors),
      new PutAlarmHook(backend, detectors),
      new HealthOverride(traffic),
      metricApi,
      new StsCallerIdentity(options.accountId),
    ],
    observers: [calls, recorder, notifications, new TopologyInvalidator(traffic)],
    router,
    // Calls happen in real time, and CloudTrail stamps them so: the watchdog measures its latency against
    // eventTime. The sim clock only drives the traffic model and the alarms.
    now: () => new Date(),
    onBackendBypass: () => {
      traffic.invalidate();
      metricIndex.distrust();
    },
  });
  cleanup.push(() => front.close());

  const watchers: Watcher[] = [];
  let world: WorldInfo = { name: options.world, resources: {} };
  let worldName: WorldName = options.world;
  let stopping: Promise<void> | undefined;

  const build = async (name: WorldName): Promise<void> => {
    const definition = WORLDS[name];
    traffic.reset({ ...definition.traffic, ...options.traffic, ...mergeMaps(definition.traffic, options.traffic) });
    world = await definition.build(clients);
    traffic.invalidate();
    if (options.clock.warmupMinutes > 0) await clock.advance(options.clock.warmupMinutes);
    clock.setSpeed(options.clock.speed);
  };

  const standIn: StandIn = {
    url: front.url,
    region: options.region,
    accountId: options.accountId,
    backendUrl,
    get world() {
      return world;
    },
    clock,
    traffic,
    identities,
    faults,
    calls,
    callHooks,
    onMinute: (listener) => minuteListeners.add(listener),
    events: (filter) => recorder.list(filter),
    notifications: () => notifications.list(),
    onCloudTrailEvent: (listener) => recorder.onEvent(listener),
    settled: () => publisher.idle(),
    async attach(watcher) {
      await watcher.start(standIn);
      watchers.push(watcher);
    },
    async reset(resetOptions = {}) {
      worldName = resetOptions.world ?? worldName;
      for (const watcher of watchers) await watcher.pause?.();
      publisher.cancel();
      await publisher.idle();
      await clock.restart(startTime(), 0);
      await resetBackend(backendUrl);
      metricIndex.reset();
      await dynamo?.reset();
      recorder.reset();
      notifications.reset();
      faults.clear();
      calls.reset();
      identities.reset();
      detectors.reset();
      await build(worldName);
      for (const watcher of watchers) await watcher.reset?.();
    },
    stop() {
      stopping ??= (async () => {
        for (const watcher of watchers.reverse()) await watcher.stop().catch(() => undefined);
        publisher.cancel();
        for (const step of cleanup.reverse()) await step().catch(() => undefined);
      })();
      return stopping;
    },
  };
  router.add(...simRoutes(standIn, async () => ({ ...(await health(standIn, backendUrl, moto)), metricIndex: metricApi.stats() })));
  router.add(simRoute({ method: 'GET', path: '/_sim', handle: () => ({ routes: router.list() }) }));
  await build(worldName);
  return standIn;
}

function mergeMaps(a: Partial<TrafficSettings>, b: Partial<TrafficSettings>): Partial<TrafficSettings> {
  return { loadBalancers: { ...a.loadBalancers, ...b.loadBalancers }, targets: { ...a.targets, ...b.targets }, requestMix: { ...a.requestMix, ...b.requestMix } };
}

async function waitForBackend(url: string): Promise<void> {
  await waitUntil(
    async () => {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      return true;
    },
    { timeoutMs: 15_000, onTimeout: () => new BackendUnavailableError(`no backend answers on ${url}`) },
  );
}

/** Empties the backend: moto's reset API, or LocalStack's state reset. */
async function resetBackend(url: string): Promise<void> {
  const moto = await fetch(`${url}/moto-api/reset`, { method: 'POST' }).catch(() => undefined);
  if (moto?.ok) return void (await moto.arrayBuffer());
  const localstack = await fetch(`${url}/_localstack/state/reset`, { method: 'POST' }).catch(() => undefined);
  if (!localstack?.ok) throw new BackendUnavailableError(`the backend at ${url} cannot be reset (neither moto nor LocalStack)`);
}

async function health(standIn: StandIn, backendUrl: string, moto: MotoProcess | undefined): Promise<Record<string, unknown>> {
  const backendUp = await fetch(backendUrl, { signal: AbortSignal.timeout(2000) })
    .then(async (r) => (await r.arrayBuffer(), true))
    .catch(() => false);
  return {
    status: backendUp ? 'ok' : 'degraded',
    url: standIn.url,
    region: standIn.region,
    accountId: standIn.accountId,
    backend: { url: backendUrl, up: backendUp, ...(moto ? { pid: moto.pid, managed: true } : { managed: false }) },
    world: standIn.world,
    clock: standIn.clock.describe(),
    events: standIn.events().length,
    notifications: standIn.notifications().length,
  };
}
