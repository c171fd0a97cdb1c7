import { ConcurrentUpdateError, ResourceNotFoundError } from '../../../lambdas/core/errors';
import type { LoadBalancerSnapshot } from '../../../lambdas/core/model/snapshot';
import type { Policy } from '../../../lambdas/core/policy/policy-schema';
import type {
  ApplyResult,
  AuditRecord,
  ClaimResult,
  DeployedPolicy,
  LoadBalancerSummary,
  Notification,
  Notifier,
  LeaseHolder,
  PendingVerdict,
  PlanApplier,
  ReadScope,
  SnapshotReader,
  StateStore,
  StoredSnapshot,
  TargetGroupSummary,
  UntrustedBaseline,
} from '../../../lambdas/core/ports';
import type { BreakGlass } from '../../../lambdas/core/policy/verdict';
import type { FightState } from '../../../lambdas/core/workflow/fights';
import type { RevertPlan, RevertStep } from '../../../lambdas/core/revert/revert-plan';
import { applyPlan } from '../../../lambdas/core/simulate/apply-change';

/**
 * One load balancer held in memory: reads return its snapshot, applied plans change it. Lets the
 * workflow tests run the core's decisions end to end without AWS (the stand-in tests do that with AWS).
 */
export class InMemoryLoadBalancer implements SnapshotReader, PlanApplier {
  /** Steps to fail, by 0-based index over all steps ever applied. */
  public failSteps = new Set<number>();
  public readonly appliedSteps: RevertStep[] = [];
  private attempted = 0;

  public constructor(public snapshot: LoadBalancerSnapshot | undefined) {}

  public async readSnapshot(arn: string): Promise<LoadBalancerSnapshot> {
    if (this.snapshot === undefined || this.snapshot.loadBalancer.arn !== arn) throw new ResourceNotFoundError(`${arn} not found`, { resourceArn: arn });
    return structuredClone(this.snapshot);
  }

  /** What the ELBv2 reader does: the parts the scope names from the live snapshot, the rest from `base`. */
  public async refresh(base: LoadBalancerSnapshot, scope: ReadScope): Promise<LoadBalancerSnapshot> {
    this.refreshes.push(scope);
    const live = await this.readSnapshot(base.loadBalancer.arn);
    const next = structuredClone(base);
    if (scope.loadBalancer) Object.assign(next.loadBalancer, { availabilityZones: live.loadBalancer.availabilityZones, subnets: live.loadBalancer.subnets });
    if (scope.loadBalancerTags) next.loadBalancer.tags = live.loadBalancer.tags;
    if (scope.loadBalancerAttributes) Object.assign(next.loadBalancer, { attributes: live.loadBalancer.attributes, crossZoneEnabled: live.loadBalancer.crossZoneEnabled });
    const named = new Set([...scope.listeners, ...scope.certificates]);
    if (scope.allListeners) next.listeners = live.listeners;
    else next.listeners = [...next.listeners.filter((l) => !named.has(l.arn)), ...live.listeners.filter((l) => named.has(l.arn))];
    if (scope.groupMembership) next.targetGroups = live.targetGroups.map((g) => next.targetGroups.find((b) => b.arn === g.arn) ?? g);
    for (const arn of scope.groupHealth) {
      const fresh = live.targetGroups.find((g) => g.arn === arn);
      const index = next.targetGroups.findIndex((g) => g.arn === arn);
      if (fresh === undefined) continue;
      if (index < 0) next.targetGroups.push(fresh);
      else next.targetGroups[index] = { ...next.targetGroups[index], targets: fresh.targets };
    }
    for (const arn of scope.groupAttributes) {
      const fresh = live.targetGroups.find((g) => g.arn === arn);
      const index = next.targetGroups.findIndex((g) => g.arn === arn);
      if (fresh !== undefined && index >= 0) next.targetGroups[index] = { ...next.targetGroups[index], attributes: fresh.attributes, crossZone: fresh.crossZone };
    }
    return next;
  }

