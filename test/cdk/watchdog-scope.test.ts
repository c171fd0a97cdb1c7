import { WatchdogScope, loadBalancerPath } from '../../lib/watchdog-scope';
import { ALB_ARN, NLB_ARN } from './synth';

describe('Class: WatchdogScope', () => {
  describe('Method: validate', () => {
    it.each([
      [WatchdogScope.loadBalancers([]), /list of load balancer ARNs is empty/],
      [WatchdogScope.loadBalancers(['arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/legacy']), /scope\.arns\[0\].*Classic Load Balancer/],
      [WatchdogScope.loadBalancers([ALB_ARN, 'not-an-arn']), /scope\.arns\[1\]: "not-an-arn" is not a load balancer ARN/],
      [WatchdogScope.loadBalancers([ALB_ARN, ALB_ARN]), /scope\.arns\[1\].*listed twice/],
      [WatchdogScope.byTag('aws:cloudformation:stack-name'), /tag key .* is not a valid ELBv2 tag key/],
      [WatchdogScope.byTag(''), /tag key "" is not a valid/],
    ])('rejects %#', (scope, message) => {
      expect(scope.validate().join('\n')).toMatch(message);
    });

    it('accepts valid scopes', () => {
      expect(WatchdogScope.all().validate()).toEqual([]);
      expect(WatchdogScope.byTag('watchdog', 'on').validate()).toEqual([]);
      expect(WatchdogScope.loadBalancers([ALB_ARN, NLB_ARN]).validate()).toEqual([]);
    });
  });

  it('serialises to the handlers\' scope', () => {
    expect(WatchdogScope.all().toScope()).toEqual({ type: 'all' });
    expect(WatchdogScope.byTag('k').toScope()).toEqual({ type: 'tag', key: 'k' });
    expect(WatchdogScope.byTag('k', 'v').toScope()).toEqual({ type: 'tag', key: 'k', value: 'v' });
    expect(WatchdogScope.loadBalancers([ALB_ARN]).toScope()).toEqual({ type: 'arns', arns: [ALB_ARN] });
  });
});

describe('Function: loadBalancerPath', () => {
  it('is the path listener and rule ARNs embed', () => {
    expect(loadBalancerPath(ALB_ARN)).toBe('app/web/50dc6c495c0c9188');
    expect(loadBalancerPath(NLB_ARN)).toBe('net/edge/73e2d6bc24d8a067');
  });
});
