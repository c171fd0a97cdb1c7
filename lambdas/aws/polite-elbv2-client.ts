import { ElasticLoadBalancingV2Client, type ElasticLoadBalancingV2ClientConfig } from '@aws-sdk/client-elastic-load-balancing-v2';
import { Elbv2CallLimiter, limitCalls, type CallLimiterSize } from './elbv2-call-limiter';
import { Elbv2RetryStrategy, WATCHDOG_ELBV2_RETRIES, type Elbv2RetrySettings } from './elbv2-retry-strategy';

/** How polite a client is; the watchdog's defaults unless told. */
export interface PolitenessSettings {
  readonly share?: CallLimiterSize;
  readonly retries?: Elbv2RetrySettings;
}

/**
 * An ELBv2 client for the watchdog's functions: default configuration otherwise (so `AWS_ENDPOINT_URL*`,
 * the Region and credentials come from the environment), with its own retries and a client-side token bucket
 * per client, i.e. per account it calls (each account has its own ELBv2 buckets).
 */
export function politeElbv2Client(config: ElasticLoadBalancingV2ClientConfig = {}, settings: PolitenessSettings = {}): ElasticLoadBalancingV2Client {
  const retryStrategy = new Elbv2RetryStrategy(settings.retries);
  const client = new ElasticLoadBalancingV2Client({ ...config, retryStrategy });
  limitCalls(client, new Elbv2CallLimiter(settings.share));
  return client;
}

/**
 * The ELBv2 retries for an environment: the SDK's own `AWS_MAX_ATTEMPTS` lowers the attempts per call (the
 * construct sets 10, the default here too), never raises them: past 10 a call only waits longer in a bucket
 * someone else keeps empty. Anything else in the variable is ignored.
 */
export function elbv2RetriesFrom(environment: Readonly<Record<string, string | undefined>>): Elbv2RetrySettings {
  const attempts = Number(environment.AWS_MAX_ATTEMPTS);
  return Number.isInteger(attempts) && attempts >= 1 && attempts < WATCHDOG_ELBV2_RETRIES.maxAttempts ? { ...WATCHDOG_ELBV2_RETRIES, maxAttempts: attempts } : WATCHDOG_ELBV2_RETRIES;
}