  /** Every scope `refresh` was asked for, in order. */
  public readonly refreshes: ReadScope[] = [];

  public async loadBalancersOfTargetGroup(arn: string): Promise<string[]> {
    return this.snapshot?.targetGroups.some((group) => group.arn === arn) ? [this.snapshot.loadBalancer.arn] : [];
  }

  public async listLoadBalancers(): Promise<LoadBalancerSummary[]> {
    const lb = this.snapshot?.loadBalancer;
    return lb ? [{ arn: lb.arn, name: lb.name, type: lb.type, tags: lb.tags }] : [];
  }

  public async listTargetGroups(): Promise<TargetGroupSummary[]> {
    return (this.snapshot?.targetGroups ?? []).map((group) => ({ arn: group.arn, name: group.name, loadBalancerArns: group.loadBalancerArns }));
  }

  public async apply(plan: RevertPlan): Promise<ApplyResult> {
    const applied: RevertStep[] = [];
    for (const step of plan.steps) {
      if (this.failSteps.has(this.attempted++)) return { applied, failed: { step, error: new Error('Throttling: Rate exceeded') } };
      this.snapshot = applyPlan(this.snapshot as LoadBalancerSnapshot, { ...plan, steps: [step] });
      applied.push(step);
      this.appliedSteps.push(step);
    }
    return { applied };
  }
}

/**
 * The state store in memory, with DynamoDB's conditional semantics. A test plants an `UntrustedBaseline` to
 * play what the DynamoDB store reports for an item whose MAC is missing or wrong.
 */
export class InMemoryStateStore implements StateStore {
  public readonly lastKnownGood = new Map<string, StoredSnapshot | UntrustedBaseline>();
  public readonly audit: AuditRecord[] = [];
  public readonly claims = new Map<string, ClaimResult>();
  public readonly breakGlass = new Map<string, BreakGlass>();
  public deployedPolicy: DeployedPolicy | undefined;
  /** The store's clock (pending leases). */
  public clock: () => Date = () => new Date();
  private readonly remembered = new Set<string>();

  public async getLastKnownGood(arn: string): Promise<StoredSnapshot | UntrustedBaseline | undefined> {
    return this.lastKnownGood.get(arn);
  }

  public async putLastKnownGood(
    snapshot: LoadBalancerSnapshot,
    options: { expectedVersion: number | undefined; eventId?: string; replacing?: { readonly version?: number } },
  ): Promise<StoredSnapshot> {
    const arn = snapshot.loadBalancer.arn;
    const existing = this.lastKnownGood.get(arn);
    const previous = options.replacing === undefined ? options.expectedVersion : options.replacing.version;
    const replaceable = options.replacing !== undefined && (existing === undefined || existing.version === undefined || existing.version === previous);
    if (!replaceable && existing?.version !== options.expectedVersion) throw new ConcurrentUpdateError('version changed', { key: arn });
    const stored = { snapshot: structuredClone(snapshot), version: (previous ?? 0) + 1, storedAt: snapshot.capturedAt, eventId: options.eventId };
    this.lastKnownGood.set(arn, stored);
    return stored;
  }

  /** As DynamoDB keys them (load balancer, time, event): writing the same record again replaces it. */
  public async appendAudit(record: AuditRecord): Promise<void> {
    const same = this.audit.findIndex((r) => r.loadBalancerArn === record.loadBalancerArn && r.at === record.at && r.eventId === record.eventId);
    if (same >= 0) this.audit[same] = record;
    else this.audit.push(record);
  }

  public async listAudit(arn: string): Promise<AuditRecord[]> {
    return this.audit.filter((record) => record.loadBalancerArn === arn);
  }

  public async claimEvent(eventId: string): Promise<ClaimResult> {
    const existing = this.claims.get(eventId);
    if (existing === 'claimed') return 'in-progress';
    if (existing === 'already-done') return 'already-done';
    this.claims.set(eventId, 'claimed');
    return 'claimed';
  }

