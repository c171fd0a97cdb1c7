import type { AlarmSpec, ExistingAlarm } from './alarms/alarm-spec';
import type { Actor, ChangeEventName } from './events/change';
import type { LoadBalancerSnapshot } from './model/snapshot';
import type { Policy } from './policy/policy-schema';
import type { BreakGlass, Decision, EnforcementAction, Finding, Mode } from './policy/verdict';
import type { RevertPlan, RevertStep } from './revert/revert-plan';
import type { FightState } from './workflow/fights';
import type { ProvenCapacity } from './capacity/load-types';

/**
 * The interfaces the core needs from the outside world. `lambdas/aws/` implements each one around an
 * AWS SDK client; tests and the CLI may implement them in memory.
 */

/** A load balancer's identity and tags, as listed for scoping. */
export interface LoadBalancerSummary {
  readonly arn: string;
  readonly name: string;
  readonly type: 'application' | 'network' | 'gateway';
  readonly tags: Readonly<Record<string, string>>;
}

/** A target group and the load balancers it serves, as listed for alarms. */
export interface TargetGroupSummary {
  readonly arn: string;
  readonly name: string;
  readonly loadBalancerArns: readonly string[];
}

/**
 * The parts of a load balancer's configuration to re-read; the rest is taken from a snapshot already known
 * (the last known good). `listeners` re-reads those listeners and their rules; `allListeners` every one.
 */
export interface ReadScope {
  readonly loadBalancer: boolean;
  /** The load balancer's tags (scope and overrides go by them, and tagging is no judged change). */
  readonly loadBalancerTags: boolean;
  readonly loadBalancerAttributes: boolean;
  readonly allListeners: boolean;
  readonly listeners: readonly string[];
  /** Listeners whose other (SNI) certificates to re-read. */
  readonly certificates: readonly string[];
  /** Target groups whose registered targets and health to re-read. */
  readonly groupHealth: readonly string[];
  readonly groupAttributes: readonly string[];
  /** Which target groups belong to the load balancer (a group attached or deleted). */
  readonly groupMembership: boolean;
}

/** Reads the live configuration. */
export interface SnapshotReader {
  /** The current snapshot of one load balancer; throws `ResourceNotFoundError` when it is gone. */
  readSnapshot(loadBalancerArn: string): Promise<LoadBalancerSnapshot>;
  /**
   * `base` with the parts `scope` names re-read (fewer calls than `readSnapshot`); throws
   * `ResourceNotFoundError` when the load balancer is gone. `purpose: 'verify'` says the read checks a revert
   * already applied: when calls wait for the API budget, it may wait behind reads that lead to a revert.
   */
  refresh(base: LoadBalancerSnapshot, scope: ReadScope, options?: { readonly purpose?: 'verify' }): Promise<LoadBalancerSnapshot>;
  /** The load balancers a target group serves (target-group changes carry no load balancer ARN). */
  loadBalancersOfTargetGroup(targetGroupArn: string): Promise<string[]>;
  /** Every load balancer in the account and Region, with tags. */
  listLoadBalancers(): Promise<LoadBalancerSummary[]>;
  /** Every target group in the account and Region, with the load balancers it serves. */
  listTargetGroups(): Promise<TargetGroupSummary[]>;
}

/** The outcome of applying a revert plan. */
export interface ApplyResult {
  readonly applied: readonly RevertStep[];
  /** The first step that failed, when one did; later steps were not attempted. */
  readonly failed?: { readonly step: RevertStep; readonly error: Error };
}

/** Executes revert plans. */
export interface PlanApplier {
  apply(plan: RevertPlan): Promise<ApplyResult>;
}

/** The stored last known good configuration of one load balancer. */
export interface StoredSnapshot {
  readonly snapshot: LoadBalancerSnapshot;
  /** Increases by one per write; writes are conditional on it. */
  readonly version: number;
  readonly storedAt: string;
  /** The event whose allowed change produced it, absent for a baseline taken by audit. */
  readonly eventId?: string;
  /**
   * Set when the store could not check the baseline's MAC because it holds no MAC key (the operator CLI's
   * read-only views). The watchdog's functions always check: they never see this flag.
   */
  readonly unverified?: true;
}

