import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DescribeListenersCommand, DescribeRulesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createBackendClients } from '../backend/backend-clients';
import type { StandIn } from '../launcher/stand-in';
import { waitUntil } from '../launcher/wait-until';
import type { WatchdogRunner } from '../runner/watchdog-runner';
import { ChaosActors, registerActors } from './chaos-actors';
import { buildFleet } from './chaos-fleet';
import type { ChaosPlan } from './chaos-plan';
import type { ChaosTrace, TracedNotification, TracedStep } from './chaos-trace';
import { collectEvents, deliveryScriptOf, faultStatsOf } from './trace-events';

/** How a run is played. */
export interface ChaosRunOptions {
  readonly standIn: StandIn;
  readonly runner: WatchdogRunner;
  /** Replays this trace: its plan on the same schedule, its delivery fates by each event's key. */
  readonly replay?: ChaosTrace;
  /** Longest wait for the watchdog to go quiet (a loaded machine is slow). @default 300000 */
  readonly quietTimeoutMs?: number;
  /** How long a run holds a verdict of the outbox (the watchdog's `PENDING_LEASE_SECONDS`). @default 90 */
  readonly outboxLeaseSeconds?: number;
  /** The policy's `unexplained.holdSeconds`: how long a held verdict may wait to be told. @default 120 */
  readonly holdSeconds?: number;
  /**
   * Real milliseconds between runs of the outbox drain (the one-minute schedule, which the sim clock standing
   * still never fires). @default 5000
   */
  readonly drainEveryMs?: number;
  /** Told what the run is doing (for the soak's progress lines). */
  readonly onProgress?: (what: string) => void;
}


/**
 * Plays one plan on a stand-in whose watchdog runner is attached (and freshly reset): builds the fleet, lets a
 * first audit take the baselines, injects the faults through `POST /_sim/faults` and the crash points through
 * `runner.crashWhen`, makes the changes on their schedule (concurrently, in real time), runs the scheduled
 * audit while they go on, waits for the watchdog to go quiet, clears the faults, and runs audits until lost
 * events must have been caught (a drift is reverted at the second audit that sees it). Returns the trace.
 */
