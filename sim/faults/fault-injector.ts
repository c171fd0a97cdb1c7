import type { AwsCall } from '../front/codec';
import { AwsError } from '../front/codec';
import { FaultConfigSchema, type FaultConfig } from './fault-config';

/** What the injector decided for one call. */
export interface FaultDecision {
  readonly latencyMs: number;
  /** Set when the call must fail with this error instead of reaching the backend. */
  readonly error?: AwsError;
}

/** Counters returned by `GET /_sim/faults`. */
export interface FaultStats {
  readonly throttled: number;
  readonly failed: number;
  readonly delayed: number;
}

/** mulberry32: tiny, seedable, good enough to pick which calls fail. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Decides, per call, whether to delay, throttle or fail it, from a seeded PRNG. */
export class FaultInjector {
  private config: FaultConfig = { rules: [], seed: 1 };
  private random = mulberry32(1);
  private stats = { throttled: 0, failed: 0, delayed: 0 };

  /** Replaces the rules and reseeds. */
  configure(input: unknown): FaultConfig {
    this.config = FaultConfigSchema.parse(input);
    this.random = mulberry32(this.config.seed);
    this.stats = { throttled: 0, failed: 0, delayed: 0 };
    return this.config;
  }

  /** Removes every rule. */
  clear(): void {
    this.configure({ rules: [] });
  }

  /** Current rules and counters. */
  describe(): FaultConfig & { stats: FaultStats } {
    return { ...this.config, stats: { ...this.stats } };
  }

  /** The decision for one call; rules apply in order, latencies add up, the first failure wins. */
  decide(call: AwsCall): FaultDecision {
    let latencyMs = 0;
    let error: AwsError | undefined;
    for (const rule of this.config.rules) {
      if ((rule.service && rule.service !== call.service) || (rule.action && rule.action !== call.action)) continue;
      latencyMs += rule.latencyMs;
      if (error) continue;
      if (rule.throttleRate > 0 && this.random() < rule.throttleRate) {
        error = throttling(call);
        this.stats.throttled++;
      } else if (rule.errorRate > 0 && this.random() < rule.errorRate) {
        const code = rule.errorCode ?? (this.random() < 0.5 ? 'InternalFailure' : 'ServiceUnavailable');
        error =
          code === 'InternalFailure'
            ? new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500)
            : new AwsError('ServiceUnavailable', 'The request has failed due to a temporary failure of the server.', 503);
        this.stats.failed++;
      }
    }
    if (latencyMs > 0) this.stats.delayed++;
    return { latencyMs, error };
  }
}

// Each protocol family has its own throttling code; all are in the SDKs' retryable throttling lists.
function throttling(call: AwsCall): AwsError {
  const queryStyle = call.style.protocol !== 'json' || call.service === 'monitoring';
  return queryStyle ? new AwsError('Throttling', 'Rate exceeded', 400) : new AwsError('ThrottlingException', 'Rate exceeded', 400);
}