/**
 * A stored baseline whose MAC is missing or does not match its content: written by someone other than the
 * watchdog (or before baselines were signed). Its content is not even parsed, and never used for a revert.
 */
export interface UntrustedBaseline {
  /** `mac-missing`: stored without a MAC; `mac-invalid`: the MAC does not match the item. */
  readonly untrusted: 'mac-missing' | 'mac-invalid';
  /** The stored version when it is a whole number, so that a fresh baseline replaces exactly this item. */
  readonly version?: number;
  /** The stored time, as the item says (not to be trusted either). */
  readonly storedAt?: string;
}

/** True for a baseline the store refused to vouch for. */
export function isUntrustedBaseline(stored: StoredSnapshot | UntrustedBaseline | undefined): stored is UntrustedBaseline {
  return stored !== undefined && 'untrusted' in stored;
}

/**
 * Computes and checks MACs with a key only the watchdog's functions may use (a KMS HMAC key): what makes a
 * stored baseline the watchdog's own.
 */
export interface BaselineMac {
  /** The MAC of `message`. */
  generate(message: Uint8Array): Promise<Uint8Array>;
  /** True when `mac` is the MAC of `message` under the key; false when it is not (never throws for that). */
  verify(message: Uint8Array, mac: Uint8Array): Promise<boolean>;
}

/** One line of the audit log: a verdict and what was done about it. */
export interface AuditRecord {
  readonly loadBalancerArn: string;
  /** ISO-8601 time the record was written. */
  readonly at: string;
  readonly eventId: string;
  /** The judged call; `BreakGlass` / `BreakGlassEnded` when a person suspended or resumed enforcement. */
  readonly eventName: ChangeEventName | 'Audit' | 'BreakGlass' | 'BreakGlassEnded';
  readonly eventTime: string;
  readonly actor: Actor;
  readonly mode: Mode;
  readonly decision: Decision;
  readonly action: EnforcementAction;
  /** `reverted`, `revert-failed`, `not-reverted`, `baseline-stored`, ... */
  readonly outcome: string;
  readonly findings: readonly Finding[];
  /** Largest per-target share before → after, per request class, for a quick diff. */
  readonly shareDiff: readonly { requestClass: string; targetId: string; before: number; after: number }[];
  readonly plan?: RevertPlan;
  /** Milliseconds from the call (eventTime) to the end of the action. */
  readonly latencyMs?: number;
  /** The policy's actor for the change (`ec2-auto-scaling`, `default`) and its treatment. */
  readonly actorTreatment?: { readonly name: string; readonly treatment: string };
  /** Of a batch judged together: whether this change made it unsafe, or was only judged with the one that did. */
  readonly cause?: 'caused' | 'judged-with';
  /** The round of a fight this change was (the same actor re-applying what was reverted). */
  readonly fight?: { readonly round: number; readonly notice: string };
  /** The id of the notification that told this verdict. */
  readonly notificationId?: string;
}

/**
 * The policy a deployed watchdog runs with, as it records it in its state: when its stack finishes
 * deploying (the audit runs then) and at each audit after. The CLI judges with it unless told otherwise.
 */
export interface DeployedPolicy {
  /** The effective policy: the file or object the construct was given, with its `mode` prop applied. */
  readonly policy: Policy;
  /** `policyHash(policy)`. */
  readonly hash: string;
  /** ISO-8601 time this policy (this hash) was first recorded: about when it was deployed. */
  readonly since: string;
  /** ISO-8601 time it was last recorded: the latest audit. */
  readonly recordedAt: string;
}

/**
 * A verdict not yet fully told (the outbox): written before a revert (`reverting`) or with its audit records
 * (`to-publish`), published from, deleted once published. A retry after any failure, another invocation or
 * the scheduled audit finishes it, so no verdict goes untold; a duplicate is possible only when a run dies
 * between publishing and deleting, and then carries the same `id`.
 */
