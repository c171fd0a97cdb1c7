import type { RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from '@smithy/types';

/** How the watchdog retries ELBv2 calls. */
export interface Elbv2RetrySettings {
  /** Attempts per call, the first included. */
  readonly maxAttempts: number;
  /** The first retry's delay before jitter: one token of the Describe and account buckets' refill (10/s). */
  readonly slotMs: number;
  /** The longest delay before jitter. */
  readonly maxDelayMs: number;
  /** Retries the client may owe at once (the budget): a success pays back the retries it took, and one more. */
  readonly budget: number;
}

/**
 * Sized on ELBv2's buckets (https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-api-throttling.html:
 * Describe and account-level 40 tokens refilling 10/s, mutating 20 refilling 3/s). A throttled call waits
 * about one refill slot (100 ms), doubling to 1.6 s: a bucket drained by someone else gives a token back every
 * 100 ms, so waiting seconds (the SDK's 1 s base, or adaptive mode's client rate cut to a fraction after a few
 * throttles) only delays a revert. 10 attempts: at 50% throttling a call fails for good once in 1,024.
 */
export const WATCHDOG_ELBV2_RETRIES: Elbv2RetrySettings = { maxAttempts: 10, slotMs: 100, maxDelayMs: 1600, budget: 50 };

class RetryToken implements StandardRetryToken {
  constructor(
    private readonly count: number,
    private readonly delay: number,
  ) {}

  getRetryCount(): number {
    return this.count;
  }

  getRetryDelay(): number {
    return this.delay;
  }

  /** The retries this call has taken from the budget so far. */
  getRetryCost(): number {
    return this.count;
  }
}

/**
 * The watchdog's ELBv2 retries: throttling and transient errors (5xx, timeouts, connection failures) are
 * retried after a jittered delay (0.5 to 1.5 × slot × 2^(retry − 1), capped), so environments throttled at
 * once do not come back at once; other errors are not. A retry budget bounds what a failing service costs:
 * each retry takes one from it and a call that succeeds gives back what it took and one more, so while calls
 * keep failing for good, retries stop once `budget` are owed (calls fail fast, to the queue's own retry),
 * and come back as calls succeed again. At 50% throttling a call needs one retry on average: the budget holds. No client-side rate
 * cut on throttling: the caller's token bucket (`Elbv2CallLimiter`) already keeps the rate polite.
 */
export class Elbv2RetryStrategy implements RetryStrategyV2 {
  readonly mode = 'standard';
  private owed = 0;

  constructor(
    private readonly settings: Elbv2RetrySettings = WATCHDOG_ELBV2_RETRIES,
    private readonly random: () => number = Math.random,
  ) {}

  acquireInitialRetryToken(_scope: string): Promise<RetryToken> {
    return Promise.resolve(new RetryToken(0, 0));
  }

  refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    const retry = token.getRetryCount() + 1;
    const retryable = errorInfo.errorType === 'THROTTLING' || errorInfo.errorType === 'TRANSIENT' || errorInfo.errorType === 'SERVER_ERROR';
    if (!retryable || retry >= this.settings.maxAttempts || this.owed + 1 > this.settings.budget) return Promise.reject(new Error('no retry for this ELBv2 call'));
    this.owed += 1;
    const base = Math.min(this.settings.maxDelayMs, this.settings.slotMs * 2 ** (retry - 1));
    return Promise.resolve(new RetryToken(retry, Math.round(base * (0.5 + this.random()))));
  }

  recordSuccess(token: RetryToken): void {
    this.owed = Math.max(0, this.owed - token.getRetryCost() - 1);
  }

  /** Retries owed now (for tests). */
  get retriesOwed(): number {
    return this.owed;
  }
}
