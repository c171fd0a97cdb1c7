import { formatVerdict, type VerdictReport } from '../notify/format-verdict';
import type { AuditRecord, LeaseHolder, Notifier, PendingVerdict, PlanApplier, SnapshotReader, StateStore } from '../ports';
import type { LoadBalancerSnapshot } from '../model/snapshot';
import { configurationOf, stableJson } from '../revert/canonical';
import { leaveNewerChanges } from '../revert/leave-newer-changes';
import { revertAndVerify } from './revert-and-verify';

/**
 * The outbox: a verdict is told from its pending record, never from memory, so it is told whatever fails
 * in between (SNS down, a timeout, a crash between the revert and the message). `reverting` verdicts are
 * finished first (the revert is idempotent: planned against the live state), then the audit records are
 * written, the notification published with its stable id, the record deleted and the claims completed.
 */

/** The ports telling needs. */
export interface TellPorts {
  readonly reader: SnapshotReader;
  readonly applier: PlanApplier;
  readonly store: StateStore;
  readonly notifier: Notifier;
  readonly now: () => Date;
  /** Who this run is, for leases (`judge` takes over a crashed judge's lease at once); none: wait for leases to end. */
  readonly leaseHolder?: LeaseHolder;
}

/**
 * How long a run holds a pending verdict it tells: longer than one telling takes (a revert and a publish,
 * well within the on-change function's 60 s timeout), so two runs never publish it at once, and short
 * enough that a verdict a crashed run held is told by the next one.
 */
export const PENDING_LEASE_SECONDS = 90;

/** Thrown when a revert did not complete: the record is retried (people are told once). */
export class RevertIncompleteError extends Error {
  public constructor(
    message: string,
    public readonly loadBalancerArn: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RevertIncompleteError';
  }
}

/** Finishes a `reverting` verdict: the revert (again, if it must), then the records and the message it ends with. */
async function finishRevert(ports: TellPorts, pending: PendingVerdict, current?: LoadBalancerSnapshot): Promise<{ pending: PendingVerdict; error?: Error }> {
  const revert = pending.revert;
  if (pending.stage !== 'reverting' || revert === undefined) return { pending };
  const reRegister = new Set(revert.reRegister);
  const live = current ?? (await ports.reader.readSnapshot(pending.loadBalancerArn));
  // Finished by another run than its judge: what changed since the verdict is left to its own event.
  const late = current === undefined && revert.judged !== undefined ? leaveNewerChanges(revert.baseline, live, revert.judged) : undefined;
  const result = await revertAndVerify(ports, late?.target ?? revert.baseline, live, {
    createTags: revert.createTags,
    keepDeregistered: (group, target) => !reRegister.has(`${group.arn}\u0000${target.id}`),
  });
  const outcome = result.error === undefined ? 'reverted' : 'revert-failed';
  const leftAlone = late?.left ?? [];
  // New ARNs (re-created resources) or what judge-only actors changed: the restored state is the baseline now.
  // Not when newer changes were left in place: they are judged against the baseline as it was.
  const storable = result.error === undefined && leftAlone.length === 0;
  if (storable && stableJson(configurationOf(result.final)) !== stableJson(configurationOf(revert.baseline))) {
    await ports.store.putLastKnownGood(result.final, { expectedVersion: revert.baselineVersion, eventId: pending.records[0]?.eventId }).catch(() => undefined);
  } else if (storable && revert.absorbed) {
    await ports.store.putLastKnownGood(revert.baseline, { expectedVersion: revert.baselineVersion, eventId: pending.records[0]?.eventId }).catch(() => undefined);
  }
  const finishedAt = ports.now();
  const records: AuditRecord[] = pending.records.map((r) => ({
    ...r,
    at: finishedAt.toISOString(),
    // Drafts say 'reverting'; a change judged with the culprit keeps what its record says.
    outcome: r.outcome === 'reverting' ? outcome : r.outcome,
    latencyMs: Math.max(0, finishedAt.getTime() - Date.parse(r.eventTime)),
  }));
  const draft = revert.report as unknown as VerdictReport;
  const notification =
    revert.silent === true && outcome === 'reverted'
      ? undefined
      : formatVerdict({
          ...draft,
          outcome,
          applied: result.applied,
          notRestored: [...result.differences, ...result.firstPlan.unrestorable, ...leftAlone],
          latencyMs: records[0]?.latencyMs,
          ...(result.error !== undefined && { error: result.error.message }),
        });
  const told: PendingVerdict = {
    ...pending,
    stage: 'to-publish',
    records,
    ...(notification !== undefined && { notification }),
    revert: undefined,
  };
  await ports.store.putPending(told, PENDING_LEASE_SECONDS, ports.leaseHolder);
  return { pending: told, ...(result.error !== undefined && { error: result.error }) };
}

