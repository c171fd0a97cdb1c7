import { CreateRuleCommand, CreateTargetGroupCommand, ModifyRuleCommand, RegisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { LoadBalancerAudit } from '../../lambdas/core/workflow/audit-load-balancers';
import { createBackendClients } from '../../sim/backend/backend-clients';
import { useWatchdog } from './watchdog-harness';

/**
 * Judging with load, end to end on the stand-in in enforce mode. The stand-in's traffic model writes the ELB
 * metrics CloudWatch publishes each minute (RequestCount per TargetGroup and LoadBalancer, RequestCountPerTarget
 * with statistic Sum, HealthyHostCount / UnHealthyHostCount:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html);
 * the audit proves each group's capacity from them (GetMetricData: at most 500 queries and 100,800 datapoints a
 * call, https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html) and the judge
 * reads the last 15 minutes in one GetMetricData call, counted here at the wire.
 *
 * History: the sim clock is warmed up for 30 minutes ending 20 minutes before this file starts, so a test can
 * shape more history (advance the clock) and still end it before the wall clock, which CloudTrail times
 * changes by; each test then catches the sim clock up to a minute before now.
 */
const MINUTE = 60_000;
const FILE_START = Date.now();
const watchdog = useWatchdog(
  { mode: 'enforce', policy: { rules: { 'capacity-headroom': { lookbackHours: 3 } } } },
  {},
  { clock: { warmupMinutes: 30, start: new Date(Math.floor(FILE_START / MINUTE) * MINUTE - 20 * MINUTE) } },
);

const standIn = () => watchdog.fixture.standIn;
const notified = () => standIn().notifications();

/** Simulates every minute up to one before the wall clock: the history ends where the judge's window does. */
async function catchUp(): Promise<void> {
  const minutes = Math.floor((Date.now() - MINUTE - standIn().clock.now().getTime()) / MINUTE);
  if (minutes > 0) await standIn().clock.advance(minutes);
}

/** The audit, as its schedule runs it: stores each group's proven capacity. */
async function audit(): Promise<LoadBalancerAudit> {
  const results = (await watchdog.runner.invokeScheduled('audit')) as LoadBalancerAudit[];
  const web = results.find((r) => r.arn === watchdog.world().loadBalancer);
  if (web === undefined) throw new Error('the audit did not see web');
  return web;
}

/** GetMetricData calls the on-change function made, counted by the stand-in. */
function judgeMetricCalls(): number {
  return standIn()
    .calls.list({ service: 'monitoring', action: 'GetMetricData' })
    .calls.filter((c) => c.accessKeyId.startsWith('elb-watchdog.on-change.'))
    .reduce((sum, c) => sum + c.answered, 0);
}

/** Waits until the watchdog has recorded a verdict on a call of `eventName` (the `count`th, by default the first). */
async function judged(eventName: string, count = 1): Promise<void> {
  await watchdog.eventually(async () => {
    const records = await watchdog.state().listAudit(watchdog.world().loadBalancer, { limit: 50 });
    return records.filter((r) => r.eventName === eventName).length >= count ? true : undefined;
  }, `a verdict on ${eventName}`, 30_000);
}

async function baselineVersion(): Promise<number> {
  return watchdog.eventually(async () => (await watchdog.state().getLastKnownGood(watchdog.world().loadBalancer))?.version, 'a baseline');
}

async function baselineAfter(version: number): Promise<number> {
  return watchdog.eventually(async () => {
    const now = (await watchdog.state().getLastKnownGood(watchdog.world().loadBalancer))?.version;
    return now !== undefined && now > version ? now : undefined;
  }, 'a new baseline');
}

/** A new instance in the second zone (the demo world has five). */
async function newInstance(): Promise<string> {
  const backend = createBackendClients(standIn().backendUrl, standIn().region);
  try {
    const run = await backend.ec2('RunInstances', { ImageId: 'ami-0abcdef1234567890', InstanceType: 't3.small', MinCount: '1', MaxCount: '1', SubnetId: standIn().world.resources['subnet:us-east-1b'] ?? '' });
    const set = run.instancesSet as unknown;
    const first = (Array.isArray(set) ? set[0] : undefined) as { instanceId?: string } | undefined;
    if (first?.instanceId === undefined) throw new Error('RunInstances returned no instance');
    return first.instanceId;
  } finally {
    backend.destroy();
  }
}

const path = (value: string) => ({ Field: 'path-pattern', PathPatternConfig: { Values: [value] } });

describe('Judging with load on the stand-in (enforce)', () => {
  it('reverts a cutover from 4 blue servers to a green group of 2 that the share rules allow, with the numbers', async () => {
    // Prepare: green gets a second server; it has never served
    const w = watchdog.world();
    const version = await baselineVersion();
    const second = await newInstance();
    const callsBefore = judgeMetricCalls();
    await watchdog.alice().elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: w.green, Targets: [{ Id: second, Port: 80 }] }));
    await baselineAfter(version);
    // A registration into a group at weight 0 cannot move traffic: no metrics call.
    expect(judgeMetricCalls()).toBe(callsBefore);
    await catchUp();
    const audited = await audit();
    expect(audited.provenCapacity).toEqual({ groups: 1 });

    // Act: the cutover: each green server would get 50% (the share limit) of 4,000 requests a minute
    await watchdog.setWeights(0, 100);
    await watchdog.eventually(async () => ((await watchdog.weights()).blue === 100 ? true : undefined), 'the weights restored', 30_000);
    const message = await watchdog.eventually(async () => notified().find((n) => /ModifyListener/.test(n.subject ?? '')), 'a notification');

    // Assess
    expect(message.subject).toBe('BLOCKED and reverted: ModifyListener on web by alice');
    expect(message.message).toMatch(
      /capacity-headroom: all requests on HTTP:80, the default rule: i-\w+ \(web-green\) would receive about 2,\d{3} requests\/min \(and 1 other target of web-green alike\), was 0; no web-blue target has carried more than 1,\d{3}\/min in 3 hours \(limit \+25%: 1,\d{3}\/min\); web-green has no history of its own: judged by web-blue, which served these requests before/,
    );
    expect(message.message).toMatch(/Load: judged with load: RequestCount over the last 15 minutes \(CloudWatch\), proven capacity over 3 hours/);
    // The share rules alone allow it: no share finding in the notification.
    expect(message.message).not.toMatch(/max-target-share|healthy-target-cut/);
    // One GetMetricData call for the judged change (the revert's own events are not judged).
    expect(judgeMetricCalls() - callsBefore).toBe(1);
  }, 180_000);

  it('warns, and does not revert, when a quiet class with its own group moves onto one server that has carried far more', async () => {
    // Prepare: /admin/* (0.5% of 4,000 a minute) has its own rule and group of two servers; web-green's server
    // carried 30% of the site for ten minutes, then went back to weight 0.
    const w = watchdog.world();
    const r = standIn().world.resources;
    standIn().traffic.configure({ requestMix: { web: [{ path: '/admin/users', share: 0.005 }] }, targets: { [r['instance:web-5'] ?? '']: 5000 } });
    await baselineVersion();
    const admin = await watchdog.alice().elbv2.send(new CreateTargetGroupCommand({ Name: 'web-admin', Protocol: 'HTTP', Port: 80, VpcId: r['vpc:web'], TargetType: 'instance' }));
    const adminArn = admin.TargetGroups?.[0]?.TargetGroupArn ?? '';
    await watchdog.alice().elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: adminArn, Targets: [{ Id: r['instance:web-3'], Port: 80 }, { Id: r['instance:web-4'], Port: 80 }] }));
    const rule = await watchdog.alice().elbv2.send(new CreateRuleCommand({ ListenerArn: w.listener, Priority: 10, Conditions: [path('/admin/*')], Actions: [{ Type: 'forward', TargetGroupArn: adminArn }] }));
    await judged('CreateRule');
    await watchdog.setWeights(70, 30);
    await judged('ModifyListener');
    await standIn().clock.advance(10);
    await watchdog.setWeights(100, 0);
    await judged('ModifyListener', 2);
    await catchUp();
    expect(notified().filter((n) => /BLOCKED/.test(n.subject ?? ''))).toEqual([]);
    expect((await audit()).provenCapacity).toEqual({ groups: 3 });
    const callsBefore = judgeMetricCalls();

    // Act: the quiet class onto web-green's one server
    const ruleArn = rule.Rules?.[0]?.RuleArn ?? '';
    await watchdog.alice().elbv2.send(new ModifyRuleCommand({ RuleArn: ruleArn, Actions: [{ Type: 'forward', TargetGroupArn: w.green }] }));
    const message = await watchdog.eventually(async () => notified().find((n) => /ModifyRule/.test(n.subject ?? '')), 'a notification', 30_000);

    // Assess: told with the numbers, left in place
    expect(message.subject).toMatch(/^WARNING/);
    expect(message.message).toMatch(
      /max-target-share: requests to \/admin\/\* on HTTP:80, rule 10: i-\w+ would receive 100%, was 0%; limit 50%; lowered to a warning: the load stays within proven capacity \(i-\w+ would receive about \d{2} requests\/min; no web-green target has carried more than 1,\d{3}\/min in 3 hours\)/,
    );
    const records = await watchdog.state().listAudit(w.loadBalancer, { limit: 1 });
    expect(records[0]).toMatchObject({ eventName: 'ModifyRule', decision: 'warn', action: 'none' });
    expect(judgeMetricCalls() - callsBefore).toBe(1);
  }, 180_000);

  it('follows the metric history where it contradicts the configured request mix', async () => {
    // Prepare: /admin/* carried half the site (2,000 a minute over its two servers) for the whole history...
    const w = watchdog.world();
    const r = standIn().world.resources;
    // (web-3 and web-4 serve both web-blue and web-admin: room for both)
    standIn().traffic.configure({ requestMix: { web: [{ path: '/admin/users', share: 0.5 }] }, targets: { [r['instance:web-3'] ?? '']: 5000, [r['instance:web-4'] ?? '']: 5000 } });
    await baselineVersion();
    const admin = await watchdog.alice().elbv2.send(new CreateTargetGroupCommand({ Name: 'web-admin', Protocol: 'HTTP', Port: 80, VpcId: r['vpc:web'], TargetType: 'instance' }));
    const adminArn = admin.TargetGroups?.[0]?.TargetGroupArn ?? '';
    await watchdog.alice().elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: adminArn, Targets: [{ Id: r['instance:web-3'], Port: 80 }, { Id: r['instance:web-4'], Port: 80 }] }));
    const rule = await watchdog.alice().elbv2.send(new CreateRuleCommand({ ListenerArn: w.listener, Priority: 10, Conditions: [path('/admin/*')], Actions: [{ Type: 'forward', TargetGroupArn: adminArn }] }));
    await judged('CreateRule');
    await catchUp();
    expect(notified().filter((n) => /BLOCKED/.test(n.subject ?? ''))).toEqual([]);
    await audit();
    // ...while the stand-in is now configured to send it 20 a minute (no minute has passed since).
    standIn().traffic.configure({ requestMix: { web: [{ path: '/admin/users', share: 0.005 }] } });

    // Act: the same move onto web-green's one server
    await watchdog.alice().elbv2.send(new ModifyRuleCommand({ RuleArn: rule.Rules?.[0]?.RuleArn ?? '', Actions: [{ Type: 'forward', TargetGroupArn: w.green }] }));
    const message = await watchdog.eventually(async () => notified().find((n) => /ModifyRule/.test(n.subject ?? '')), 'a notification', 30_000);

    // Assess: judged by what CloudWatch says moved (about 2,000 a minute), not by the configuration
    expect(message.subject).toBe('BLOCKED and reverted: ModifyRule on web by alice');
    // Each server carried about 1,000 a minute; the stand-in varies each minute by 3%, so the most any carried
    // is a little above or below it (995 in one CI run).
    expect(message.message).toMatch(/capacity-headroom: requests to \/admin\/\* on HTTP:80, rule 10: i-\w+ \(web-green\) would receive about [12],\d{3} requests\/min, was 0; no web-admin target has carried more than (9\d\d|1,\d{3})\/min in 3 hours/);
  }, 180_000);
});
