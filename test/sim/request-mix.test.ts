import { CreateListenerCommand, CreateRuleCommand, DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { dimensionValue, minuteSums } from './helpers/metrics';
import { simJson, useStandIn } from './helpers/stand-in-fixture';

// Rules in priority order, first match, default last:
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html
// Redirect and fixed-response actions: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-action-types.html
// HTTP_Fixed_Response_Count / HTTP_Redirect_Count (LoadBalancer dimension):
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html

interface RuleReport { priority: number | 'default'; action: string; statusCode?: string; requestsPerMinute: number; conditions: { field: string; values: string[] }[] }
interface Report {
  loadBalancers: {
    name: string;
    requestsPerMinute: number;
    unroutablePerMinute: number;
    fixedResponsePerMinute: number;
    fixedResponseByStatus: Record<string, number>;
    redirectedPerMinute: number;
    listeners: { port: number; rules: RuleReport[] }[];
    mix: { entry?: number; share: number; requestsPerMinute: number; routes: { via: { port: number; rule: number | 'default' }[]; outcome: string }[] }[];
    targetGroups: { name: string; targets: { id: string; requestsPerMinute: number }[] }[];
  }[];
  crashed: { id: string }[];
}

// Half of web's 4,000 requests a minute are API calls (set at start, as `sim` users would).
const API_MIX = [{ host: 'www.example.com', path: '/api/orders', share: 0.3 }, { host: 'www.example.com', path: '/api/users', share: 0.2 }];

describe('Traffic: a request mix per load balancer, routed through every rule', () => {
  const fixture = useStandIn({ world: 'demo', traffic: { noise: 0, requestMix: { web: API_MIX } } });
  const report = async () => (await simJson<Report>(fixture.standIn.url, '/_sim/traffic')).json.loadBalancers.find((l) => l.name === 'web');

  it('keeps every request on the default rule while no rule matches the mix', async () => {
    const web = await report();
    expect(web?.listeners[0]?.rules).toEqual([expect.objectContaining({ priority: 'default', action: 'forward', requestsPerMinute: 4000 })]);
    expect(web?.mix.map((m) => [m.entry, m.requestsPerMinute, m.routes[0]?.outcome])).toEqual([[0, 1200, 'forward'], [1, 800, 'forward'], [undefined, 2000, 'forward']]);
  });

  it('a CreateRule sending /api/* to one server overloads it, and it crashes (the rule-made outage)', async () => {
    // Prepare
    const { resources } = fixture.standIn.world;
    const { elbv2, cloudwatch } = fixture.clients();
    // Act: the one-server rule, in front of the 4-server default.
    await elbv2.send(
      new CreateRuleCommand({
        ListenerArn: resources['listener:web:80'],
        Priority: 10,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: resources['targetGroup:web-green'] }],
      }),
    );
    const web = await report();
    // Assess: the rule takes the API half, all of it on web-5; the blue servers keep the rest.
    expect(web?.listeners[0]?.rules.map((r) => [r.priority, r.requestsPerMinute])).toEqual([[10, 2000], ['default', 2000]]);
    expect(web?.listeners[0]?.rules[0]?.conditions).toEqual([{ field: 'path-pattern', values: ['/api/*'] }]);
    const green = web?.targetGroups.find((g) => g.name === 'web-green')?.targets;
    expect(green).toEqual([expect.objectContaining({ id: resources['instance:web-5'], requestsPerMinute: 2000 })]);
    expect(web?.targetGroups.find((g) => g.name === 'web-blue')?.targets.map((t) => t.requestsPerMinute)).toEqual([500, 500, 500, 500]);
    // Two sim minutes over its capacity of 1,500: web-5 fails its health checks.
    await simJson(fixture.standIn.url, '/_sim/clock', { body: { advanceMinutes: 2 } });
    const health = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: resources['targetGroup:web-green'] }));
    expect(health.TargetHealthDescriptions?.[0]?.TargetHealth?.State).toBe('unhealthy');
    const crashed = (await simJson<Report>(fixture.standIn.url, '/_sim/traffic')).json.crashed.map((c) => c.id);
    expect(crashed).toEqual([resources['instance:web-5']]);
    const now = fixture.standIn.clock.now();
    const dims = [{ Name: 'TargetGroup', Value: dimensionValue(resources['targetGroup:web-green'] ?? '') }, { Name: 'LoadBalancer', Value: dimensionValue(resources['loadBalancer:web'] ?? '') }];
    expect(await minuteSums(cloudwatch, 'AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', dims, new Date(now.getTime() - 3 * 60_000), now)).toEqual([500, 500]);
  });

  it('follows a redirect to the listener it names, answers fixed responses itself, and publishes their counts', async () => {
    // Prepare: HTTP:8080 redirects everything to :80; on :80, /api/users gets a fixed 503.
    const { resources } = fixture.standIn.world;
    const { elbv2, cloudwatch } = fixture.clients();
    await elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: resources['loadBalancer:web'],
        Protocol: 'HTTP',
        Port: 8080,
        DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTP', Port: '80', Host: '#{host}', Path: '/#{path}', Query: '#{query}', StatusCode: 'HTTP_301' } }],
      }),
    );
    await elbv2.send(
      new CreateRuleCommand({
        ListenerArn: resources['listener:web:80'],
        Priority: 5,
        Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['WWW.EXAMPLE.COM'] } }, { Field: 'path-pattern', PathPatternConfig: { Values: ['/api/users'] } }],
        Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503', ContentType: 'text/plain', MessageBody: 'maintenance' } }],
      }),
    );
    await simJson(fixture.standIn.url, '/_sim/traffic', { body: { requestMix: { web: [{ host: 'www.example.com', path: '/api/users', share: 0.25 }] } } });
    // Act
    const web = await report();
    await simJson(fixture.standIn.url, '/_sim/clock', { body: { advanceMinutes: 1 } });
    // Assess: 2,000 arrive on each listener; the 2,000 on :8080 are redirected and come back on :80.
    expect(web?.mix[0]?.routes.map((r) => [r.via.map((v) => `${v.port}:${v.rule}`).join(' → '), r.outcome])).toEqual([
      ['80:5', 'fixed-response 503'],
      ['8080:default → 80:5', 'fixed-response 503'],
    ]);
    expect(web).toMatchObject({ requestsPerMinute: 6000, redirectedPerMinute: 2000, fixedResponsePerMinute: 1000, fixedResponseByStatus: { 503: 1000 }, unroutablePerMinute: 0 });
    const rulesOn80 = web?.listeners.find((l) => l.port === 80)?.rules;
    expect(rulesOn80?.map((r) => [r.priority, r.action, r.requestsPerMinute])).toEqual([[5, 'fixed-response', 1000], ['default', 'forward', 3000]]);
    const now = fixture.standIn.clock.now();
    const lb = [{ Name: 'LoadBalancer', Value: dimensionValue(resources['loadBalancer:web'] ?? '') }];
    const since = new Date(now.getTime() - 2 * 60_000);
    expect(await minuteSums(cloudwatch, 'AWS/ApplicationELB', 'HTTP_Fixed_Response_Count', lb, since, now)).toEqual([1000]);
    expect(await minuteSums(cloudwatch, 'AWS/ApplicationELB', 'HTTP_Redirect_Count', lb, since, now)).toEqual([2000]);
  });

  it('refuses a mix whose shares add up to more than 1, naming the load balancer', async () => {
    const bad = await simJson(fixture.standIn.url, '/_sim/traffic', { body: { requestMix: { web: [{ path: '/a', share: 0.7 }, { path: '/b', share: 0.7 }] } } });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: 'ValidationError', message: expect.stringMatching(/^requestMix\.web: .*more than 1/) });
  });
});
