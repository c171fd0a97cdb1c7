import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeListenersCommand,
  ModifyListenerCommand,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { CallContext } from '../../sim/front/interceptor';
import { useWatchdog } from './watchdog-harness';
import { patience } from '../helpers/patience';

/**
 * The local runner playing Lambda for the real handlers: concurrency across FIFO message groups (one group
 * per load balancer), crashes injected at a call seen from outside the handler, and scheduled rules on the
 * sim clock.
 */
const watchdog = useWatchdog({ mode: 'enforce' }, { retryDelaySeconds: 1 });
const standIn = () => watchdog.fixture.standIn;
const SLOW = 60_000;

/** A call as the front saw it: `seq` when it arrived, `answeredSeq` when AWS had answered it (undefined: never reached AWS). */
interface SeenCall {
  readonly seq: number;
  readonly key: string;
  readonly service: string;
  readonly action: string;
  readonly params: string;
  answeredSeq?: number;
}

/** Every call the front lets through, in arrival order, with the access key that made it. */
function recordCalls(): { calls: SeenCall[]; stop: () => void } {
  const calls: SeenCall[] = [];
  const byRequest = new Map<string, SeenCall>();
  let seq = 0;
  const stop = standIn().callHooks.add({
    before: ({ call, requestId }: CallContext) => {
      const seen: SeenCall = { seq: ++seq, key: call.accessKeyId ?? '', service: call.service, action: call.action, params: JSON.stringify(call.params) };
      calls.push(seen);
      byRequest.set(requestId, seen);
    },
    after: ({ requestId }: CallContext) => {
      const seen = byRequest.get(requestId);
      if (seen !== undefined) seen.answeredSeq = ++seq;
    },
  });
  return { calls, stop };
}

/** The access key of a crashed environment (`on-change#3` → `elb-watchdog.on-change.3`). */
const keyOf = (environment: string) => `elb-watchdog.${environment.replace('#', '.')}`;

/** Until every CloudTrail event is on the bus and the watchdog has nothing left to do. */
async function quiet(): Promise<void> {
  await standIn().settled();
  await watchdog.eventually(async () => ((await watchdog.queueMessages('WatchdogChangesQueue')) === 0 && watchdog.runner.idle ? true : undefined), 'the watchdog to be idle', SLOW);
}

/** A second ALB like `web`, created by alice: `api` forwarding 100/0 to api-blue (4 targets) and api-green (1). */
async function createApi(): Promise<{ loadBalancer: string; listener: string; blue: string; green: string }> {
  const elbv2 = watchdog.alice().elbv2;
  const r = standIn().world.resources;
  const lb = await elbv2.send(new CreateLoadBalancerCommand({ Name: 'api', Subnets: [r['subnet:us-east-1a'], r['subnet:us-east-1b']], Type: 'application' }));
  const loadBalancer = lb.LoadBalancers?.[0]?.LoadBalancerArn ?? '';
  const instances = [1, 2, 3, 4, 5].map((n) => r[`instance:web-${n}`]);
  const group = async (name: string, ids: string[]) => {
    const created = await elbv2.send(new CreateTargetGroupCommand({ Name: name, Protocol: 'HTTP', Port: 80, VpcId: r['vpc:web'], TargetType: 'instance' }));
    const arn = created.TargetGroups?.[0]?.TargetGroupArn ?? '';
    await elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: ids.map((Id) => ({ Id, Port: 80 })) }));
    return arn;
  };
  const blue = await group('api-blue', instances.slice(0, 4));
  const green = await group('api-green', instances.slice(4));
  const created = await elbv2.send(
    new CreateListenerCommand({ LoadBalancerArn: loadBalancer, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: blue, Weight: 100 }, { TargetGroupArn: green, Weight: 0 }] } }] }),
  );
  return { loadBalancer, listener: created.Listeners?.[0]?.ListenerArn ?? '', blue, green };
}

async function blueWeight(listener: string, blue: string): Promise<number | undefined> {
  const described = await watchdog.alice().elbv2.send(new DescribeListenersCommand({ ListenerArns: [listener] }));
  return described.Listeners?.[0]?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups?.find((g) => g.TargetGroupArn === blue)?.Weight;
}

