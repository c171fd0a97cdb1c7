import { AsyncLocalStorage } from 'node:async_hooks';
import type { ElasticLoadBalancingV2Client, ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { FinalizeRequestMiddleware } from '@smithy/types';

/** A limiter's size: a token bucket like AWS's own (https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-api-throttling.html). */
export interface CallLimiterSize {
  readonly capacity: number;
  readonly refillPerSecond: number;
}

/**
 * The watchdog's share of the account's ELBv2 buckets, per execution environment. The account-level bucket
 * holds 40 tokens and refills 10/s for every caller with the account's credentials (people, Terraform, the
 * Load Balancer Controller). An environment may spend a full bucket's 40 at once (a revert never waits
 * for tokens in a quiet account; beyond what AWS has, AWS throttles and the retries wait), then 5/s: half
 * the account's refill. `on-change` runs at most 2 environments (its reserved concurrency), so only when
 * both keep busy do the judges reach the account's whole refill; a fight over one load balancer, or the
 * alarm sync, keeps to half. With 20 tokens and 2.5/s, the 10-round fight of test/e2e/actors.e2e.test.ts
 * (about 80 calls by one environment) no longer fitted in its 30 s.
 */
export const WATCHDOG_ELBV2_SHARE: CallLimiterSize = { capacity: 40, refillPerSecond: 5 };

/** Which calls go first when tokens are short: a revert's writes, then reads, then reads that verify a revert. */
type Lane = 'write' | 'read' | 'verify';

/**
 * Marks the ELBv2 calls made inside `callPriority.run('verify', ...)` as reads that check a revert already
 * applied. In a burst across load balancers they wait behind the reads that lead to the next revert: a
 * restored listener already serves traffic, while the next one still sends it all to one server.
 */
export const callPriority = new AsyncLocalStorage<'verify'>();

/** An ELBv2 action that changes something (the watchdog's only writes are a revert's calls). */
export function isWrite(action: string): boolean {
  return !action.startsWith('Describe');
}

/**
 * A client-side token bucket in front of every ELBv2 attempt (retries too, as AWS counts them; a throttled
 * attempt's token comes back, as AWS took none for it): a call waits
 * for a token instead of being sent to be throttled. When calls wait, a revert's writes are served before
 * reads, so restoring a listener is not queued behind other load balancers' verification reads.
 */
export class Elbv2CallLimiter {
  private tokens: number;
  private last: number;
  private readonly waiting: Record<Lane, (() => void)[]> = { write: [], read: [], verify: [] };
  private timer: NodeJS.Timeout | undefined;
  /** Milliseconds calls spent waiting for a token, in all (for logs and the bench). */
  waitedMs = 0;

  constructor(
    readonly size: CallLimiterSize = WATCHDOG_ELBV2_SHARE,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = size.capacity;
    this.last = now();
  }

  /** Resolves when the call may go (its token taken). */
  take(action: string, priority?: 'verify'): Promise<void> {
    const lane: Lane = isWrite(action) ? 'write' : (priority ?? 'read');
    this.refill();
    if (this.waitingCount === 0 && this.tokens >= 1) {
      this.tokens -= 1;
      return Promise.resolve();
    }
    const since = this.now();
    return new Promise<void>((resolve) => {
      this.waiting[lane].push(() => {
        this.waitedMs += this.now() - since;
        resolve();
      });
      this.schedule();
    });
  }

  /**
   * Returns the token of an attempt AWS throttled: a throttled request found the account's bucket empty and
   * took nothing from it ("each request that you make removes one token"; over the limit "you are throttled
   * and the remaining requests ... fail"), so it spends nothing of the share either. The retry's own backoff
   * paces it. Without this, 50% throttling halved the share and a burst's reverts waited for tokens twice.
   */
  giveBack(): void {
    this.refill();
    this.tokens = Math.min(this.size.capacity, this.tokens + 1);
    this.dispatch();
  }

  private get waitingCount(): number {
    return this.waiting.write.length + this.waiting.read.length + this.waiting.verify.length;
  }

  private dispatch(): void {
    while (this.tokens >= 1) {
      const next = this.waiting.write.shift() ?? this.waiting.read.shift() ?? this.waiting.verify.shift();
      if (next === undefined) break;
      this.tokens -= 1;
      next();
    }
  }

  private refill(): void {
    const at = this.now();
    this.tokens = Math.min(this.size.capacity, this.tokens + ((at - this.last) / 1000) * this.size.refillPerSecond);
    this.last = at;
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    const wait = Math.max(0, ((1 - this.tokens) / this.size.refillPerSecond) * 1000);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refill();
      this.dispatch();
      if (this.waitingCount > 0) this.schedule();
    }, Math.ceil(wait));
  }
}

/** True for ELBv2's throttling answer (`Throttling` on the wire; the SDK also marks it retryable as throttling). */
function isThrottled(error: unknown): boolean {
  const e = error as { name?: unknown; $retryable?: { throttling?: unknown } } | null;
  return e?.name === 'Throttling' || e?.name === 'ThrottlingException' || e?.$retryable?.throttling === true;
}

/**
 * Puts `limiter` in front of every attempt `client` sends: after the SDK's retry step (so each retry waits
 * for a token too) and before signing.
 */
export function limitCalls(client: ElasticLoadBalancingV2Client, limiter: Elbv2CallLimiter): void {
  const middleware: FinalizeRequestMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next, context) => async (args) => {
    await limiter.take(context.commandName?.replace(/Command$/, '') ?? 'Describe', callPriority.getStore());
    try {
      return await next(args);
    } catch (error) {
      if (isThrottled(error)) limiter.giveBack();
      throw error;
    }
  };
  client.middlewareStack.addRelativeTo(middleware, { name: 'elbWatchdogCallLimiter', relation: 'after', toMiddleware: 'retryMiddleware', override: true },
  );
}