/**
 * Writes the records, publishes, deletes the pending record, completes the claims. A revert that failed is
 * told once (it is retried: its claims are released, not completed, and the caller throws).
 */
async function publishPending(ports: TellPorts, pending: PendingVerdict, failed?: Error): Promise<void> {
  for (const record of pending.records) await ports.store.appendAudit(record);
  const tell = failed === undefined || (await ports.store.rememberOnce(`revert-failed#${pending.id}`));
  if (pending.notification !== undefined && tell) await ports.notifier.publish(pending.notification);
  await ports.store.deletePending(pending.loadBalancerArn, pending.id);
  for (const key of pending.claimKeys) await (failed === undefined ? ports.store.completeEvent(key) : ports.store.releaseEvent(key));
  if (failed !== undefined) throw new RevertIncompleteError(`revert of ${pending.loadBalancerArn} incomplete: ${failed.message}`, pending.loadBalancerArn, { cause: failed });
}

/**
 * Tells every pending verdict of one load balancer (or of all): run first by each judgement of a load
 * balancer, so a verdict a crashed or failed run left is told before anything newer, and by the scheduled
 * audit. Returns how many were told; throws the first failure after trying them all.
 */
export async function drainPending(ports: TellPorts, loadBalancerArn?: string): Promise<number> {
  let told = 0;
  let failure: unknown;
  const now = ports.now().getTime();
  for (const pending of await ports.store.listPending(loadBalancerArn)) {
    // Held for the event that may explain it: told once the wait is over.
    if (pending.tellAfter !== undefined && Date.parse(pending.tellAfter) > now) continue;
    // Another run is telling it (or crashed while telling it, and its lease has not ended yet).
    if (!(await ports.store.leasePending(pending.loadBalancerArn, pending.id, PENDING_LEASE_SECONDS, ports.leaseHolder))) continue;
    try {
      await tellLeased(ports, pending);
      told += 1;
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
  return told;
}

/**
 * Puts a new verdict in the outbox, leased to this run, and tells it: the revert first when it has one.
 * `current` is the state just read, saving the revert a read.
 */
export async function tellVerdict(ports: TellPorts, pending: PendingVerdict, current?: LoadBalancerSnapshot): Promise<PendingVerdict> {
  await ports.store.putPending(pending, PENDING_LEASE_SECONDS, ports.leaseHolder);
  return tellLeased(ports, pending, current);
}

/**
 * Puts an unexplained verdict in the outbox untold, until `pending.tellAfter`: a later judgement of its load
 * balancer that explains the state settles it (`settleHeld`); otherwise a drain tells it when it is due.
 * Leased to no run, under the judges' name: the next judge of this load balancer (never two at once) may
 * settle it at once, and any other run waits for a lease it takes.
 */
export async function holdVerdict(ports: TellPorts, pending: PendingVerdict): Promise<void> {
  await ports.store.putPending(pending, 0, 'judge');
}

/**
 * Settles held verdicts (as the judge listed them) of a load balancer whose state a later judgement explained
 * (or found safe): each is rewritten untold (records `explained-later`, no notification) and then published
 * like any other, so a crash in between leaves a verdict the next drain finishes without telling anyone. One
 * that another run is telling or told already (its wait was over) is left to it. Returns how many were settled.
 */
export async function settleHeld(ports: TellPorts, verdicts: readonly PendingVerdict[]): Promise<number> {
  let settled = 0;
  for (const held of verdicts) {
    if (held.tellAfter === undefined || held.stage !== 'to-publish') continue;
    if (!(await ports.store.leasePending(held.loadBalancerArn, held.id, PENDING_LEASE_SECONDS, ports.leaseHolder))) continue;
    const at = ports.now().toISOString();
    const { notification: _untold, tellAfter: _over, ...rest } = held;
    const untold: PendingVerdict = { ...rest, records: held.records.map(({ notificationId: _none, ...record }) => ({ ...record, at, outcome: 'explained-later' })) };
    await ports.store.putPending(untold, PENDING_LEASE_SECONDS, ports.leaseHolder);
    await publishPending(ports, untold);
    settled += 1;
  }
  return settled;
}

/** Tells a verdict this run holds the lease of; gives the lease back when it fails, so the next run tells it. */
async function tellLeased(ports: TellPorts, pending: PendingVerdict, current?: LoadBalancerSnapshot): Promise<PendingVerdict> {
  try {
    const finished = await finishRevert(ports, pending, current);
    await publishPending(ports, finished.pending, finished.error);
    return finished.pending;
  } catch (error) {
    await ports.store.releasePending(pending.loadBalancerArn, pending.id).catch(() => undefined);
    throw error;
  }
}