describe('Runner: Lambda\'s concurrency for the FIFO change queue', () => {
  /**
   * "For FIFO queues, concurrent invocations are capped either by the number of message group IDs or the
   * maximum concurrency setting, whichever is lower"; the construct sets MaximumConcurrency 5.
   * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html
   */
  it('judges another load balancer while one load balancer\'s judgement is held', async () => {
    // Prepare: a second load balancer with a baseline; web's judgement stops at its first call naming web.
    const api = await createApi();
    await watchdog.runner.invokeScheduled('audit');
    // A batch may hold several groups: api's creation must be judged before web's batch is held.
    await quiet();
    const web = watchdog.world();
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let heldCalls = 0;
    const stopHolding = standIn().callHooks.add({
      before: async ({ call }: CallContext) => {
        if (!call.accessKeyId?.startsWith('elb-watchdog.on-change.') || !JSON.stringify(call.params).includes(web.loadBalancer)) return;
        heldCalls++;
        await released;
      },
    });
    try {
      // Act: flip web; once its batch is held, flip api.
      await watchdog.setWeights(0, 100);
      await watchdog.eventually(async () => (heldCalls > 0 ? true : undefined), 'web\'s judgement to be held', SLOW);
      await watchdog.alice().elbv2.send(
        new ModifyListenerCommand({ ListenerArn: api.listener, DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: api.blue, Weight: 0 }, { TargetGroupArn: api.green, Weight: 100 }] } }] }),
      );

      // Assess: api is reverted while web's judgement still waits.
      await watchdog.eventually(async () => ((await blueWeight(api.listener, api.blue)) === 100 ? true : undefined), 'api reverted', SLOW);
      expect(await watchdog.weights()).toEqual({ blue: 0, green: 100 });
    } finally {
      release();
      stopHolding();
    }
    await watchdog.eventually(async () => ((await watchdog.weights()).blue === 100 ? true : undefined), 'web reverted once released', SLOW);
    expect(watchdog.runner.stats().find((s) => s.name === 'on-change')?.peakConcurrency).toBeGreaterThanOrEqual(2);
  }, patience(120_000));
});

describe('Runner: crashes injected at a call, as a killed execution environment', () => {
  it('before SNS Publish: the revert stands, the crashed environment calls nothing more, the batch is retried in a fresh one', async () => {
    const { calls, stop } = recordCalls();
    watchdog.runner.crashWhen({ function: 'on-change', service: 'sns', action: 'Publish', phase: 'before' });

    await watchdog.setWeights(0, 100);
    const [crash] = await watchdog.eventually(async () => (watchdog.runner.crashes().length === 1 ? watchdog.runner.crashes() : undefined), 'the crash', SLOW);
    // The batch was not deleted: it comes back after the retry delay, to another environment.
    await watchdog.eventually(
      async () => (calls.some((c) => c.key.startsWith('elb-watchdog.on-change.') && c.key !== keyOf(crash.environment) && c.answeredSeq !== undefined) ? true : undefined),
      'the retry in a fresh environment',
      SLOW,
    );
    stop();

    expect(crash).toMatchObject({ sequence: 1, rule: 1, function: 'on-change', service: 'sns', action: 'Publish', phase: 'before' });
    expect(await watchdog.weights()).toEqual({ blue: 100, green: 0 });
    const byCrashed = calls.filter((c) => c.key === keyOf(crash.environment));
    // What it did before the crash reached AWS (the revert); the publish never did, nor anything after it.
    expect(byCrashed.map((c) => c.action)).toContain('ModifyListener');
    expect(byCrashed.map((c) => c.action)).not.toContain('Publish');
    expect(byCrashed.every((c) => c.answeredSeq !== undefined)).toBe(true);
    const stats = watchdog.runner.stats().find((s) => s.name === 'on-change');
    expect(stats).toMatchObject({ killed: 1 });
    expect(stats?.coldStarts).toBeGreaterThanOrEqual(2);
  }, patience(120_000));

  it('after ModifyListener was answered: the change took effect, and the audit record is never written by the crashed environment', async () => {
    const { calls, stop } = recordCalls();
    watchdog.runner.crashWhen({ function: 'on-change', service: 'elbv2', action: 'ModifyListener', phase: 'after' });

    await watchdog.setWeights(0, 100);
    const [crash] = await watchdog.eventually(async () => (watchdog.runner.crashes().length === 1 ? watchdog.runner.crashes() : undefined), 'the crash', SLOW);
    // AWS answered the revert; the function never saw the answer (the environment died first).
    const byCrashed = () => calls.filter((c) => c.key === keyOf(crash.environment));
    const modify = await watchdog.eventually(async () => byCrashed().find((c) => c.action === 'ModifyListener' && c.answeredSeq !== undefined), 'the revert answered', SLOW);
    stop();

    expect(await watchdog.weights()).toEqual({ blue: 100, green: 0 });
    // Nothing arrived from it once ModifyListener was answered (the environment was dead by then).
    expect(byCrashed().filter((c) => c.seq > (modify.answeredSeq ?? 0))).toEqual([]);
    expect(byCrashed().some((c) => c.params.includes('AUDIT#'))).toBe(false);
  }, patience(120_000));

  it('crashing on every delivery moves the change to the DLQ after the queue\'s maxReceiveCount (5)', async () => {
    // Before the first state write of each attempt (the event's claim).
    watchdog.runner.crashWhen({ function: 'on-change', service: 'dynamodb', action: 'PutItem', phase: 'before', paramsContain: 'EVENT#', times: 10 });

    await watchdog.setWeights(0, 100);
    await watchdog.eventually(async () => ((await watchdog.queueMessages('WatchdogChangesDeadLetters')) > 0 ? true : undefined), 'the dead letter', 90_000);

    expect(watchdog.runner.crashes()).toHaveLength(5);
    expect(new Set(watchdog.runner.crashes().map((c) => c.environment)).size).toBe(5);
    expect(await watchdog.weights()).toEqual({ blue: 0, green: 100 });
  }, patience(120_000));
});

