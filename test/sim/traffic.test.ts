import { ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { awsCli } from './helpers/aws-cli';
import { dimensionValue, minuteSums } from './helpers/metrics';
import { simJson, useStandIn } from './helpers/stand-in-fixture';

interface Report {
  loadBalancers: { name: string; requestsPerMinute: number; targetGroups: { name: string; targets: { id: string; requestsPerMinute: number; share: number }[] }[] }[];
}

describe('Traffic: requests split as the configuration says, metrics into CloudWatch every sim minute', () => {
  const fixture = useStandIn({ world: 'demo', traffic: { noise: 0 } });
  const report = async () => (await simJson<Report>(fixture.standIn.url, '/_sim/traffic')).json;

  it('publishes the ALB metrics with AWS\'s names, dimensions and value formats', async () => {
    // Act
    await simJson(fixture.standIn.url, '/_sim/clock', { body: { advanceMinutes: 2 } });
    const { cloudwatch } = fixture.clients();
    const metrics = await cloudwatch.send(new ListMetricsCommand({ Namespace: 'AWS/ApplicationELB' }));
    // Assess
    const { resources } = fixture.standIn.world;
    const lb = dimensionValue(resources['loadBalancer:web'] ?? '');
    const blue = dimensionValue(resources['targetGroup:web-blue'] ?? '');
    expect(lb).toMatch(/^app\/web\/[0-9a-f]{16}$/);
    expect(blue).toMatch(/^targetgroup\/web-blue\/[0-9a-f]{16}$/);
    const seen = new Set(metrics.Metrics?.map((m) => `${m.MetricName} ${(m.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).sort().join(',')}`));
    for (const expected of [
      `RequestCount LoadBalancer=${lb}`,
      `RequestCount LoadBalancer=${lb},TargetGroup=${blue}`,
      `RequestCountPerTarget TargetGroup=${blue}`,
      `RequestCountPerTarget LoadBalancer=${lb},TargetGroup=${blue}`,
      `HealthyHostCount LoadBalancer=${lb},TargetGroup=${blue}`,
      `UnHealthyHostCount LoadBalancer=${lb},TargetGroup=${blue}`,
    ]) {
      expect(seen).toContain(expected);
    }
    const start = new Date(fixture.standIn.clock.now().getTime() - 3 * 60_000);
    const perTarget = await minuteSums(cloudwatch, 'AWS/ApplicationELB', 'RequestCountPerTarget', [{ Name: 'TargetGroup', Value: blue }], start, fixture.standIn.clock.now());
    expect(perTarget).toEqual([1000, 1000]);
    const healthy = await minuteSums(cloudwatch, 'AWS/ApplicationELB', 'HealthyHostCount', [{ Name: 'TargetGroup', Value: blue }, { Name: 'LoadBalancer', Value: lb }], start, fixture.standIn.clock.now());
    expect(healthy).toEqual([4, 4]);
    // No 5XX at normal load: error counts are only published when non-zero, as AWS does.
    expect(seen).not.toContain(`HTTPCode_Target_5XX_Count LoadBalancer=${lb}`);
  });

  it('moves a stopped instance\'s share to the others (EC2 through the front, by the AWS CLI)', async () => {
    const { url, world } = fixture.standIn;
    const stop = await awsCli(url, ['ec2', 'stop-instances', '--instance-ids', world.resources['instance:web-1'] ?? '']);
    expect(stop.code).toBe(0);
    const blue = (await report()).loadBalancers[0]?.targetGroups.find((g) => g.name === 'web-blue');
    expect(blue?.targets.map((t) => Math.round(t.requestsPerMinute))).toEqual([0, 1333, 1333, 1333]);
  });

  it('splits an NLB per Availability Zone when cross-zone is off, and publishes AWS/NetworkELB metrics', async () => {
    // Prepare: an NLB over web-1, web-2 (zone a) and web-3 (zone b).
    const { resources } = fixture.standIn.world;
    const { elbv2, cloudwatch } = fixture.clients();
    const nlb = await elbv2.send(new CreateLoadBalancerCommand({ Name: 'tcp', Type: 'network', Subnets: [resources['subnet:us-east-1a'] ?? '', resources['subnet:us-east-1b'] ?? ''] }));
    const nlbArn = nlb.LoadBalancers?.[0]?.LoadBalancerArn ?? '';
    const tg = await elbv2.send(new CreateTargetGroupCommand({ Name: 'tcp-targets', Protocol: 'TCP', Port: 80, VpcId: resources['vpc:web'] }));
    const tgArn = tg.TargetGroups?.[0]?.TargetGroupArn ?? '';
    await elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: ['web-1', 'web-2', 'web-3'].map((n) => ({ Id: resources[`instance:${n}`] ?? '' })) }));
    await elbv2.send(new CreateListenerCommand({ LoadBalancerArn: nlbArn, Protocol: 'TCP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] }));
    await simJson(fixture.standIn.url, '/_sim/traffic', { body: { loadBalancers: { tcp: 1000 } } });
    // Act
    const tcp = (await report()).loadBalancers.find((l) => l.name === 'tcp');
    await simJson(fixture.standIn.url, '/_sim/clock', { body: { advanceMinutes: 1 } });
    // Assess: half the clients per zone, then per target within the zone.
    expect(tcp?.targetGroups[0]?.targets.map((t) => t.share)).toEqual([0.25, 0.25, 0.5]);
    // moto gap (not fixed): every load balancer ARN says `loadbalancer/app/`, where AWS writes `loadbalancer/net/`
    // for an NLB. Metrics use the ARN suffix clients see, so dimensions built from ARNs still match.
    expect(nlbArn).toMatch(/:loadbalancer\/app\/tcp\/[0-9a-f]{16}$/);
    const dims = [{ Name: 'LoadBalancer', Value: dimensionValue(nlbArn) }];
    const start = new Date(fixture.standIn.clock.now().getTime() - 2 * 60_000);
    expect(await minuteSums(cloudwatch, 'AWS/NetworkELB', 'NewFlowCount', dims, start, fixture.standIn.clock.now())).toEqual([1000]);
    expect(await minuteSums(cloudwatch, 'AWS/NetworkELB', 'ProcessedBytes', dims, start, fixture.standIn.clock.now())).toEqual([20_000_000]);
  });

  it('counts a forward with zero total weight as unroutable (ELB 503s), not as traffic to a target', async () => {
    const { resources } = fixture.standIn.world;
    const run = await awsCli(fixture.standIn.url, [
      'elbv2', 'modify-listener', '--listener-arn', resources['listener:web:80'] ?? '',
      '--default-actions', JSON.stringify([{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: resources['targetGroup:web-blue'], Weight: 0 }, { TargetGroupArn: resources['targetGroup:web-green'], Weight: 0 }] } }]),
    ]);
    expect(run.code).toBe(0);
    const { json } = await simJson<{ loadBalancers: { unroutablePerMinute: number }[] }>(fixture.standIn.url, '/_sim/traffic');
    expect(json.loadBalancers[0]?.unroutablePerMinute).toBe(4000);
  });
});
