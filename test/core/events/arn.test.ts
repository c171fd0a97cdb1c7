import { isClassicLoadBalancerArn, listenerArnOfRule, loadBalancerArnOf } from '../../../lambdas/core/events';

const P = 'arn:aws:elasticloadbalancing:us-east-1:123456789012';
const LB = `${P}:loadbalancer/app/web/50dc6c495c0c9188`;

describe('Function: loadBalancerArnOf', () => {
  it.each<[string, string, string | undefined]>([
    ['a load balancer ARN', LB, LB],
    ['a listener ARN', `${P}:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2`, LB],
    ['a listener-rule ARN', `${P}:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee`, LB],
    ['an NLB listener ARN', `${P}:listener/net/edge/c4a5b6f7e8d90a1b/0467ef3c8400ae65`, `${P}:loadbalancer/net/edge/c4a5b6f7e8d90a1b`],
    ['a GovCloud listener ARN', 'arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:123456789012:listener/gwy/fw/0123456789abcdef/fedcba9876543210', 'arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:123456789012:loadbalancer/gwy/fw/0123456789abcdef'],
    ['a target group ARN', `${P}:targetgroup/web-blue/73e2d6bc24d8a067`, undefined],
    ['a Classic load balancer ARN', `${P}:loadbalancer/legacy-web`, undefined],
    ['another service', 'arn:aws:s3:::bucket', undefined],
    ['not an ARN', 'web', undefined],
  ])('maps %s', (_name, arn, expected) => {
    // Act
    const result = loadBalancerArnOf(arn);

    // Assess
    expect(result).toBe(expected);
  });
});

describe('Function: listenerArnOfRule', () => {
  it('derives the listener of a rule', () => {
    expect(listenerArnOfRule(`${P}:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee`)).toBe(
      `${P}:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2`,
    );
  });
});

describe('Function: isClassicLoadBalancerArn', () => {
  it.each([
    [`${P}:loadbalancer/legacy-web`, true],
    [LB, false],
    [`${P}:targetgroup/web-blue/73e2d6bc24d8a067`, false],
  ])('says %s is Classic: %s', (arn, expected) => {
    expect(isClassicLoadBalancerArn(arn)).toBe(expected);
  });
});