export async function runChaos(plan: ChaosPlan, options: ChaosRunOptions): Promise<ChaosTrace> {
  const { standIn, runner } = options;
  const started = Date.now();
  const since = (): number => Date.now() - started;
  const backend = createBackendClients(standIn.backendUrl, standIn.region);
  const actors = new ChaosActors(standIn);
  const sqs = new SQSClient({ endpoint: standIn.url, region: standIn.region, credentials: { accessKeyId: 'chaos-observer', secretAccessKey: 'x' } });
  const stamps = new Map<string, number>();
  const unsubscribe = standIn.onCloudTrailEvent((event) => stamps.set(String(event.detail.eventID), since()));
  const notifications: TracedNotification[] = [];
  const sample = (): void => {
    for (const n of standIn.notifications().slice(notifications.length)) notifications.push({ subject: n.subject ?? '', message: n.message, seenMs: since() });
  };
  const sampler = setInterval(sample, 25);
  // The scheduled audit, invoked as its schedule invokes it. The sim clock stays put: every sim minute the
  // stand-in plays costs real time (traffic, alarm evaluation for every target group of the fleet).
  // A crash injected into the audit fails this invocation: the next one finishes what it left (the outbox).
  const audit = async (): Promise<void> => {
    await runner.invokeScheduled('audit').catch((error: Error) => progress(`audit failed: ${error.message}`));
  };
  // The outbox drain's schedule, played in real time: one run at a time, as a one-minute schedule's runs are.
  let draining: Promise<void> | undefined;
  const drain = async (): Promise<void> => {
    draining ??= runner.invokeRule('DrainOutbox').then(
      () => undefined,
      (error: Error) => progress(`outbox drain failed: ${error.message}`),
    ).finally(() => (draining = undefined));
    await draining;
  };
  let drainer: NodeJS.Timeout | undefined;
  const progress = (what: string): void => options.onProgress?.(`${since()} ms: ${what}`);
  try {
    const fleet = await buildFleet(backend, plan.loadBalancers.map((lb) => lb.name));
    progress('fleet built');
    registerActors(standIn);
    await postFaults(standIn, { rules: [] });
    // The first audit after the watchdog meets these load balancers: their baselines.
    await runner.invokeScheduled('audit');
    progress('baselines taken');
    const cloudTrail = { ...(plan.faults.cloudTrail as Record<string, unknown>), ...(options.replay && { script: options.replay.deliveryScript }) };
    await postFaults(standIn, { ...plan.faults, cloudTrail });
    for (const crash of plan.crashes) {
      runner.crashWhen({ function: crash.function, service: crash.service, action: crash.action, phase: crash.phase, skip: crash.skip, times: 1, ...(crash.paramsContain && { paramsContain: crash.paramsContain }) });
    }
    drainer = setInterval(() => void drain(), options.drainEveryMs ?? 5_000);
    const steps: TracedStep[] = [];
    const perform = async (index: number): Promise<void> => {
      const step = plan.steps[index];
      const lb = fleet[step.lb];
      const startedMs = since();
      try {
        const requestIds = await actors.perform(step, lb);
        steps.push({ step: step.id, startedMs, endedMs: since(), requestIds });
      } catch (error) {
        steps.push({ step: step.id, startedMs, endedMs: since(), requestIds: [], error: (error as Error).name });
      }
      progress(`step ${step.id} done (${steps.length}/${plan.steps.length})`);
    };
    const audits = plan.auditsAtMs.map((at) => delayed(at, async () => {
      progress('audit starts');
      await audit();
      progress('audit done');
    }));
    // A replay plays the plan on the same schedule, as concurrently as the run it replays: its delivery fates
    // go by each event's key, so they meet the same events whatever order the calls land in.
    await Promise.all(plan.steps.map((step, index) => delayed(step.atMs, () => perform(index))));
    await Promise.all(audits);
    progress('changes made');
    await quiet(options, sqs);
    progress('quiet');
    const faults = (await (await fetch(`${standIn.url}/_sim/faults`)).json()) as Record<string, unknown>;
    await postFaults(standIn, { rules: [] });
    // The outbox empties before each closing audit goes on, as the one-minute drain would empty it: a verdict
    // held for an event that never came is told once its wait is over, one a crashed run holds (a judge, or an
    // audit that died before telling its drift) once its lease (90 s, real time) has ended. A crashed judge's
    // retry takes its lease over at once: mostly nothing is left.
    clearInterval(drainer);
    const tableName = [...runner.deployed.tableNames.values()][0] ?? '';
    const drainUntilEmpty = async (): Promise<void> => {
      if ((await readTable(standIn, tableName)).pending.length === 0) return;
      progress('draining the outbox');
      await waitUntil(
        async () => {
          await drain();
          return (await readTable(standIn, tableName)).pending.length === 0 ? true : undefined;
        },
        { timeoutMs: ((options.outboxLeaseSeconds ?? 90) + (options.holdSeconds ?? 120) + 30) * 1000, intervalMs: 1_000, onTimeout: () => new Error('the outbox did not empty') },
      );
    };
    await drainUntilEmpty();
    const finalAuditsMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      finalAuditsMs.push(since());
      await audit();
      await quiet(options, sqs);
      await drainUntilEmpty();
      progress(`closing audit ${i + 1} done`);
    }
    sample();
    const finalRouting = [];
    for (const lb of fleet) {
      const listener = (await backend.elbv2.send(new DescribeListenersCommand({ ListenerArns: [lb.listener] }))).Listeners?.[0];
      const rules = (await backend.elbv2.send(new DescribeRulesCommand({ ListenerArn: lb.listener }))).Rules ?? [];
      finalRouting.push({ arn: lb.arn, listener, rules });
    }
    const watchdogElbCalls = standIn.calls
      .list({ service: 'elasticloadbalancing' })
      .calls.filter((c) => c.accessKeyId.startsWith('elb-watchdog'))
      .reduce((sum, c) => sum + c.answered, 0);
    return {
      plan,
      ...(options.replay && { replayOf: options.replay.plan.seed }),
      fleet,
      steps: steps.sort((a, b) => a.startedMs - b.startedMs),
      events: collectEvents(standIn, stamps),
      deliveryScript: deliveryScriptOf(faults),
      crashes: runner.crashes(),
      notifications,
      faultStats: faultStatsOf(faults),
      watchdogElbCalls,
      table: await readTable(standIn, [...runner.deployed.tableNames.values()][0] ?? ''),
      finalRouting,
      finalAuditsMs,
      durationMs: since(),
      startedAtMs: started,
    };
  } finally {
    clearInterval(sampler);
    clearInterval(drainer);
    await draining;
    unsubscribe();
    actors.destroy();
    backend.destroy();
    sqs.destroy();
  }
}

