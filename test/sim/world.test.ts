import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { awsCli } from './helpers/aws-cli';
import { simJson, useStandIn } from './helpers/stand-in-fixture';

describe('World: demo', () => {
  const fixture = useStandIn({ world: 'demo' });

  it('has the May 19 shape through the SDK: one ALB, HTTP:80 forwarding web-blue 100 / web-green 0', async () => {
    // Prepare
    const { elbv2 } = fixture.clients();
    // Act
    const lbs = await elbv2.send(new DescribeLoadBalancersCommand({}));
    const lb = lbs.LoadBalancers?.[0];
    const listeners = await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb?.LoadBalancerArn }));
    const groups = await elbv2.send(new DescribeTargetGroupsCommand({}));
    // Assess
    expect(lbs.LoadBalancers).toHaveLength(1);
    expect(lb).toMatchObject({ LoadBalancerName: 'web', Type: 'application', Scheme: 'internet-facing' });
    expect(lb?.AvailabilityZones?.map((z) => z.ZoneName).sort()).toEqual(['us-east-1a', 'us-east-1b']);
    const listener = listeners.Listeners?.[0];
    expect(listener).toMatchObject({ Port: 80, Protocol: 'HTTP' });
    const byArn = new Map(groups.TargetGroups?.map((g) => [g.TargetGroupArn, g.TargetGroupName]));
    const weights = listener?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups?.map((g) => [byArn.get(g.TargetGroupArn), g.Weight]);
    expect(weights).toEqual([
      ['web-blue', 100],
      ['web-green', 0],
    ]);
  });

  it('has 4 healthy blue targets and 1 healthy green target', async () => {
    const { elbv2 } = fixture.clients();
    const { resources } = fixture.standIn.world;
    const blue = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: resources['targetGroup:web-blue'] }));
    const green = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: resources['targetGroup:web-green'] }));
    expect(blue.TargetHealthDescriptions?.map((d) => d.TargetHealth?.State)).toEqual(['healthy', 'healthy', 'healthy', 'healthy']);
    expect(green.TargetHealthDescriptions?.map((d) => d.Target?.Id)).toEqual([resources['instance:web-5']]);
  });

  it('answers the AWS CLI as AWS would (describe-load-balancers, describe-target-health)', async () => {
    const { url, world } = fixture.standIn;
    const lbs = await awsCli(url, ['elbv2', 'describe-load-balancers']);
    const health = await awsCli(url, ['elbv2', 'describe-target-health', '--target-group-arn', world.resources['targetGroup:web-blue'] ?? '']);
    expect((lbs.json as { LoadBalancers: { LoadBalancerName: string }[] }).LoadBalancers.map((l) => l.LoadBalancerName)).toEqual(['web']);
    expect((health.json as { TargetHealthDescriptions: unknown[] }).TargetHealthDescriptions).toHaveLength(4);
  });

  it('splits 4,000 requests a minute evenly over the 4 blue servers (GET /_sim/traffic)', async () => {
    const { json } = await simJson<{ loadBalancers: { requestsPerMinute: number; targetGroups: { name: string; targets: { requestsPerMinute: number; share: number }[] }[] }[] }>(
      fixture.standIn.url,
      '/_sim/traffic',
    );
    const web = json.loadBalancers[0];
    expect(web?.requestsPerMinute).toBe(4000);
    const blue = web?.targetGroups.find((g) => g.name === 'web-blue');
    expect(blue?.targets.map((t) => t.requestsPerMinute)).toEqual([1000, 1000, 1000, 1000]);
    expect(web?.targetGroups.find((g) => g.name === 'web-green')?.targets.map((t) => t.share)).toEqual([0]);
  });

  it('reports health and resets to the empty world on POST /_sim/reset', async () => {
    const { url } = fixture.standIn;
    const health = await simJson<{ status: string; accountId: string; region: string }>(url, '/_sim/health');
    expect(health.json).toMatchObject({ status: 'ok', accountId: '123456789012', region: 'us-east-1' });
    const reset = await simJson(url, '/_sim/reset', { body: { world: 'empty' } });
    expect(reset.status).toBe(200);
    const lbs = await fixture.clients().elbv2.send(new DescribeLoadBalancersCommand({}));
    expect(lbs.LoadBalancers).toEqual([]);
    await fixture.standIn.reset({ world: 'demo' });
  });
});