describe('Runner: route-change\'s batches from the incoming queue', () => {
  it('reports an event it cannot read on its own: the rest of the batch is done, the bad one goes to the failed events after 5 receives', async () => {
    // Prepare: an event no rule would send (skipped, done) and a body that is not JSON, in one batch.
    // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html (ReportBatchItemFailures)
    const queueOf = (prefix: string) => {
      const queue = [...watchdog.runner.deployed.queues.entries()].find(([id]) => id.startsWith(prefix))?.[1];
      if (queue === undefined) throw new Error(`no queue ${prefix}*`);
      return queue.url;
    };
    const sqs = watchdog.alice().sqs;
    const skipped = JSON.stringify({ version: '0', id: 'e-1', 'detail-type': 'Scheduled Event', source: 'aws.events', account: '123456789012', time: '2026-12-07T00:00:00Z', region: 'us-east-1', resources: [], detail: {} });

    // Act
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueOf('WatchdogChangesIncoming'), Entries: [{ Id: 'skipped', MessageBody: skipped }, { Id: 'bad', MessageBody: 'not json {' }] }));

    // Assess
    const failed = await watchdog.eventually(async () => {
      const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueOf('WatchdogFailedEvents'), MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
      return (received.Messages ?? []).length > 0 ? received.Messages : undefined;
    }, 'the bad event in the failed events', SLOW);
    expect(failed?.map((m) => m.Body)).toEqual(['not json {']);
    expect(await watchdog.queueMessages('WatchdogChangesIncoming')).toBe(0);
  }, patience(120_000));
});

describe('Runner: scheduled rules on the sim clock', () => {
  it('runs alarm sync every 15 sim minutes, the audit every sim hour and the outbox drain every sim minute, as the template schedules them', async () => {
    const runs = (rule: string) => watchdog.runner.scheduledRuns().filter((r) => r.rule.startsWith(rule)).length;
    const invocations = (name: string) => watchdog.runner.stats().filter((s) => s.name === name).reduce((sum, s) => sum + s.invocations, 0);
    const before = { sync: invocations('sync-alarms'), audit: invocations('audit'), drains: runs('WatchdogAuditDrainOutbox') };

    await standIn().clock.advance(15);
    await watchdog.eventually(async () => (invocations('sync-alarms') === before.sync + 1 && invocations('audit') === before.audit + 15 && watchdog.runner.idle ? true : undefined), 'the first alarm sync and 15 drains', SLOW);
    expect(runs('WatchdogAuditSchedule')).toBe(0);

    await standIn().clock.advance(45);
    await watchdog.eventually(async () => (invocations('audit') === before.audit + 61 && invocations('sync-alarms') === before.sync + 4 ? true : undefined), 'an hour of schedules', SLOW);

    expect(runs('WatchdogAlarmSync')).toBe(4);
    expect(runs('WatchdogAuditSchedule')).toBe(1);
    expect(runs('WatchdogAuditDrainOutbox') - before.drains).toBe(60);
  }, patience(120_000));

  it('gives the drain rule\'s target its constant input, which only drains the outbox', async () => {
    // Target.Input: "Valid JSON text passed to the target. In this case, nothing from the event itself is
    // passed to the target." https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html
    await expect(watchdog.runner.invokeRule('DrainOutbox')).resolves.toEqual([{ told: 0 }]);
  });
});
