import type { AwsCall } from '../front/codec';
import { AwsError } from '../front/codec';
import { ElbApiBuckets } from '../throttling/elb-api-buckets';
import { DeliveryFaults } from './delivery-faults';
import { FaultConfigSchema, type FaultConfig } from './fault-config';
import { mulberry32 } from './prng';

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

/** What the injector is built with. */
export interface FaultInjectorOptions {
  /** Whether ELBv2's token buckets are enforced when a configuration does not say (the launcher's option). */
  readonly elbApiBuckets?: boolean;
  /** The buckets (a fake clock in tests). */
  readonly buckets?: ElbApiBuckets;
}

/**
 * Every fault `/_sim/faults` configures, in one place: per call (seeded throttling, errors, latency), ELBv2's
 * API token buckets, and CloudTrail delivery fates (drop, duplicate, delay, reorder).
 */
export class FaultInjector {
  private config: FaultConfig = { rules: [], seed: 1 };
  private random = mulberry32(1);
  private stats = { throttled: 0, failed: 0, delayed: 0 };
  private bucketsOn: boolean;
  readonly buckets: ElbApiBuckets;
  readonly deliveries = new DeliveryFaults();

  constructor(private readonly options: FaultInjectorOptions = {}) {
    this.buckets = options.buckets ?? new ElbApiBuckets();
    this.bucketsOn = options.elbApiBuckets ?? false;
  }

  /** Replaces the whole configuration and reseeds; parts it omits go back to their defaults. */
  configure(input: unknown): FaultConfig {
    this.config = FaultConfigSchema.parse(input);
    this.random = mulberry32(this.config.seed);
    this.stats = { throttled: 0, failed: 0, delayed: 0 };
    this.bucketsOn = this.config.elbApiBuckets ?? this.options.elbApiBuckets ?? false;
    this.buckets.reset();
    this.deliveries.configure(this.config.cloudTrail ?? {}, this.config.seed);
    return this.config;
  }

  /** Back to no faults (the launcher's bucket setting stays). */
  clear(): void {
    this.configure({ rules: [] });
  }

  /** True while ELBv2's token buckets are enforced. */
  elbApiBucketsEnabled(): boolean {
    return this.bucketsOn;
  }

  /** Current configuration, counters, bucket levels and delivery decisions. */
  describe(): Record<string, unknown> {
    return {
      ...this.config,
      stats: { ...this.stats },
      elbApiBuckets: { enabled: this.bucketsOn, ...this.buckets.describe() },
      cloudTrail: this.deliveries.describe(),
    };
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
