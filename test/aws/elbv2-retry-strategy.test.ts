import type { RetryErrorInfo } from '@smithy/types';
import { Elbv2RetryStrategy, WATCHDOG_ELBV2_RETRIES } from '../../lambdas/aws/elbv2-retry-strategy';
import { elbv2RetriesFrom } from '../../lambdas/aws/polite-elbv2-client';

/**
 * ELBv2's buckets refill the Describe and account-level buckets at 10 tokens a second
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-api-throttling.html): a throttled
 * call waits about one refill slot, doubling, jittered.
 */
const throttled: RetryErrorInfo = { errorType: 'THROTTLING' };
const settings = { maxAttempts: 4, slotMs: 100, maxDelayMs: 300, budget: 5 };

describe('Class: Elbv2RetryStrategy', () => {
  describe('Method: refreshRetryTokenForRetry', () => {
    it('waits 0.5 to 1.5 refill slots, doubling per retry up to the cap', async () => {
      // Prepare: the lowest and the highest jitter
      const low = new Elbv2RetryStrategy(settings, () => 0);
      const high = new Elbv2RetryStrategy(settings, () => 0.999);

      // Act
      const delays = async (strategy: Elbv2RetryStrategy) => {
        const out: number[] = [];
        let token = await strategy.acquireInitialRetryToken('');
        for (let i = 0; i < 3; i++) {
          token = await strategy.refreshRetryTokenForRetry(token, throttled);
          out.push(token.getRetryDelay());
        }
        return out;
      };

      // Assess: 100, 200, 400 capped at 300
      expect(await delays(low)).toEqual([50, 100, 150]);
      expect(await delays(high)).toEqual([150, 300, 450]);
    });

    it('stops after maxAttempts attempts', async () => {
      const strategy = new Elbv2RetryStrategy(settings, () => 0.5);
      let token = await strategy.acquireInitialRetryToken('');
      for (let i = 0; i < 3; i++) token = await strategy.refreshRetryTokenForRetry(token, throttled);

      await expect(strategy.refreshRetryTokenForRetry(token, throttled)).rejects.toThrow('no retry');
    });

    it('does not retry a client error (a validation error will not pass on a retry)', async () => {
      const strategy = new Elbv2RetryStrategy(settings);
      const token = await strategy.acquireInitialRetryToken('');

      await expect(strategy.refreshRetryTokenForRetry(token, { errorType: 'CLIENT_ERROR' })).rejects.toThrow('no retry');
      expect(strategy.retriesOwed).toBe(0);
    });

    it('retries transient and server errors as throttling', async () => {
      const strategy = new Elbv2RetryStrategy(settings, () => 0.5);
      const token = await strategy.acquireInitialRetryToken('');

      expect((await strategy.refreshRetryTokenForRetry(token, { errorType: 'TRANSIENT' })).getRetryCount()).toBe(1);
      expect((await strategy.refreshRetryTokenForRetry(token, { errorType: 'SERVER_ERROR' })).getRetryCount()).toBe(1);
    });
  });

  describe('Retry budget', () => {
    it('stops retrying once calls that failed for good owe the budget, and retries again as calls succeed', async () => {
      // Prepare: two calls fail for good (3 retries each): 6 owed against a budget of 5
      const strategy = new Elbv2RetryStrategy(settings, () => 0.5);
      const failForGood = async () => {
        let token = await strategy.acquireInitialRetryToken('');
        try {
          for (;;) token = await strategy.refreshRetryTokenForRetry(token, throttled);
        } catch {
          return token.getRetryCount();
        }
      };
      expect(await failForGood()).toBe(3);
      expect(await failForGood()).toBe(2);

      // Act: the budget is spent; one success pays back one
      const spent = await failForGood();
      strategy.recordSuccess(await strategy.acquireInitialRetryToken(''));
      const afterSuccess = await failForGood();

      // Assess
      expect(spent).toBe(0);
      expect(afterSuccess).toBe(1);
    });

    it('a success pays back the retries it took: 50% throttling never exhausts it', async () => {
      const strategy = new Elbv2RetryStrategy({ ...settings, budget: 2 }, () => 0.5);
      for (let call = 0; call < 100; call++) {
        let token = await strategy.acquireInitialRetryToken('');
        if (call % 2 === 0) token = await strategy.refreshRetryTokenForRetry(token, throttled);
        strategy.recordSuccess(token);
      }

      expect(strategy.retriesOwed).toBe(0);
    });
  });
});

describe('Function: elbv2RetriesFrom', () => {
  it('lowers the attempts per call to the SDK\'s AWS_MAX_ATTEMPTS, never raises them, and ignores what is not a count', () => {
    // https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html (AWS_MAX_ATTEMPTS)
    expect(elbv2RetriesFrom({ AWS_MAX_ATTEMPTS: '3' })).toEqual({ ...WATCHDOG_ELBV2_RETRIES, maxAttempts: 3 });
    expect(elbv2RetriesFrom({ AWS_MAX_ATTEMPTS: '25' })).toBe(WATCHDOG_ELBV2_RETRIES);
    expect(elbv2RetriesFrom({ AWS_MAX_ATTEMPTS: 'three' })).toBe(WATCHDOG_ELBV2_RETRIES);
    expect(elbv2RetriesFrom({})).toBe(WATCHDOG_ELBV2_RETRIES);
  });
});
