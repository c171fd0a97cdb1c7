import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeLoadBalancersCommand, DescribeRulesCommand, ModifyListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListQueuesCommand } from '@aws-sdk/client-sqs';
import { query, rawCall } from './helpers/raw-call';
import { sdkClients, simJson, useStandIn } from './helpers/stand-in-fixture';

describe('Faults: POST /_sim/faults throttles, fails and delays calls, seeded', () => {
  const fixture = useStandIn({ world: 'demo' });
  const faults = (body: unknown) => simJson(fixture.standIn.url, '/_sim/faults', { body });

  it('throttles ELBv2 as AWS does: HTTP 400 <Code>Throttling</Code>, which the SDK knows as a throttling error', async () => {
    // Prepare
    await faults({ rules: [{ service: 'elasticloadbalancing', throttleRate: 1 }] });
    const raw = await rawCall(fixture.standIn.url, 'elasticloadbalancing', { body: query({ Action: 'DescribeLoadBalancers', Version: '2015-12-01' }) });
    // Assess: the wire format...
    expect(raw.status).toBe(400);
    expect(raw.text).toMatch(/^<ErrorResponse xmlns="http:\/\/elasticloadbalancing\.amazonaws\.com\/doc\/2015-12-01\/"><Error><Type>Sender<\/Type><Code>Throttling<\/Code><Message>Rate exceeded<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/);
    // ...and what the SDK makes of it: `Throttling` is in its list of throttling codes (retried with backoff).
    const once = sdkClients(fixture.standIn.url, 'alice', { maxAttempts: 1 });
    const error = await once.elbv2.send(new DescribeLoadBalancersCommand({})).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'Throttling', message: 'Rate exceeded', $fault: 'client', $metadata: { httpStatusCode: 400 } });
    once.elbv2.destroy();
  });

  it('lets the SDK retry strategy get through a partial throttle, deterministically for a seed', async () => {
    // The SDK backs off 0.5 s and more after throttling: a few calls suffice.
    const attempts: number[] = [];
    for (let run = 0; run < 2; run++) {
      await faults({ rules: [{ service: 'elasticloadbalancing', action: 'DescribeRules', throttleRate: 0.5 }], seed: 7 });
      const c = sdkClients(fixture.standIn.url, 'alice', { maxAttempts: 10 });
      let total = 0;
      for (let i = 0; i < 3; i++) {
        const out = await c.elbv2.send(new DescribeRulesCommand({ ListenerArn: fixture.standIn.world.resources['listener:web:80'] }));
        total += out.$metadata.attempts ?? 1;
      }
      c.elbv2.destroy();
      attempts.push(total);
    }
    expect(attempts[0]).toBeGreaterThan(3);
    expect(attempts[1]).toBe(attempts[0]);
    const { json } = await simJson<{ stats: { throttled: number } }>(fixture.standIn.url, '/_sim/faults');
    expect(json.stats.throttled).toBe((attempts[1] ?? 0) - 3);
  });

  it('answers errors as 500 InternalFailure or 503 ServiceUnavailable, in the caller\'s protocol', async () => {
    await faults({ rules: [{ service: 'monitoring', errorRate: 1, errorCode: 'ServiceUnavailable' }, { service: 'sqs', errorRate: 1, errorCode: 'InternalFailure' }] });
    const once = sdkClients(fixture.standIn.url, 'alice', { maxAttempts: 1 });
    await expect(once.cloudwatch.send(new DescribeAlarmsCommand({}))).rejects.toMatchObject({ name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } });
    await expect(once.sqs.send(new ListQueuesCommand({}))).rejects.toMatchObject({ name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
    // Other services are untouched.
    await once.elbv2.send(new DescribeLoadBalancersCommand({}));
    Object.values(once).forEach((c: { destroy(): void }) => c.destroy());
  });

  it('adds latency to matching calls only', async () => {
    await faults({ rules: [{ service: 'elasticloadbalancing', action: 'DescribeLoadBalancers', latencyMs: 600 }] });
    const { elbv2 } = fixture.clients();
    const t = Date.now();
    await elbv2.send(new DescribeLoadBalancersCommand({}));
    expect(Date.now() - t).toBeGreaterThanOrEqual(600);
    // The other call is not delayed: the injector counts exactly one (no upper bound on wall time: loaded machines vary).
    await elbv2.send(new DescribeRulesCommand({ ListenerArn: fixture.standIn.world.resources['listener:web:80'] }));
    const { json } = await simJson<{ stats: { delayed: number } }>(fixture.standIn.url, '/_sim/faults');
    expect(json.stats.delayed).toBe(1);
  });

  it('clears with DELETE and refuses invalid bodies with a message naming the field', async () => {
    await faults({ rules: [{ throttleRate: 1 }] });
    const cleared = await simJson(fixture.standIn.url, '/_sim/faults', { method: 'DELETE' });
    expect(cleared.json).toMatchObject({ rules: [] });
    await fixture.clients().elbv2.send(new DescribeLoadBalancersCommand({}));
    const bad = await faults({ rules: [{ throttleRate: 2 }] });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: 'ValidationError', message: expect.stringContaining('rules.0.throttleRate') });
    const unknown = await faults({ rules: [{ throttle: 1 }] });
    expect(unknown.status).toBe(400);
  });

  it('records a throttled ELBv2 write in CloudTrail as a failed call', async () => {
    await faults({ rules: [{ service: 'elasticloadbalancing', action: 'ModifyListener', throttleRate: 1 }] });
    const once = sdkClients(fixture.standIn.url, 'alice', { maxAttempts: 1 });
    await expect(once.elbv2.send(new ModifyListenerCommand({ ListenerArn: fixture.standIn.world.resources['listener:web:80'], Port: 8080 }))).rejects.toMatchObject({ name: 'Throttling' });
    once.elbv2.destroy();
    const { json } = await simJson<{ events: { detail: Record<string, unknown> }[] }>(fixture.standIn.url, '/_sim/events');
    expect(json.events[0]?.detail).toMatchObject({ eventName: 'ModifyListener', errorCode: 'Throttling', errorMessage: 'Rate exceeded', responseElements: null });
  });
});