export interface PendingVerdict {
  /** Stable id of the notification: `<first event id>#<load balancer id>`. */
  readonly id: string;
  readonly loadBalancerArn: string;
  readonly createdAt: string;
  readonly stage: 'reverting' | 'to-publish';
  /** The idempotency claims this verdict covers: completed once it is told. */
  readonly claimKeys: readonly string[];
  /** The audit records (`to-publish`), or their drafts with the outcome to come (`reverting`). */
  readonly records: readonly AuditRecord[];
  /** The notification to publish (`to-publish`), when the verdict has one. */
  readonly notification?: Notification;
  /** What a `reverting` verdict restores, so a retry can finish it. */
  readonly revert?: PendingRevert;
  /**
   * ISO-8601 time before which nobody tells it: an unexplained verdict held for the event that explains it
   * (`policy.unexplained.holdSeconds`). A later judgement that explains the state settles it untold.
   */
  readonly tellAfter?: string;
}

/** What a revert restores: the baseline (with what judge-only and trusted actors changed), and how. */
export interface PendingRevert {
  readonly baseline: LoadBalancerSnapshot;
  /** The stored baseline's version, to store re-created resources' new ARNs against. */
  readonly baselineVersion: number;
  /** `group arn \u0000 target id` of targets a revert may register again (those enforced actors removed). */
  readonly reRegister: readonly string[];
  readonly createTags: readonly { Key: string; Value?: string }[];
  /** True when the baseline absorbed changes of judge-only or trusted actors (so it is stored once restored). */
  readonly absorbed: boolean;
  /** A fight round folded into the next digest: nobody is told unless the revert fails. */
  readonly silent?: boolean;
  /**
   * The routing as judged, element by element (`routingFingerprints`): a revert finished by another run
   * (the judge crashed) leaves what changed after the verdict to its own event.
   */
  readonly judged?: Readonly<Record<string, string>>;
  /** The notification's inputs, serialisable (its outcome comes when the revert ends). */
  readonly report: Readonly<Record<string, unknown>>;
}

/** The outcome of trying to claim an event for processing. */
export type ClaimResult = 'claimed' | 'already-done' | 'in-progress';

/**
 * Who holds a pending verdict's lease, when that says the previous holder is gone: `judge` is the on-change
 * run of the verdict's load balancer, and SQS FIFO never runs two batches of one message group (one load
 * balancer) at once, so a judge that finds a judge's lease on its own load balancer's verdict found a run
 * that crashed or timed out. Other runs (the audit) name no holder and wait for the lease to end.
 */
export type LeaseHolder = 'judge';

/** Durable state: last known good, audit log, idempotency, break-glass. */
export interface StateStore {
  /**
   * The stored last known good, its MAC checked: a `StoredSnapshot` the watchdog wrote, an
   * `UntrustedBaseline` when the MAC is missing or wrong, undefined when nothing is stored.
   */
  getLastKnownGood(loadBalancerArn: string): Promise<StoredSnapshot | UntrustedBaseline | undefined>;
  /**
   * Stores a new last known good, with its MAC. With `expectedVersion` the write succeeds only if the stored
   * version is still that one (undefined: nothing stored yet); otherwise throws `ConcurrentUpdateError`.
   * `replacing` (a rejected baseline, instead of `expectedVersion`) overwrites it: the write succeeds only if
   * the item is gone or still has the version read (or a version that is not a number), and the new
   * version follows the rejected one, so versions keep increasing.
   */
  putLastKnownGood(
    snapshot: LoadBalancerSnapshot,
    options: { expectedVersion: number | undefined; eventId?: string; replacing?: { readonly version?: number } },
  ): Promise<StoredSnapshot>;
  appendAudit(record: AuditRecord): Promise<void>;
  listAudit(loadBalancerArn: string, options?: { limit?: number; since?: string }): Promise<AuditRecord[]>;
  /** Claims an event id; a claim in progress expires after `leaseSeconds` so a crashed run is retried. */
  claimEvent(eventId: string, leaseSeconds: number): Promise<ClaimResult>;
  completeEvent(eventId: string): Promise<void>;
  releaseEvent(eventId: string): Promise<void>;
  getBreakGlass(loadBalancerArn: string): Promise<BreakGlass | undefined>;
  putBreakGlass(entry: BreakGlass): Promise<void>;
  endBreakGlass(loadBalancerArn: string): Promise<void>;
  /** Remembers a fact once: true the first time a key is seen, false afterwards. */
  rememberOnce(key: string): Promise<boolean>;
  /**
   * Writes (or replaces) a pending verdict, leased to the writer for `leaseSeconds`: no other run tells it
   * until the lease ends or is released (so two runs draining the outbox never both publish it).
   */
  putPending(pending: PendingVerdict, leaseSeconds: number, holder?: LeaseHolder): Promise<void>;
  /**
   * Takes the lease of a pending verdict: false when it is gone or another run holds it. A lease held by
   * `holder` itself is taken over: only runs that can never overlap share a holder name.
   */
  leasePending(loadBalancerArn: string, id: string, leaseSeconds: number, holder?: LeaseHolder): Promise<boolean>;
  /** Gives the lease back (after a failure), so the next run tells the verdict at once. */
  releasePending(loadBalancerArn: string, id: string): Promise<void>;
  /** Pending verdicts of one load balancer, or of all, oldest first. */
  listPending(loadBalancerArn?: string): Promise<PendingVerdict[]>;
  deletePending(loadBalancerArn: string, id: string): Promise<void>;
  /** The fight state of one load balancer (the last reverted configuration and its rounds). */
  getFight(loadBalancerArn: string): Promise<FightState | undefined>;
  putFight(loadBalancerArn: string, state: FightState): Promise<void>;
  /** Records the policy the watchdog runs with; `since` stays while the hash does. */
  recordDeployedPolicy(policy: Policy, hash: string): Promise<DeployedPolicy>;
  /** The policy the deployed watchdog last recorded, if it recorded one. */
  getDeployedPolicy(): Promise<DeployedPolicy | undefined>;
}

