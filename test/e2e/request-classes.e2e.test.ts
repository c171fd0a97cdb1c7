import {
  CreateRuleCommand,
  DeleteRuleCommand,
  DescribeRulesCommand,
  SetRulePrioritiesCommand,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { registeredTargets, useWatchdog } from './watchdog-harness';

/**
 * Request classes end to end on the stand-in, in enforce mode, with changes made through the SDK as a
 * person would: the new rule, the deleted rule and the reordering that moves a class onto one server
 * are undone; moving traffic off a dead group onto the only healthy server is left alone with a warning.
 * Rule evaluation order: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html
 */
const watchdog = useWatchdog({ mode: 'enforce' });

const forwardTo = (arn: string) => [{ Type: 'forward' as const, TargetGroupArn: arn }];
const path = (value: string) => ({ Field: 'path-pattern', PathPatternConfig: { Values: [value] } });

async function rules(): Promise<Rule[]> {
  const all = (await watchdog.alice().elbv2.send(new DescribeRulesCommand({ ListenerArn: watchdog.world().listener }))).Rules ?? [];
  return all.filter((r) => r.IsDefault !== true);
}

/** The stored baseline's version (read without its MAC key: the test only counts versions). */
async function storedVersion(): Promise<number | undefined> {
  return (await watchdog.state().getLastKnownGood(watchdog.world().loadBalancer))?.version;
}

/** Waits until the baseline has moved past `version` (a change the watchdog allowed). */
async function baselineAfter(version: number): Promise<number> {
  return watchdog.eventually(async () => {
    const now = await storedVersion();
    return now !== undefined && now > version ? now : undefined;
  }, 'a new last known good');
}

async function baselineVersion(): Promise<number> {
  return watchdog.eventually(storedVersion, 'the first baseline');
}

const notified = () => watchdog.fixture.standIn.notifications();

describe('Request classes on the stand-in (enforce)', () => {
  it('undoes a new rule that sends /api/* to one server while the 4 of the default served it', async () => {
    // Prepare
    const w = watchdog.world();
    await baselineVersion();

    // Act
    await watchdog.alice().elbv2.send(new CreateRuleCommand({ ListenerArn: w.listener, Priority: 5, Conditions: [path('/api/*')], Actions: forwardTo(w.green) }));
    await watchdog.eventually(async () => ((await rules()).length === 0 ? true : undefined), 'the rule deleted again');
    const message = await watchdog.eventually(async () => notified()[0], 'a notification');

    // Assess
    expect(message.subject).toBe('BLOCKED and reverted: CreateRule on web by alice');
    expect(message.message).toMatch(/requests to \/api\/\* on HTTP:80, rule 5: i-\w+ would receive 100%, was 0%; limit 50%/);
    expect(message.message).toMatch(/Restored routing to the last known good configuration and verified it/);
    expect(message.message).toMatch(/DeleteRule: Delete rule 5 \(path \/api\/\*\) on HTTP:80, added since the last known good/);
  });

  it('creates a deleted rule again when its deletion exposes a narrow default, and records the new ARN', async () => {
    // Prepare: safe steps: a catch-all to the 4 blue servers, then the default (now unreachable) to the one green
    const w = watchdog.world();
    let version = await baselineVersion();
    const created = await watchdog.alice().elbv2.send(new CreateRuleCommand({ ListenerArn: w.listener, Priority: 10, Conditions: [path('/*')], Actions: forwardTo(w.blue) }));
    version = await baselineAfter(version);
    await watchdog.setWeights(0, 100);
    version = await baselineAfter(version);
    expect(notified().filter((n) => /BLOCKED/.test(n.subject ?? ''))).toEqual([]);

    // Act: deleting the catch-all sends every request to the default: one server
    await watchdog.alice().elbv2.send(new DeleteRuleCommand({ RuleArn: created.Rules?.[0]?.RuleArn }));
    const recreated = await watchdog.eventually(async () => (await rules()).find((r) => r.Priority === '10'), 'the rule created again');
    const message = await watchdog.eventually(async () => notified().find((n) => /DeleteRule/.test(n.subject ?? '')), 'a notification');

    // Assess
    expect(recreated.RuleArn).not.toBe(created.Rules?.[0]?.RuleArn);
    expect(recreated.Conditions?.[0]?.PathPatternConfig?.Values ?? recreated.Conditions?.[0]?.Values).toEqual(['/*']);
    expect(recreated.Actions?.[0]?.TargetGroupArn ?? recreated.Actions?.[0]?.ForwardConfig?.TargetGroups?.[0]?.TargetGroupArn).toBe(w.blue);
    expect(message.subject).toBe('BLOCKED and reverted: DeleteRule on web by alice');
    expect(message.message).toMatch(/CreateRule: Create rule 10 \(path \/\*\) on HTTP:80 again: forward web-blue=1/);
    const baseline = await watchdog.eventually(async () => {
      const now = await watchdog.state().getLastKnownGood(w.loadBalancer);
      return now !== undefined && 'snapshot' in now && now.snapshot.listeners[0]?.rules.some((r) => r.arn === recreated.RuleArn) === true ? now : undefined;
    }, 'the baseline to name the new rule');
    expect(baseline.version).toBeGreaterThan(version);
  });

  it('undoes a SetRulePriorities that puts a one-server canary rule in front of the balanced one', async () => {
    // Prepare: /api/* to the 4 blue servers; a canary rule for the same paths behind it never matches
    const w = watchdog.world();
    let version = await baselineVersion();
    await watchdog.alice().elbv2.send(new CreateRuleCommand({ ListenerArn: w.listener, Priority: 10, Conditions: [path('/api/*')], Actions: forwardTo(w.blue) }));
    version = await baselineAfter(version);
    const canary = await watchdog.alice().elbv2.send(
      new CreateRuleCommand({
        ListenerArn: w.listener,
        Priority: 20,
        Conditions: [path('/api/*'), { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: ['true'] } }],
        Actions: forwardTo(w.green),
      }),
    );
    await baselineAfter(version);

    // Act: the canary moves ahead: requests to /api/* with the header go to one server
    await watchdog.alice().elbv2.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: canary.Rules?.[0]?.RuleArn, Priority: 5 }] }));
    await watchdog.eventually(async () => ((await rules()).find((r) => r.RuleArn === canary.Rules?.[0]?.RuleArn)?.Priority === '20' ? true : undefined), 'the priority restored');
    const message = await watchdog.eventually(async () => notified().find((n) => /SetRulePriorities/.test(n.subject ?? '')), 'a notification');

    // Assess
    expect(message.subject).toBe('BLOCKED and reverted: SetRulePriorities on web by alice');
    expect(message.message).toMatch(/requests to \/api\/\* with header x-canary: true on HTTP:80, rule 5: i-\w+ would receive 100%, was 0%; limit 50%/);
  });

  it('leaves traffic moved off a dead group onto the only healthy server, with a warning that says why', async () => {
    // Prepare: the 4 blue servers fall over on their own (capacity far below their load for 3 sim minutes)
    const w = watchdog.world();
    await baselineVersion();
    const blue = await registeredTargets(watchdog.alice(), w.blue);
    watchdog.fixture.standIn.traffic.configure({ targets: Object.fromEntries(blue.map((id) => [id, 1])) });
    await watchdog.fixture.standIn.clock.advance(3);

    // Act: an operator moves everything to green, the one healthy server
    await watchdog.setWeights(0, 100);
    const message = await watchdog.eventually(async () => notified()[0], 'a notification');
    await watchdog.fixture.standIn.settled();

    // Assess
    expect(message.subject).toBe('WARNING: ModifyListener on web by alice');
    expect(message.message).toMatch(/not blocked, do no harm: all requests on HTTP:80, the default rule is served by 1 healthy target after the change, 0 healthy targets under the last known good/);
    expect(message.message).not.toMatch(/reverted/i);
    expect(await watchdog.weights()).toEqual({ blue: 0, green: 100 });
  });
});