async function postFaults(standIn: StandIn, body: unknown): Promise<void> {
  const response = await fetch(`${standIn.url}/_sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST /_sim/faults: ${response.status} ${await response.text()}`);
}

function delayed<T>(ms: number, run: () => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => setTimeout(() => run().then(resolve, reject), ms));
}

/** Waits until every event is on the bus and every queue of the deployment (but the dead letters) is empty and idle. */
async function quiet(options: ChaosRunOptions, sqs: SQSClient): Promise<void> {
  const { standIn, runner } = options;
  const queues = [...runner.deployed.queues.entries()].filter(([id]) => !/dead/i.test(id)).map(([, q]) => q.url);
  queues.push(...[...runner.deployed.invocationQueues.values()].map((q) => q.url));
  let calm = 0;
  let last = '';
  await waitUntil(
    async () => {
      await standIn.settled();
      let waiting = 0;
      const seen: string[] = [];
      for (const url of queues) {
        const attributes = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] }))).Attributes ?? {};
        const here = Object.values(attributes).reduce((sum, v) => sum + Number(v), 0);
        waiting += here;
        if (here > 0) seen.push(`${url.split('/').pop() ?? url}: ${JSON.stringify(attributes)}`);
      }
      last = `${seen.join('; ')}; runner idle: ${runner.idle}`;
      // Twice in a row: a message between a receive and an invocation is in neither count for a moment.
      calm = waiting === 0 && runner.idle ? calm + 1 : 0;
      return calm >= 2 ? true : undefined;
    },
    { timeoutMs: options.quietTimeoutMs ?? 300_000, intervalMs: 100, onTimeout: () => new Error(`the watchdog did not go quiet: ${last}`) },
  );
}

/** The state table's items the invariants look at. */
async function readTable(standIn: StandIn, tableName: string): Promise<ChaosTrace['table']> {
  const dynamodb = new DynamoDBClient({ endpoint: standIn.url, region: standIn.region, credentials: { accessKeyId: 'chaos-observer', secretAccessKey: 'x' } });
  try {
    const items: Record<string, AttributeValue>[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await dynamodb.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    const s = (item: Record<string, AttributeValue>, key: string): string => item[key]?.S ?? '';
    const auditEventIds = items
      .filter((i) => s(i, 'pk').startsWith('LB#') && s(i, 'sk').startsWith('AUDIT#'))
      .map((i) => {
        const record = JSON.parse(s(i, 'record') || '{}') as { eventId?: string; eventName?: string; outcome?: string };
        return { loadBalancerArn: s(i, 'pk').slice(3), eventId: record.eventId ?? '', eventName: record.eventName ?? '', outcome: record.outcome ?? '' };
      });
    return {
      auditEventIds,
      claimsInProgress: items.filter((i) => s(i, 'pk').startsWith('EVENT#') && s(i, 'status') === 'in-progress').map((i) => s(i, 'pk')),
      pending: items.filter((i) => s(i, 'pk') === 'OUTBOX').map((i) => s(i, 'sk')),
    };
  } finally {
    dynamodb.destroy();
  }
}