/** A message for people. */
export interface Notification {
  /** At most 100 characters (SNS subject limit). */
  readonly subject: string;
  readonly body: string;
  /** Message attributes for subscription filters: decision, action, loadBalancer. */
  readonly attributes: Readonly<Record<string, string>>;
}

/** Sends notifications. */
export interface Notifier {
  publish(notification: Notification): Promise<void>;
}

/** The CloudWatch alarms the watchdog owns. */
export interface AlarmStore {
  /** Alarms whose names start with the prefix. */
  listAlarms(prefix: string): Promise<ExistingAlarm[]>;
  /** Creates or updates one alarm. */
  putAlarm(spec: AlarmSpec): Promise<void>;
  /** Deletes alarms, then the anomaly models behind them (an alarm would recreate a deleted model). */
  deleteAlarms(alarms: readonly ExistingAlarm[]): Promise<void>;
}

/** One CloudWatch metric statistic to read (a GetMetricData `MetricStat` query). */
export interface MetricQuery {
  /** Unique within a request; starts with a lower-case letter (GetMetricData's rule for ids). */
  readonly id: string;
  readonly namespace: 'AWS/ApplicationELB' | 'AWS/NetworkELB';
  readonly metricName: string;
  readonly dimensions: readonly { readonly name: string; readonly value: string }[];
  readonly stat: 'Sum' | 'Average' | 'Minimum' | 'Maximum';
  readonly periodSeconds: number;
}

/** A window of metric queries answered by one GetMetricData request (pages followed). */
export interface MetricRequest {
  readonly start: Date;
  readonly end: Date;
  readonly queries: readonly MetricQuery[];
}

/** One query's datapoints, oldest first (epoch milliseconds). */
export interface MetricSeries {
  readonly id: string;
  readonly timestamps: readonly number[];
  readonly values: readonly number[];
}

/**
 * Reads CloudWatch metrics. Throws `AwsCallError` (with `retryable` and `code` set for throttling) when the
 * call fails; never decides what the numbers mean.
 */
export interface MetricsReader {
  read(request: MetricRequest): Promise<MetricSeries[]>;
}

/** Where the audit keeps each load balancer's proven capacity (beside its baseline, signed like it). */
export interface CapacityStore {
  /** The stored proven capacity; undefined when none is stored or its MAC does not check. */
  getProvenCapacity(loadBalancerArn: string): Promise<ProvenCapacity | undefined>;
  putProvenCapacity(capacity: ProvenCapacity): Promise<void>;
}
