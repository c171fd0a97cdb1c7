import { DeregisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { registeredTargets, useWatchdog } from './watchdog-harness';

/**
 * A busy account on the stand-in, in enforce mode: EC2 Auto Scaling's service-linked role (as CloudTrail
 * writes it: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html,
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-service-linked-role.html), a pipeline
 * that re-applies what the watchdog reverted, and SNS failing while a revert happens.
 */
const watchdog = useWatchdog({ mode: 'enforce' });

async function identity(body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${watchdog.fixture.standIn.url}/_sim/identities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`identity: ${response.status} ${await response.text()}`);
}

async function faults(rules: unknown[]): Promise<void> {
  await fetch(`${watchdog.fixture.standIn.url}/_sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules }) });
}

const SCALER = 'asg-key';
const PIPELINE = 'deploy-bot-key';

async function registerActors(): Promise<void> {
  await identity({
    accessKeyId: SCALER,
    type: 'AssumedRole',
    roleArn: 'arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling',
    sessionName: 'AutoScaling',
    invokedBy: 'autoscaling.amazonaws.com',
  });
  await identity({ accessKeyId: PIPELINE, type: 'AssumedRole', roleName: 'deploy-bot', sessionName: 'run-7' });
}

const subjects = () => watchdog.fixture.standIn.notifications().map((n) => n.subject ?? '');

describe('Actors, fights and an outage of SNS on the stand-in', () => {
  it('leaves an Auto Scaling scale-in that leaves one target alone, told at most once', async () => {
    // Prepare
    await registerActors();
    const w = watchdog.world();
    const blue = await registeredTargets(watchdog.alice(), w.blue);

    // Act: the scaler takes blue from 4 servers to 1
    await watchdog.fixture.clients(SCALER).elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: w.blue, Targets: blue.slice(1).map((Id) => ({ Id })) }));
    const told = await watchdog.eventually(async () => watchdog.fixture.standIn.notifications()[0], 'the verdict');
    await watchdog.fixture.standIn.settled();

    // Assess
    expect(told.subject).toBe('UNSAFE, NOT REVERTED (judge-only): DeregisterTargets on web by EC2 Auto Scaling');
    expect(subjects()).toHaveLength(1);
    expect(await registeredTargets(watchdog.alice(), w.blue)).toEqual(blue.slice(0, 1));
  });

  it('reverts a person\'s flip made with a scale-in, and never registers the scaled-in target again', async () => {
    // Prepare
    await registerActors();
    const w = watchdog.world();
    const blue = await registeredTargets(watchdog.alice(), w.blue);

    // Act: the scaler removes one blue server while alice flips the listener
    await Promise.all([
      watchdog.fixture.clients(SCALER).elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: w.blue, Targets: [{ Id: blue[3] }] })),
      watchdog.setWeights(0, 100),
    ]);
    await watchdog.eventually(async () => ((await watchdog.weights()).blue === 100 ? true : undefined), 'the flip reverted', 60_000);
    await watchdog.eventually(async () => (subjects().some((s) => s.includes('by alice')) ? true : undefined), 'the notification naming alice', 60_000);
    await watchdog.fixture.standIn.settled();

    // Assess
    expect(await registeredTargets(watchdog.alice(), w.blue)).toEqual(blue.slice(0, 3));
    expect(subjects().filter((s) => s.startsWith('BLOCKED and reverted'))).toEqual(['BLOCKED and reverted: ModifyListener on web by alice']);
  });

  it('against a pipeline that re-applies an unsafe change 10 times: ends safe, one escalation, at most 3 messages', async () => {
    // Prepare
    await registerActors();
    const pipeline = watchdog.fixture.clients(PIPELINE);

    const outcomes = async () => (await watchdog.state().listAudit(watchdog.world().loadBalancer)).filter((r) => r.eventName === 'ModifyListener').map((r) => r.outcome);

    // Act: each re-apply comes once the watchdog has finished with the last (restored and recorded). A
    // re-apply during the watchdog's verification read would be undone by that verification, and its own
    // event would then find nothing to revert.
    for (let round = 1; round <= 10; round += 1) {
      await watchdog.setWeights(0, 100, pipeline);
      await watchdog.eventually(async () => ((await outcomes()).length >= round && (await watchdog.weights()).blue === 100 ? true : undefined), `round ${round} reverted and recorded`, 60_000);
    }
    await watchdog.eventually(async () => (subjects().some((s) => s.startsWith('FIGHT')) ? true : undefined), 'the escalation', 60_000);
    await watchdog.fixture.standIn.settled();

    // Assess
    expect(await watchdog.weights()).toEqual({ blue: 100, green: 0 });
    expect(subjects().filter((s) => s.startsWith('FIGHT'))).toHaveLength(1);
    expect(subjects().length).toBeLessThanOrEqual(3);
    expect(await outcomes()).toEqual(new Array(10).fill('reverted'));
  });

  it('with SNS failing during a revert: reverts, and tells it exactly once after SNS is back (the audit drains the outbox)', async () => {
    // Prepare: every Publish fails
    await faults([{ service: 'sns', action: 'Publish', errorRate: 1, errorCode: 'InternalError' }]);

    // Act
    await watchdog.setWeights(0, 100);
    await watchdog.eventually(async () => ((await watchdog.weights()).blue === 100 ? true : undefined), 'the revert', 60_000);
    // The change's message is retried while SNS fails, and may reach the dead-letter queue.
    await watchdog.eventually(async () => ((await watchdog.state().listPending()).length === 1 ? true : undefined), 'the verdict kept in the outbox');
    await faults([]);
    await watchdog.runner.invokeScheduled('audit');
    await watchdog.eventually(async () => watchdog.fixture.standIn.notifications()[0], 'the notification', 60_000);
    await watchdog.fixture.standIn.settled();

    // Assess
    expect(subjects()).toEqual(['BLOCKED and reverted: ModifyListener on web by alice']);
    expect(await watchdog.state().listPending()).toEqual([]);
  });
});
