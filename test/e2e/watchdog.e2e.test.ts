import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  AddTagsCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { isUntrustedBaseline } from '../../lambdas/core/ports';
import { registeredTargets, useWatchdog } from './watchdog-harness';

/**
 * The watchdog end to end: real handlers with real SDK clients, deployed by the local runner from the
 * construct's template into the stand-in (moto behind our front), changes made by a person through the
 * SDK and delivered as CloudTrail events through EventBridge and SQS.
 */
const watchdog = useWatchdog({
  mode: 'enforce',
  // A per-resource override by tag: load balancers tagged for dry-run only get told.
  policy: { version: 1, mode: 'enforce', overrides: [{ name: 'trial', match: { tags: { 'watchdog-mode': 'dry-run' } }, mode: 'dry-run' }] },
});

const subjects = () => watchdog.fixture.standIn.notifications().map((n) => n.subject);

describe('ELB Watchdog on the stand-in', () => {
  it('reverts the May 19 weight flip, notifies once naming the actor and the 100% share, and audits it', async () => {
    // Act
    // How fast is measured in bench/ (npm run bench), not asserted: a loaded machine must not fail this test.
    await watchdog.setWeights(0, 100);
    await watchdog.eventually(async () => ((await watchdog.weights()).blue === 100 ? true : undefined), 'the revert', 60_000);
    const notification = await watchdog.eventually(async () => watchdog.fixture.standIn.notifications()[0], 'a notification');

    // Assess
    expect(await watchdog.weights()).toEqual({ blue: 100, green: 0 });
    expect(notification.subject).toBe('BLOCKED and reverted: ModifyListener on web by alice');
    expect(notification.message).toMatch(/all requests on HTTP:80, the default rule: i-\w+ would receive 100%, was 0%/);
    const audit = await watchdog.state().listAudit(watchdog.world().loadBalancer);
    expect(audit.map((r) => [r.eventName, r.actor.displayName, r.outcome])).toEqual([['ModifyListener', 'alice', 'reverted']]);
    // No loop: the revert's own CloudTrail event is seen and produces nothing more.
    await watchdog.eventually(async () => (watchdog.fixture.standIn.events({ eventName: 'ModifyListener' }).length === 2 ? true : undefined), 'the revert event');
    await watchdog.fixture.standIn.settled();
    expect(subjects()).toHaveLength(1);
  });

  it('in dry-run (a tag override) leaves the change and says it would revert', async () => {
    const w = watchdog.world();
    await watchdog.alice().elbv2.send(new AddTagsCommand({ ResourceArns: [w.loadBalancer], Tags: [{ Key: 'watchdog-mode', Value: 'dry-run' }] }));

    await watchdog.setWeights(0, 100);
    const notification = await watchdog.eventually(async () => watchdog.fixture.standIn.notifications()[0], 'a notification');

    expect(notification.subject).toBe('WOULD REVERT (dry-run): ModifyListener on web by alice');
    expect(await watchdog.weights()).toEqual({ blue: 0, green: 100 });
  });

  it('re-registers targets when 3 of 4 are deregistered', async () => {
    const w = watchdog.world();
    const before = await registeredTargets(watchdog.alice(), w.blue);

    await watchdog.alice().elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: w.blue, Targets: before.slice(0, 3).map((Id) => ({ Id })) }));
    await watchdog.eventually(async () => ((await registeredTargets(watchdog.alice(), w.blue)).length === 4 ? true : undefined), 'targets re-registered');

    const notification = await watchdog.eventually(async () => watchdog.fixture.standIn.notifications()[0], 'a notification');

    expect(await registeredTargets(watchdog.alice(), w.blue)).toEqual(before);
    expect(notification.subject).toBe('BLOCKED and reverted: DeregisterTargets on web by alice');
  });

  it('leaves a safe blue/green 50/50 shift alone and stores it as the new last known good', async () => {
    const w = watchdog.world();
    const baseline = await watchdog.state().getLastKnownGood(w.loadBalancer);

    await watchdog.setWeights(50, 50);
    const stored = await watchdog.eventually(async () => {
      const now = await watchdog.state().getLastKnownGood(w.loadBalancer);
      return now !== undefined && !isUntrustedBaseline(now) && now.version > (baseline?.version ?? 0) ? now : undefined;
    }, 'a new last known good');

    expect(await watchdog.weights()).toEqual({ blue: 50, green: 50 });
    expect(stored.eventId).toBeDefined();
    expect(subjects()).toEqual([]);
  });

  it('acts once on an event delivered twice', async () => {
    await watchdog.setWeights(0, 100);
    await watchdog.eventually(async () => (watchdog.fixture.standIn.notifications().length === 1 ? true : undefined), 'the first verdict');
    const original = watchdog.fixture.standIn.events({ eventName: 'ModifyListener' })[0];

    // EventBridge may deliver an event twice: put the very same CloudTrail event on the bus again.
    await watchdog.alice().events.send(
      new PutEventsCommand({ Entries: [{ Source: 'aws.elasticloadbalancing', DetailType: 'AWS API Call via CloudTrail', Detail: JSON.stringify(original.event.detail) }] }),
    );
    await watchdog.eventually(async () => ((await watchdog.queueMessages('WatchdogChangesQueue')) === 0 && watchdog.runner.idle ? true : undefined), 'the queue to drain');

    const audit = await watchdog.state().listAudit(watchdog.world().loadBalancer);
    expect(audit.filter((r) => r.eventId === original.event.detail.eventID)).toHaveLength(1);
    expect(subjects()).toHaveLength(1);
  });

  it('judges two changes 100 ms apart in order and ends safe', async () => {
    await watchdog.setWeights(50, 50);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await watchdog.setWeights(0, 100);

    const audit = await watchdog.eventually(async () => {
      const records = await watchdog.state().listAudit(watchdog.world().loadBalancer);
      return records.length === 2 ? records : undefined;
    }, 'both changes judged');

    const calls = watchdog.fixture.standIn.events({ eventName: 'ModifyListener' }).map((d) => d.event.detail.eventID);
    // One record each; two changes judged in one batch are written at the same time, and the log orders
    // records of one time by event id, not by call.
    expect(audit.map((r) => r.eventId).sort()).toEqual(calls.slice(0, 2).sort());
    // Whether the first event was judged before or after the second call landed, the end state is safe.
    expect([{ blue: 100, green: 0 }, { blue: 50, green: 50 }]).toContainEqual(await watchdog.weights());
    await watchdog.eventually(async () => (subjects().length === 1 ? true : undefined), 'one notification');
    expect(subjects()).toEqual(['BLOCKED and reverted: ModifyListener on web by alice']);
  });

  it('keeps its hands off during a break-glass and enforces again once it expired', async () => {
    const w = watchdog.world();
    const now = Date.now();
    await watchdog.state().putBreakGlass({ loadBalancerArn: w.loadBalancer, startedAt: new Date(now).toISOString(), expiresAt: new Date(now + 3_600_000).toISOString(), reason: 'INC-7 migration', by: 'bob' });

    await watchdog.setWeights(0, 100);
    const during = await watchdog.eventually(async () => watchdog.fixture.standIn.notifications()[0], 'the suspended verdict');
    expect(during.subject).toBe('BLOCKED, break-glass active: ModifyListener on web by alice');
    expect(during.message).toContain('INC-7 migration');
    expect(await watchdog.weights()).toEqual({ blue: 0, green: 100 });

    await watchdog.state().putBreakGlass({ loadBalancerArn: w.loadBalancer, startedAt: new Date(now).toISOString(), expiresAt: new Date(Date.now() - 1).toISOString(), reason: 'INC-7 migration', by: 'bob' });
    await watchdog.setWeights(0, 99);
    await watchdog.eventually(async () => ((await watchdog.weights()).blue === 100 ? true : undefined), 'the revert after expiry');
  });

  it('keeps two alarms per target group in step: created with the group, deleted with it, a second reconcile a no-op', async () => {
    const alice = watchdog.alice();
    const w = watchdog.world();
    const alarmNames = async () =>
      ((await alice.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'elb-watchdog-tg-' }))).MetricAlarms ?? []).map((a) => a.AlarmName ?? '').sort();
    const initial = await alarmNames();
    expect(initial).toHaveLength(4);

    const group = await alice.elbv2.send(
      new CreateTargetGroupCommand({ Name: 'web-canary', Protocol: 'HTTP', Port: 80, VpcId: watchdog.fixture.standIn.world.resources['vpc:web'], TargetType: 'instance' }),
    );
    const canary = group.TargetGroups?.[0]?.TargetGroupArn as string;
    const rule = await alice.elbv2.send(
      new CreateRuleCommand({
        ListenerArn: w.listener,
        Priority: 10,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/canary/*'] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: canary }],
      }),
    );
    const withCanary = await watchdog.eventually(async () => {
      const names = await alarmNames();
      return names.length === 6 ? names : undefined;
    }, 'the canary group alarms');
    expect(withCanary.filter((name) => name.includes('web-canary')).map((name) => name.replace(/.*-/, ''))).toEqual(['anomaly', 'share']);

    await alice.elbv2.send(new DeleteRuleCommand({ RuleArn: rule.Rules?.[0]?.RuleArn }));
    await alice.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: canary }));
    await watchdog.eventually(async () => ((await alarmNames()).length === 4 ? true : undefined), 'the canary alarms gone');

    const again = (await watchdog.runner.invokeScheduled('sync-alarms')) as { put: string[]; deleted: string[] };
    expect(again).toMatchObject({ put: [], deleted: [] });
    expect(await alarmNames()).toEqual(initial);
  });

  it('tells people when one target gets too much of the traffic: the split now and the change just before', async () => {
    // Prepare: dry-run, so the flip stays and traffic follows it on the sim clock.
    const w = watchdog.world();
    await watchdog.alice().elbv2.send(new AddTagsCommand({ ResourceArns: [w.loadBalancer], Tags: [{ Key: 'watchdog-mode', Value: 'dry-run' }] }));
    await watchdog.fixture.standIn.clock.advance(5);
    await watchdog.setWeights(0, 100);
    await watchdog.eventually(async () => watchdog.fixture.standIn.notifications()[0], 'the verdict');

    // Act: a minute of traffic at 100% on web-green.
    await watchdog.fixture.standIn.clock.advance(2);
    const alarm = await watchdog.eventually(
      async () => watchdog.fixture.standIn.notifications().find((n) => n.subject?.startsWith('ALARM: elb-watchdog-tg-web-web-green-')),
      'the share alarm notification',
    );

    // Assess
    expect(alarm.subject).toMatch(/-share$/);
    expect(alarm.message).toMatch(/Share of each request class per target now/);
    expect(alarm.message).toMatch(/\(web-green\)\s+100%/);
    expect(alarm.message).toMatch(/ModifyListener by alice: block, not-reverted/);
  });
});
