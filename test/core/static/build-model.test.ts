import { buildModel, type CfnTemplate } from '../../../lambdas/core/static';
import { cfn, forward, forwardTo, ref } from './template-builder';

const only = (template: CfnTemplate) => {
  const model = buildModel(template);
  expect(model.loadBalancers).toHaveLength(1);
  return model.loadBalancers[0];
};

describe('Function: buildModel', () => {
  it('turns a load balancer, its listener and rule, and the groups they forward to into one snapshot', () => {
    // Act
    const lb = only(cfn().group('Blue', ['i-1', 'i-2']).group('Idle', ['i-9']).listener('Http', 80, forward({ Blue: 3 })).rule('Api', 'Http', '10', '/api/*', forwardTo('Blue')).build());

    // Assess
    expect(lb.snapshot.loadBalancer).toMatchObject({ name: 'web', type: 'application', crossZoneEnabled: true });
    expect(lb.snapshot.listeners).toEqual([
      expect.objectContaining({
        arn: 'cfn:Http',
        port: 80,
        defaultActions: [{ type: 'forward', forward: { targetGroups: [{ targetGroupArn: 'cfn:Blue', weight: 3 }] } }],
        rules: [expect.objectContaining({ arn: 'cfn:Api', priority: 10, conditions: [expect.objectContaining({ field: 'path-pattern', values: ['/api/*'] })] })],
      }),
    ]);
    // Only the groups a path uses; fixed targets are assumed healthy (this is before deploy).
    expect(lb.snapshot.targetGroups.map((g) => [g.arn, g.targets.map((t) => `${t.id}:${t.health}`)])).toEqual([['cfn:Blue', ['i-1:healthy', 'i-2:healthy']]]);
    expect([...lb.places.values()].map((p) => p.label)).toEqual(['listener HTTP:80 of LB web', 'rule priority 10 (path /api/*) on listener HTTP:80 of LB web']);
  });

  it.each<[string, unknown]>([
    ['Ref', ref('Blue')],
    ['Fn::GetAtt as a list', { 'Fn::GetAtt': ['Blue', 'TargetGroupArn'] }],
    ['Fn::GetAtt as a string', { 'Fn::GetAtt': 'Blue.TargetGroupArn' }],
  ])('resolves a target group named by %s', (_case, value) => {
    const lb = only(cfn().group('Blue', ['i-1']).listener('Http', 80, forwardTo(value as Record<string, unknown>)).build());
    expect(lb.snapshot.listeners[0].defaultActions[0].forward?.targetGroups[0].targetGroupArn).toBe('cfn:Blue');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no Targets property', {}, 'the template fixes no targets (registered elsewhere: an Auto Scaling group, ECS, another stack)'],
    ['Lambda targets', { TargetType: 'lambda', Targets: [{ Id: 'arn:aws:lambda:us-east-1:123456789012:function:f' }] }, 'a Lambda target scales on its own'],
    ['a target type from a parameter', { TargetType: ref('Type'), Targets: [{ Id: 'i-1' }] }, 'its target type is known only at deploy'],
    ['a target list from Fn::If', { Targets: { 'Fn::If': ['Prod', [{ Id: 'i-1' }], [{ Id: 'i-2' }]] } }, 'its target list is known only at deploy'],
  ])('leaves the targets of a group with %s unknown', (_case, props, why) => {
    // Act
    const { Targets, ...rest } = props;
    const lb = only(cfn().group('Blue', undefined, { ...rest, ...(Targets !== undefined && { Targets }) }).listener('Http', 80, forwardTo('Blue')).build());

    // Assess
    expect(lb.groups.get('cfn:Blue')).toMatchObject({ unknownTargets: why });
    expect(lb.groups.get('cfn:Blue')?.fixedTargets).toBeUndefined();
  });

  it('leaves targets unknown when an Auto Scaling group or ECS service registers them, even with a fixed list', () => {
    const template = cfn()
      .group('Fleet', ['i-1'])
      .group('Tasks', [])
      .resource('Asg', 'AWS::AutoScaling::AutoScalingGroup', { TargetGroupARNs: [ref('Fleet')] })
      .resource('Service', 'AWS::ECS::Service', { LoadBalancers: [{ TargetGroupArn: ref('Tasks'), ContainerPort: 80 }] })
      .listener('Http', 80, forward({ Fleet: 1, Tasks: 1 }))
      .build();
    const lb = only(template);
    expect(lb.groups.get('cfn:Fleet')?.unknownTargets).toBe('AWS::AutoScaling::AutoScalingGroup Asg registers its targets');
    expect(lb.groups.get('cfn:Tasks')?.unknownTargets).toBe('AWS::ECS::Service Service registers its targets');
  });

  it('names an instance by its logical id, so one instance in two groups is one server', () => {
    const lb = only(cfn().resource('Box', 'AWS::EC2::Instance').group('A', [{ Id: ref('Box') }]).group('B', [{ Id: { 'Fn::GetAtt': ['Box', 'InstanceId'] } }, { Id: { 'Fn::ImportValue': 'shared-ip' } }]).listener('Http', 80, forward({ A: 1, B: 1 })).build());
    expect(lb.snapshot.targetGroups.flatMap((g) => g.targets.map((t) => t.id))).toEqual(['Box', 'Box', 'B#2']);
  });

  it('keeps a listener on a load balancer outside the template, typed by its ARN or protocol', () => {
    const model = buildModel(
      cfn()
        .group('Blue', ['i-1', 'i-2'], { Protocol: 'TCP' })
        .listener('Tcp', 443, forwardTo('Blue'), { Protocol: 'TCP', LoadBalancerArn: { 'Fn::ImportValue': 'shared-nlb' } })
        .listener('Http', 80, forwardTo('Blue'), { LoadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/edge/50dc6c495c0c9188' })
        .build(),
    );
    expect(model.loadBalancers.map((lb) => [lb.name, lb.snapshot.loadBalancer.type, lb.subject.arn])).toEqual([
      ['(Fn::ImportValue shared-nlb)', 'network', 'arn:*:elasticloadbalancing:*:*:loadbalancer/*/*/*'],
      ['edge', 'application', 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/edge/50dc6c495c0c9188'],
    ]);
  });

  it('judges a rule on a listener of another stack by its own request classes', () => {
    const lb = only(cfn().group('Blue', ['i-1']).rule('Api', { 'Fn::ImportValue': 'shared-listener' }, 5, '/api/*', forwardTo('Blue')).build());
    expect([...lb.places.values()].map((p) => `${p.logicalId}: ${p.label}`)).toEqual(['Api: rule priority 5 (path /api/*) on listener (Fn::ImportValue shared-listener)']);
  });

  it('builds the ARN an override sees from what is known: name, type, account and Region', () => {
    const template = cfn().lb('Edge', { Name: 'edge', Type: 'network', Tags: [{ Key: 'team', Value: ref('Team') }] }).group('Blue', ['i-1'], { Protocol: 'TCP' })
      .listener('Tcp', 443, forwardTo('Blue'), { Protocol: 'TCP', LoadBalancerArn: ref('Edge') }).build();
    const [lb] = buildModel(template, { account: '123456789012', region: 'eu-west-1' }).loadBalancers;
    expect(lb.subject).toEqual({ arn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/edge/*', tags: new Map([['team', undefined]]), tagsKnown: true });
    expect(lb.snapshot.loadBalancer.crossZoneEnabled).toBe(false);
  });

  it('counts every load balancer resource, even one with no listener', () => {
    const model = buildModel(cfn().lb('Idle').group('Blue', ['i-1']).build());
    expect(model.loadBalancers).toEqual([]);
    expect(model.counts).toEqual({ loadBalancers: 1, listeners: 0, rules: 0, targetGroups: 1 });
  });
});
