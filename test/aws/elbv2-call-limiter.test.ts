import { callPriority, Elbv2CallLimiter, isWrite } from '../../lambdas/aws/elbv2-call-limiter';

describe('Class: Elbv2CallLimiter', () => {
  it('lets a burst of `capacity` calls go at once', async () => {
    // Prepare: a clock that does not move
    const limiter = new Elbv2CallLimiter({ capacity: 3, refillPerSecond: 1 }, () => 0);

    // Act
    await Promise.all([limiter.take('DescribeRules'), limiter.take('DescribeRules'), limiter.take('DescribeRules')]);

    // Assess
    expect(limiter.waitedMs).toBe(0);
  });

  it('holds a call once the bucket is empty, until a token comes back', async () => {
    // Prepare: a clock the test moves; the bucket refills 1 token a second
    let now = 0;
    const limiter = new Elbv2CallLimiter({ capacity: 1, refillPerSecond: 1000 }, () => now);
    await limiter.take('DescribeRules');
    let done = false;

    // Act
    const held = limiter.take('DescribeRules').then(() => (done = true));
    await Promise.resolve();
    const beforeRefill = done;
    now = 1;
    await held;

    // Assess
    expect(beforeRefill).toBe(false);
    expect(done).toBe(true);
  });

  it('takes back the token of a throttled attempt (AWS took none for it) and lets a waiting call go with it', async () => {
    // Prepare: a clock that does not move; the one token taken; a call waits
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-api-throttling.html: each request
    // removes one token; a request over the limit is throttled and fails.
    const limiter = new Elbv2CallLimiter({ capacity: 1, refillPerSecond: 1 }, () => 0);
    await limiter.take('ModifyListener');
    let done = false;
    const held = limiter.take('DescribeRules').then(() => (done = true));
    await Promise.resolve();
    const beforeGiveBack = done;

    // Act: the first attempt was throttled
    limiter.giveBack();
    await held;

    // Assess
    expect(beforeGiveBack).toBe(false);
    expect(done).toBe(true);
  });

  it('never holds more than its capacity, however many tokens come back', async () => {
    const limiter = new Elbv2CallLimiter({ capacity: 2, refillPerSecond: 1 }, () => 0);
    limiter.giveBack();
    limiter.giveBack();
    const order: string[] = [];

    const calls = Promise.all([1, 2, 3].map((n) => limiter.take('DescribeRules').then(() => order.push(`call ${n}`))));
    await new Promise((resolve) => setImmediate(resolve));

    expect(order).toEqual(['call 1', 'call 2']);
    // The third call goes with the next token; nothing is left waiting (its timer kept the test's worker alive).
    limiter.giveBack();
    await calls;
    expect(order).toEqual(['call 1', 'call 2', 'call 3']);
  });

  it('serves a revert\'s writes before reads that waited longer', async () => {
    // Prepare: the bucket's three tokens taken; two reads then a write wait
    let now = 0;
    const limiter = new Elbv2CallLimiter({ capacity: 3, refillPerSecond: 1000 }, () => now);
    await Promise.all([1, 2, 3].map(() => limiter.take('DescribeListeners')));
    const order: string[] = [];
    const waits = [
      limiter.take('DescribeRules').then(() => order.push('DescribeRules')),
      limiter.take('DescribeTargetHealth').then(() => order.push('DescribeTargetHealth')),
      limiter.take('ModifyListener').then(() => order.push('ModifyListener')),
    ];

    // Act: three tokens' worth of time at once
    now = 3;
    await Promise.all(waits);

    // Assess
    expect(order).toEqual(['ModifyListener', 'DescribeRules', 'DescribeTargetHealth']);
  });

  it('serves reads that verify a revert after the reads that lead to one, and after writes', async () => {
    // Prepare: the bucket's tokens taken; a verification read, a read, then a write wait
    let now = 0;
    const limiter = new Elbv2CallLimiter({ capacity: 3, refillPerSecond: 1000 }, () => now);
    await Promise.all([1, 2, 3].map(() => limiter.take('DescribeListeners')));
    const order: string[] = [];
    const waits = [
      callPriority.run('verify', () => limiter.take('DescribeRules', callPriority.getStore())).then(() => order.push('verify DescribeRules')),
      limiter.take('DescribeTargetHealth').then(() => order.push('DescribeTargetHealth')),
      limiter.take('ModifyListener').then(() => order.push('ModifyListener')),
    ];

    // Act
    now = 3;
    await Promise.all(waits);

    // Assess
    expect(order).toEqual(['ModifyListener', 'DescribeTargetHealth', 'verify DescribeRules']);
  });

  it.each([
    ['ModifyListener', true],
    ['CreateRule', true],
    ['RegisterTargets', true],
    ['SetRulePriorities', true],
    ['DescribeTargetHealth', false],
  ])('%s is a write: %s', (action, write) => {
    expect(isWrite(action)).toBe(write);
  });
});
