import { DescribeLoadBalancersCommand, DescribeRulesCommand, ModifyListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { query, rawCall } from './helpers/raw-call';
import { sdkClients, simJson, useStandIn } from './helpers/stand-in-fixture';
import { patience } from '../helpers/patience';

// ELBv2 API token buckets: https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-api-throttling.html
// (Describe* 40 tokens refilling 10/s, CreateLoadBalancer/SetSubnets 10 refilling 0.2/s, account-level 40 + 10/s).
// On the wire ELBv2 answers an overrun with HTTP 400, <Type>Sender</Type><Code>Throttling</Code>, "Rate exceeded"
// (as clients see it: https://github.com/ansible-collections/community.aws/pull/1001, "error: code: Throttling,
// message: Rate exceeded, type: Sender, http_status_code: 400"; the page itself names the code ThrottlingException).

interface Calls {
  calls: { caller: string; accessKeyId: string; service: string; action: string; answered: number; ok: number; throttled: number; errored: number }[];
  totals: { answered: number; ok: number; throttled: number; errored: number };
}

describe('API budget: per-caller call counts at the front, and ELBv2 token buckets', () => {
  const fixture = useStandIn({ world: 'demo' });
  const calls = async (filter = '') => (await simJson<Calls>(fixture.standIn.url, `/_sim/calls${filter}`)).json;
  const faults = (body: unknown) => simJson(fixture.standIn.url, '/_sim/faults', { body });

  it('counts every call the front answers per caller, service and action: ok, throttled and errored', async () => {
    // Prepare
    await simJson(fixture.standIn.url, '/_sim/identities', { body: { accessKeyId: 'ASIAWATCHDOG', type: 'AssumedRole', roleName: 'elb-watchdog', sessionName: 'on-change' } });
    await faults({ rules: [{ service: 'elasticloadbalancing', action: 'DescribeRules', throttleRate: 1 }] });
    const alice = sdkClients(fixture.standIn.url, 'alice', { maxAttempts: 1 });
    const watchdog = sdkClients(fixture.standIn.url, 'ASIAWATCHDOG', { maxAttempts: 1 });
    const listener = fixture.standIn.world.resources['listener:web:80'];
    // Act
    await alice.elbv2.send(new DescribeLoadBalancersCommand({}));
    await alice.elbv2.send(new DescribeLoadBalancersCommand({}));
    await alice.elbv2.send(new ModifyListenerCommand({ ListenerArn: `${listener}0`, Port: 81 })).catch(() => undefined);
    await watchdog.elbv2.send(new DescribeRulesCommand({ ListenerArn: listener })).catch(() => undefined);
    // Assess
    const all = await calls();
    expect(all.calls).toEqual([
      { caller: 'arn:aws:iam::123456789012:user/alice', accessKeyId: 'alice', service: 'elasticloadbalancing', action: 'DescribeLoadBalancers', answered: 2, ok: 2, throttled: 0, errored: 0 },
      { caller: 'arn:aws:iam::123456789012:user/alice', accessKeyId: 'alice', service: 'elasticloadbalancing', action: 'ModifyListener', answered: 1, ok: 0, throttled: 0, errored: 1 },
      { caller: 'arn:aws:sts::123456789012:assumed-role/elb-watchdog/on-change', accessKeyId: 'ASIAWATCHDOG', service: 'elasticloadbalancing', action: 'DescribeRules', answered: 1, ok: 0, throttled: 1, errored: 0 },
    ]);
    expect((await calls('?accessKeyId=ASIAWATCHDOG')).totals).toEqual({ answered: 1, ok: 0, throttled: 1, errored: 0 });
    // DELETE clears; so does a reset.
    expect((await simJson<Calls>(fixture.standIn.url, '/_sim/calls', { method: 'DELETE' })).json.calls).toEqual([]);
    await alice.elbv2.send(new DescribeLoadBalancersCommand({}));
    await fixture.standIn.reset();
    expect((await calls()).calls).toEqual([]);
    for (const c of [alice, watchdog]) Object.values(c).forEach((client: { destroy(): void }) => client.destroy());
  });

  it('enforces no buckets unless asked', async () => {
    const once = sdkClients(fixture.standIn.url, 'alice', { maxAttempts: 1 });
    await Promise.all(Array.from({ length: 60 }, () => once.elbv2.send(new DescribeLoadBalancersCommand({}))));
    expect((await calls()).totals).toMatchObject({ answered: 60, ok: 60, throttled: 0 });
    once.elbv2.destroy();
  });

  it('throttles a burst past the bucket exactly as ELBv2 answers, and counts the refused calls at the wire', async () => {
    // Prepare: CreateLoadBalancer draws on the resource-intensive bucket (10 tokens, one more every 5 s), so a
    // burst runs dry whatever the machine's speed. A request moto refuses still costs its token.
    expect((await faults({ elbApiBuckets: true })).status).toBe(200);
    const body = query({ Action: 'CreateLoadBalancer', Version: '2015-12-01', Name: 'x' });
    // Act
    const answers: { status: number; text: string }[] = [];
    const started = Date.now();
    while (answers.length < 40 && !answers.some((a) => a.text.includes('<Code>Throttling</Code>'))) answers.push(await rawCall(fixture.standIn.url, 'elasticloadbalancing', { body }));
    const seconds = (Date.now() - started) / 1000;
    // Assess: at least the full bucket went through, never more than it plus what refilled meanwhile.
    const passed = answers.length - 1;
    expect(passed).toBeGreaterThanOrEqual(10);
    expect(passed).toBeLessThanOrEqual(10 + Math.floor(0.2 * seconds));
    const refused = answers.at(-1);
    expect(refused?.status).toBe(400);
    expect(refused?.text).toMatch(/^<ErrorResponse xmlns="http:\/\/elasticloadbalancing\.amazonaws\.com\/doc\/2015-12-01\/"><Error><Type>Sender<\/Type><Code>Throttling<\/Code><Message>Rate exceeded<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/);
    expect((await calls('?action=CreateLoadBalancer')).totals).toEqual({ answered: answers.length, ok: 0, throttled: 1, errored: passed });
    const state = (await simJson<{ elbApiBuckets: { enabled: boolean; buckets: { owner: string; bucket: string; capacity: number }[] } }>(fixture.standIn.url, '/_sim/faults')).json;
    expect(state.elbApiBuckets.enabled).toBe(true);
    expect(state.elbApiBuckets.buckets).toEqual(expect.arrayContaining([expect.objectContaining({ owner: '123456789012', bucket: 'resource-intensive', capacity: 10 })]));
  });

  it('never answers more Describe calls than 40 plus 10 a second', async () => {
    await faults({ elbApiBuckets: true });
    const once = sdkClients(fixture.standIn.url, 'alice', { maxAttempts: 1 });
    const started = Date.now();
    let ok = 0;
    for (let i = 0; i < 60; i++) if (await once.elbv2.send(new DescribeLoadBalancersCommand({})).then(() => true, () => false)) ok++;
    const seconds = (Date.now() - started) / 1000;
    expect(ok).toBeGreaterThanOrEqual(40);
    expect(ok).toBeLessThanOrEqual(40 + Math.floor(10 * seconds));
    expect((await calls()).totals).toEqual({ answered: 60, ok, throttled: 60 - ok, errored: 0 });
    once.elbv2.destroy();
  });

  it('shows the budget as time to a caller that retries: 60 Describe calls need at least 2 s', async () => {
    await faults({ elbApiBuckets: true });
    const retrying = sdkClients(fixture.standIn.url, 'alice', { maxAttempts: 20 });
    const listener = fixture.standIn.world.resources['listener:web:80'];
    const started = Date.now();
    await Promise.all(Array.from({ length: 60 }, () => retrying.elbv2.send(new DescribeRulesCommand({ ListenerArn: listener }))));
    // Tokens: 40 at the start and 10 a second; 60 answers cannot come sooner than (60 - 40) / 10 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    // Every attempt is counted at the wire: the 60 answers plus each throttled attempt the SDK retried.
    const { totals } = await calls();
    expect(totals).toEqual({ answered: 60 + totals.throttled, ok: 60, throttled: totals.throttled, errored: 0 });
    retrying.elbv2.destroy();
  }, patience(60_000));
});
