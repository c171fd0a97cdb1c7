import { DeregisterTargetsCommand, RegisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { createBackendClients } from '../../sim/backend/backend-clients';
import { runInstances } from '../../sim/worlds/world-parts';
import { registeredTargets, useWatchdog } from './watchdog-harness';

/**
 * Issue 16 on the stand-in, in enforce mode: a person's unsafe flip in the middle of an EC2 Auto Scaling
 * burst, and a crash of the judge between restoring the listener and telling people. Auto Scaling calls with
 * its service-linked role, as CloudTrail records it
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html,
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-service-linked-role.html). A failed batch
 * comes back after the queue's visibility timeout; the runner shortens it to 1 s.
 */
const watchdog = useWatchdog({ mode: 'enforce' }, { retryDelaySeconds: 1 });
const SLOW = 90_000;
const SCALER = 'asg-key';

const subjects = () => watchdog.fixture.standIn.notifications().map((n) => n.subject ?? '');

async function registerScaler(): Promise<void> {
  const response = await fetch(`${watchdog.fixture.standIn.url}/_sim/identities`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      accessKeyId: SCALER,
      type: 'AssumedRole',
      roleArn: 'arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling',
      sessionName: 'AutoScaling',
      invokedBy: 'autoscaling.amazonaws.com',
    }),
  });
  if (!response.ok) throw new Error(`identity: ${response.status} ${await response.text()}`);
}

/** Until every CloudTrail event is on the bus and the watchdog has nothing left to do. */
async function quiet(): Promise<void> {
  await watchdog.fixture.standIn.settled();
  await watchdog.eventually(async () => ((await watchdog.queueMessages('WatchdogChangesQueue')) === 0 && watchdog.runner.idle ? true : undefined), 'the watchdog to be idle', SLOW);
}

/** The one audit record of the judged flip, its claim completed and nothing of it left in the outbox. */
async function assertToldOnce(): Promise<void> {
  const store = watchdog.state();
  const lb = watchdog.world().loadBalancer;
  const flips = (await store.listAudit(lb, { limit: 500 })).filter((r) => r.eventName === 'ModifyListener');
  expect(flips).toHaveLength(1);
  expect(flips[0]).toMatchObject({ outcome: 'reverted', decision: 'block', action: 'revert', actor: { displayName: 'alice' } });
  expect(subjects()).toEqual(['BLOCKED and reverted: ModifyListener on web by alice']);
  expect(await store.listPending()).toEqual([]);
  // A completed claim answers "already done": the event is never judged again.
  expect(await store.claimEvent(`${flips[0].eventId}#${lb}`, 0)).toBe('already-done');
}

describe('A person\'s flip inside an Auto Scaling burst', () => {
  it('is reverted and told as the person\'s; the scaler\'s 100 calls stand, no scaled-in target comes back', async () => {
    // Prepare: Auto Scaling has 10 fresh instances to add; blue serves web-1..4
    await registerScaler();
    const backend = createBackendClients(watchdog.fixture.standIn.backendUrl, watchdog.fixture.standIn.region);
    const fresh = await runInstances(backend, watchdog.fixture.standIn.world.resources['subnet:us-east-1a'], 10).finally(() => backend.destroy());
    const w = watchdog.world();
    const original = await registeredTargets(watchdog.alice(), w.blue);
    const scaler = watchdog.fixture.clients(SCALER).elbv2;
    // 100 calls: the 10 instances churn in and out (80 calls), then 4 stay in (4) and web-3, web-4 are
    // scaled in (2), and 14 more register/deregister pairs of an instance that ends out.
    const calls: { op: 'register' | 'deregister'; id: string }[] = [];
    for (let round = 0; round < 4; round++) for (const id of fresh) calls.push({ op: 'register', id }, { op: 'deregister', id });
    calls.push(...fresh.slice(0, 4).map((id) => ({ op: 'register' as const, id })));
    calls.push({ op: 'deregister', id: original[2] }, { op: 'deregister', id: original[3] });
    for (let i = 0; i < 7; i++) calls.push({ op: 'register', id: fresh[9] }, { op: 'deregister', id: fresh[9] });
    expect(calls).toHaveLength(100);
    const expected = [...original.slice(0, 2), ...fresh.slice(0, 4)].sort();

    // Act: the scaler's burst, with alice's flip after its 50th call
    for (const [i, call] of calls.entries()) {
      if (i === 50) await watchdog.setWeights(0, 100);
      const input = { TargetGroupArn: w.blue, Targets: [{ Id: call.id, Port: 80 }] };
      await scaler.send(call.op === 'register' ? new RegisterTargetsCommand(input) : new DeregisterTargetsCommand(input));
    }
    await watchdog.eventually(async () => ((await watchdog.weights()).blue === 100 ? true : undefined), 'the flip reverted', SLOW);
    await watchdog.eventually(async () => (subjects().some((s) => s.includes('by alice')) ? true : undefined), 'the notification naming alice', SLOW);
    await quiet();

    // Assess
    expect(await watchdog.weights()).toEqual({ blue: 100, green: 0 });
    expect(await registeredTargets(watchdog.alice(), w.blue)).toEqual(expected);
    const blocked = subjects().filter((s) => s.startsWith('BLOCKED'));
    expect(blocked).toEqual(['BLOCKED and reverted: ModifyListener on web by alice']);
    expect(subjects().filter((s) => s.includes('Auto Scaling') && s.startsWith('BLOCKED'))).toEqual([]);
    const records = await watchdog.state().listAudit(w.loadBalancer, { limit: 500 });
    expect(records.filter((r) => r.outcome === 'reverted').map((r) => r.actor.displayName)).toEqual(['alice']);
  }, 240_000);
});

describe('A crash between restoring the listener and telling people', () => {
  it.each([
    ['killed as ELBv2 answers the revert', { service: 'elbv2', action: 'ModifyListener', phase: 'after' as const }],
    ['killed before SNS Publish', { service: 'sns', action: 'Publish', phase: 'before' as const }],
  ])('%s: the retry tells it exactly once, with a complete audit record', async (_name, at) => {
    // Prepare
    watchdog.runner.crashWhen({ function: 'on-change', ...at });

    // Act
    await watchdog.setWeights(0, 100);
    await watchdog.eventually(async () => (watchdog.runner.crashes().length === 1 ? true : undefined), 'the crash', SLOW);
    await watchdog.eventually(async () => (subjects().length > 0 ? true : undefined), 'the notification', SLOW);
    await quiet();

    // Assess
    expect(await watchdog.weights()).toEqual({ blue: 100, green: 0 });
    await assertToldOnce();
  }, 180_000);
});
