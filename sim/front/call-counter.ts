import { callerArn } from './identity-registry';
import type { CallContext, CallObserver, CallOutcome } from './interceptor';

/** Calls one caller made to one action, as the front answered them. */
export interface CallCount {
  /** The identity the access key stands for: IAM user ARN, STS session ARN, or service principal. */
  readonly caller: string;
  readonly accessKeyId: string;
  /** SigV4 signing name: `elasticloadbalancing`, `monitoring`, `sqs`, ... */
  readonly service: string;
  readonly action: string;
  /** Every call the front answered, whatever the answer. */
  answered: number;
  /** Of those, answered with success. */
  ok: number;
  /** Of those, answered with a throttling error (injected fault or token bucket). */
  throttled: number;
  /** Of those, answered with any other error. */
  errored: number;
}

/** Filters of `GET /_sim/calls`. */
export interface CallFilter {
  readonly caller?: string;
  readonly accessKeyId?: string;
  readonly service?: string;
  readonly action?: string;
}

// Every throttling code the SDKs retry as throttling; the front answers with `Throttling` or `ThrottlingException`.
const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'ThrottledException', 'RequestLimitExceeded', 'TooManyRequestsException', 'RequestThrottled', 'RequestThrottledException']);

/**
 * Counts, at the wire, every call the front answers: per caller × service × action, split into ok, throttled
 * and errored. Benchmarks read it to count a program's AWS calls without trusting the program's own counters.
 */
export class CallCounter implements CallObserver {
  readonly name = 'call-counter';
  private counts = new Map<string, CallCount>();
  private since = new Date();

  constructor(private readonly accountId: string) {}

  observe(context: CallContext, outcome: CallOutcome): void {
    const caller = callerArn(context.identity, this.accountId);
    const { service, action } = context.call;
    const key = `${caller}\n${context.identity.accessKeyId}\n${service}\n${action}`;
    let entry = this.counts.get(key);
    if (!entry) {
      entry = { caller, accessKeyId: context.identity.accessKeyId, service, action, answered: 0, ok: 0, throttled: 0, errored: 0 };
      this.counts.set(key, entry);
    }
    entry.answered++;
    if (!outcome.error) entry.ok++;
    else if (THROTTLING.has(outcome.error.code)) entry.throttled++;
    else entry.errored++;
  }

  /** Counts matching the filter, sorted by caller, service and action, with their totals. */
  list(filter: CallFilter = {}): { since: string; calls: CallCount[]; totals: { answered: number; ok: number; throttled: number; errored: number } } {
    const calls = [...this.counts.values()]
      .filter((c) => (!filter.caller || c.caller === filter.caller) && (!filter.accessKeyId || c.accessKeyId === filter.accessKeyId))
      .filter((c) => (!filter.service || c.service === filter.service) && (!filter.action || c.action === filter.action))
      .map((c) => ({ ...c }))
      .sort((a, b) => a.caller.localeCompare(b.caller) || a.service.localeCompare(b.service) || a.action.localeCompare(b.action));
    const totals = { answered: 0, ok: 0, throttled: 0, errored: 0 };
    for (const c of calls) {
      totals.answered += c.answered;
      totals.ok += c.ok;
      totals.throttled += c.throttled;
      totals.errored += c.errored;
    }
    return { since: this.since.toISOString(), calls, totals };
  }

  /** Starts counting afresh (`DELETE /_sim/calls`, stand-in reset). */
  reset(): void {
    this.counts = new Map();
    this.since = new Date();
  }
}
