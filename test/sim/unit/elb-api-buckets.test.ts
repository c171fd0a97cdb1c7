import { bucketOf, ElbApiBuckets, ELBV2_BUCKETS } from '../../../sim/throttling/elb-api-buckets';

// "Request throttling for the Elastic Load Balancing API":
// https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-api-throttling.html
// Non-mutating 40 / 10 per s, mutating 20 / 3, registration 20 / 4, resource-intensive 10 / 0.2, and an
// account-level bucket of 40 / 10 per s shared by every action.

/** Buckets on a clock the test moves. */
function fakeClock() {
  let now = 0;
  return { buckets: new ElbApiBuckets(() => now), advance: (ms: number) => (now += ms) };
}

/** How many calls of `action` go through before the first refusal, at one instant. */
function burst(buckets: ElbApiBuckets, action: string, owner = '123456789012', max = 1000): number {
  let n = 0;
  while (n < max && buckets.tryTake(owner, action)) n++;
  return n;
}

describe('Throttling: ElbApiBuckets', () => {
  it('puts every ELBv2 action in the bucket the AWS page lists it in, mutating by default', () => {
    expect(bucketOf('DescribeTargetHealth')).toBe('non-mutating');
    expect(bucketOf('DescribeRules')).toBe('non-mutating');
    expect(bucketOf('ModifyListener')).toBe('mutating');
    expect(bucketOf('SetRulePriorities')).toBe('mutating');
    expect(bucketOf('RegisterTargets')).toBe('registration');
    expect(bucketOf('SetSubnets')).toBe('resource-intensive');
    expect(bucketOf('DescribeTrustStores')).toBe('trust-store-describes');
    // "This category generally includes all API actions that are not categorized as non-mutating actions."
    expect(bucketOf('SomeFutureAction')).toBe('mutating');
    expect(ELBV2_BUCKETS.account).toEqual({ capacity: 40, refillPerSecond: 10 });
  });

  it.each([
    ['DescribeLoadBalancers', 40],
    ['ModifyListener', 20],
    ['RegisterTargets', 20],
    ['CreateLoadBalancer', 10],
  ])('lets a burst of %s through up to its bucket (%i), then throttles', (action, capacity) => {
    const { buckets } = fakeClock();
    expect(burst(buckets, action)).toBe(capacity);
    expect(buckets.describe().throttled).toBe(1);
  });

  it('refills at the documented rates: an empty Describe bucket takes 4 s to fill, 10 tokens a second', () => {
    const { buckets, advance } = fakeClock();
    expect(burst(buckets, 'DescribeRules')).toBe(40);
    advance(1000);
    expect(burst(buckets, 'DescribeRules')).toBe(10);
    advance(10_000);
    // Full again, never more than full.
    expect(burst(buckets, 'DescribeRules')).toBe(40);
  });

  it('refills SetSubnets at 0.2 a second: one token every 5 s', () => {
    const { buckets, advance } = fakeClock();
    expect(burst(buckets, 'SetSubnets')).toBe(10);
    advance(4_900);
    expect(burst(buckets, 'SetSubnets')).toBe(0);
    advance(100);
    expect(burst(buckets, 'SetSubnets')).toBe(1);
  });

  it('draws every call from the account-level bucket too: 20 writes leave 20 reads', () => {
    const { buckets, advance } = fakeClock();
    expect(burst(buckets, 'ModifyListener')).toBe(20);
    expect(burst(buckets, 'DescribeRules')).toBe(20);
    // The refused calls took nothing: after 1 s the account bucket has exactly 10 again.
    advance(1000);
    expect(burst(buckets, 'DescribeRules')).toBe(10);
  });

  it('keeps accounts apart, and gives a service acting for an account its own buckets', () => {
    const { buckets } = fakeClock();
    expect(burst(buckets, 'DescribeRules', '111111111111')).toBe(40);
    expect(burst(buckets, 'DescribeRules', '222222222222')).toBe(40);
    // "Services that call the Elastic Load Balancing API on your behalf ... do not consume tokens from your buckets."
    expect(burst(buckets, 'DescribeRules', '111111111111/autoscaling.amazonaws.com')).toBe(40);
    expect(buckets.describe().buckets.find((b) => b.owner === '111111111111' && b.bucket === 'account')).toMatchObject({ tokens: 0, capacity: 40 });
  });
});