  public async completeEvent(eventId: string): Promise<void> {
    this.claims.set(eventId, 'already-done');
  }

  public async releaseEvent(eventId: string): Promise<void> {
    this.claims.delete(eventId);
  }

  public async getBreakGlass(arn: string): Promise<BreakGlass | undefined> {
    return this.breakGlass.get(arn);
  }

  public async putBreakGlass(entry: BreakGlass): Promise<void> {
    this.breakGlass.set(entry.loadBalancerArn, entry);
  }

  public async endBreakGlass(arn: string): Promise<void> {
    this.breakGlass.delete(arn);
  }

  public async rememberOnce(key: string): Promise<boolean> {
    if (this.remembered.has(key)) return false;
    this.remembered.add(key);
    return true;
  }

  public readonly pending = new Map<string, PendingVerdict>();
  public readonly fights = new Map<string, FightState>();

  /** Lease end (ms) of each pending verdict, by `arn#id`. */
  public readonly pendingLeases = new Map<string, number>();

  /** The holder named with each lease, by `arn#id`. */
  public readonly pendingHolders = new Map<string, LeaseHolder | undefined>();

  public async putPending(pending: PendingVerdict, leaseSeconds: number, holder?: LeaseHolder): Promise<void> {
    this.pending.set(`${pending.loadBalancerArn}#${pending.id}`, structuredClone(pending));
    this.pendingLeases.set(`${pending.loadBalancerArn}#${pending.id}`, this.clock().getTime() + leaseSeconds * 1000);
    this.pendingHolders.set(`${pending.loadBalancerArn}#${pending.id}`, holder);
  }

  public async leasePending(loadBalancerArn: string, id: string, leaseSeconds: number, holder?: LeaseHolder): Promise<boolean> {
    const key = `${loadBalancerArn}#${id}`;
    const now = this.clock().getTime();
    const heldByOther = (this.pendingLeases.get(key) ?? 0) > now && (holder === undefined || this.pendingHolders.get(key) !== holder);
    if (!this.pending.has(key) || heldByOther) return false;
    this.pendingLeases.set(key, now + leaseSeconds * 1000);
    this.pendingHolders.set(key, holder);
    return true;
  }

  public async releasePending(loadBalancerArn: string, id: string): Promise<void> {
    this.pendingLeases.delete(`${loadBalancerArn}#${id}`);
    this.pendingHolders.delete(`${loadBalancerArn}#${id}`);
  }

  public async listPending(loadBalancerArn?: string): Promise<PendingVerdict[]> {
    return [...this.pending.values()].filter((p) => loadBalancerArn === undefined || p.loadBalancerArn === loadBalancerArn).sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map((p) => structuredClone(p));
  }

  public async deletePending(loadBalancerArn: string, id: string): Promise<void> {
    this.pending.delete(`${loadBalancerArn}#${id}`);
  }

  public async getFight(loadBalancerArn: string): Promise<FightState | undefined> {
    return this.fights.get(loadBalancerArn);
  }

  public async putFight(loadBalancerArn: string, state: FightState): Promise<void> {
    this.fights.set(loadBalancerArn, state);
  }

  public async recordDeployedPolicy(policy: Policy, hash: string): Promise<DeployedPolicy> {
    const recordedAt = new Date().toISOString();
    const since = this.deployedPolicy?.hash === hash ? this.deployedPolicy.since : recordedAt;
    this.deployedPolicy = { policy, hash, since, recordedAt };
    return this.deployedPolicy;
  }

  public async getDeployedPolicy(): Promise<DeployedPolicy | undefined> {
    return this.deployedPolicy;
  }
}

/** Keeps what was published. */
export class RecordingNotifier implements Notifier {
  public readonly published: Notification[] = [];
  /** While set, every publish fails as SNS would when it is unavailable. */
  public down = false;

  public async publish(notification: Notification): Promise<void> {
    if (this.down) throw new Error('ServiceUnavailable: SNS is down');
    this.published.push(notification);
  }
}
