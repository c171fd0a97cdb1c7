import type { CrashRecord } from '../runner/crash-injector';
import type { ChaosPlan } from './chaos-plan';
import type { FleetLoadBalancer } from './chaos-fleet';

/** One ELBv2 write the stand-in recorded (CloudTrail), with who made it and what became of its delivery. */
export interface TracedEvent {
  readonly eventID: string;
  readonly requestID: string;
  readonly eventName: string;
  /** The caller's access key: the watchdog's functions' keys start with `elb-watchdog`. */
  readonly accessKeyId: string;
  readonly requestParameters: Readonly<Record<string, unknown>>;
  readonly errorCode?: string;
  /** Real milliseconds since the run started, when the stand-in recorded the call. */
  readonly atMs: number;
  readonly delivery: 'delivered' | 'dropped' | 'failed' | 'pending';
  readonly fate?: { readonly drop: boolean; readonly duplicates: number; readonly delayMs: number; readonly reorder: boolean };
}

/** What one step's calls did. */
export interface TracedStep {
  readonly step: number;
  readonly startedMs: number;
  readonly endedMs: number;
  /** Request ids of the calls that succeeded (their CloudTrail records carry them). */
  readonly requestIds: readonly string[];
  readonly error?: string;
}

/** One SNS message as the stand-in saw it. */
export interface TracedNotification {
  readonly subject: string;
  readonly message: string;
  /** Real milliseconds since the run started when the run first saw it (polled: an upper bound). */
  readonly seenMs: number;
}

/**
 * Everything a run did and met, enough to check the invariants again and to replay it: the plan, the fleet,
 * every ELBv2 write with its delivery fate, the delivery decisions in call order (posted back as the
 * `cloudTrail.script` of a replay), the crashes, the notifications, and counters at the wire.
 */
export interface ChaosTrace {
  readonly plan: ChaosPlan;
  readonly replayOf?: number;
  readonly fleet: readonly FleetLoadBalancer[];
  readonly steps: readonly TracedStep[];
  readonly events: readonly TracedEvent[];
  readonly deliveryScript: readonly Record<string, unknown>[];
  readonly crashes: readonly CrashRecord[];
  readonly notifications: readonly TracedNotification[];
  /** Per-call faults injected, by kind, and delivery faults by kind. */
  readonly faultStats: Readonly<Record<string, number>>;
  /** ELBv2 calls the watchdog's functions made (counted by the stand-in's front). */
  readonly watchdogElbCalls: number;
  /** Final state: what the state table holds that the invariants look at. */
  readonly table: {
    readonly auditEventIds: readonly { readonly loadBalancerArn: string; readonly eventId: string; readonly eventName: string; readonly outcome?: string }[];
    readonly claimsInProgress: readonly string[];
    readonly pending: readonly string[];
  };
  /** Final routing of each load balancer, as DescribeListeners / DescribeRules answer (raw SDK shapes). */
  readonly finalRouting: readonly { readonly arn: string; readonly listener: unknown; readonly rules: readonly unknown[] }[];
  /** When each of the closing audits (faults cleared, every event in) started, ms since the start. */
  readonly finalAuditsMs: readonly number[];
  readonly durationMs: number;
  /** Wall-clock time (ms since the epoch) the run started: `...Ms` fields count from it, crash records do not. */
  readonly startedAtMs?: number;
}
