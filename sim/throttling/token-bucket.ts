/**
 * A token bucket as AWS describes its API throttling: it holds up to `capacity` tokens, each request takes
 * one, and tokens come back at `refillPerSecond` (continuously here; AWS adds them once a second, which
 * differs by at most one second's refill). Starts full.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly capacity: number,
    readonly refillPerSecond: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.last = now;
  }

  /** Tokens available at `now` (milliseconds on a monotonic clock). */
  level(now: number): number {
    if (now > this.last) {
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.refillPerSecond);
      this.last = now;
    }
    return this.tokens;
  }

  /** True when a whole token is there to take. */
  has(now: number): boolean {
    return this.level(now) >= 1;
  }

  /** Takes one token; call only after {@link has} said yes. */
  take(now: number): void {
    this.level(now);
    this.tokens -= 1;
  }
}
