import type { LoadBalancerSnapshot } from '../../lambdas/core/model/snapshot';
import { SAFE_WEIGHTS, WEIGHTS, type ChaosStep } from '../../sim/chaos/chaos-plan';
import type { ChaosTrace, TracedEvent, TracedStep } from '../../sim/chaos/chaos-trace';
import { referenceRoute } from '../helpers/reference-router';
import { finalSnapshotOf } from './final-routing';

/**
 * The invariants of issue 14, checked on a run's trace with what the watchdog does not compute itself: the
 * generator's labels, the stand-in's CloudTrail records (who called what, and which deliveries were lost),
 * its notifications and crash records, and the reference router over the final routing. Never the
 * watchdog's verdicts; its audit records only where they are the subject (one per change).
 */

/** One broken invariant, by name, with what broke it. */
export interface Violation {
  readonly invariant: string;
  readonly detail: string;
}

const WATCHDOG_KEY = 'elb-watchdog';
/**
 * The longest pause between two attempts of one revert: the ELBv2 client's longest backoff is 1.5 × 1.6 s
 * (lambdas/aws/elbv2-retry-strategy.ts), plus the call limiter's wait and the stand-in's added latency.
 */
const BURST_GAP_MS = 4_000;
const isWatchdog = (e: TracedEvent): boolean => e.accessKeyId.startsWith(WATCHDOG_KEY);
const enforced = (s: ChaosStep): boolean => s.actor === 'person' || s.actor === 'pipeline';

/** Checks invariants 1-6; an empty list when all hold. */
export function checkInvariants(trace: ChaosTrace): Violation[] {
  const v: Violation[] = [];
  const fail = (invariant: string, detail: string): void => void v.push({ invariant, detail });
  const writes = trace.events.filter((e) => e.errorCode === undefined);
  const lbOf = lbIndex(trace);
  // Each call's step as planned (its label) and as made (start to answer).
  const stepOf = new Map<string, ChaosStep>();
  const tracedOf = new Map<string, TracedStep>();
  for (const traced of trace.steps) {
    const planned = trace.plan.steps.find((s) => s.id === traced.step) as ChaosStep;
    for (const id of traced.requestIds) {
      stepOf.set(id, planned);
      tracedOf.set(id, traced);
    }
  }
  const changes = writes.filter((e) => stepOf.has(e.requestID));
  // When a call took effect is known only to lie within its step's call (start to answer): two overlapping
  // calls may land in either order, whatever order their records have (seed 1361662005: a person's undo,
  // made while their unsafe call was in flight, landed first, recorded second).
  const startOf = (e: TracedEvent): number => tracedOf.get(e.requestID)?.startedMs ?? e.atMs;
  const endOf = (e: TracedEvent): number => tracedOf.get(e.requestID)?.endedMs ?? e.atMs;
  const mayLandAfter = (later: TracedEvent, e: TracedEvent): boolean => tracedOf.get(later.requestID) !== tracedOf.get(e.requestID) && endOf(later) >= startOf(e);
  const watchdog = writes.filter(isWatchdog);
  const onLb = (lb: number) => (e: TracedEvent) => lbOf(e) === lb;
  const name = (lb: number) => trace.fleet[lb]?.name ?? `#${lb}`;
  const lastFinalAudit = trace.finalAuditsMs[trace.finalAuditsMs.length - 1] ?? Infinity;
  const crashesMs = trace.startedAtMs === undefined ? [] : trace.crashes.map((c) => Date.parse(c.at) - (trace.startedAtMs as number));

  for (const [lb, owner] of trace.plan.loadBalancers.map((l, i) => [i, l.owner] as const)) {
    const mine = changes.filter(onLb(lb));
    const reverts = watchdog.filter(onLb(lb));
    const dropped = mine.filter((e) => e.delivery === 'dropped');
    // 1 and 6: an unsafe change by a person or pipeline is answered by a watchdog write (unless a later change
    // to the same resource by them replaced it first), and the load balancer ends safe.
    for (const e of mine) {
      const step = stepOf.get(e.requestID) as ChaosStep;
      if (!enforced(step) || step.label !== 'unsafe') continue;
      const replaced = mine.some((later) => mayLandAfter(later, e) && stepOf.get(later.requestID)?.kind === step.kind && enforced(stepOf.get(later.requestID) as ChaosStep));
      if (!replaced && !reverts.some((r) => r.atMs > e.atMs)) {
        fail(e.delivery === 'dropped' ? '6 lost event caught by the audit' : '1 unsafe change reverted', `step ${step.id} (${describe(step)}) on ${name(lb)}: no revert followed`);
      }
    }
    if (owner === 'enforced') {
      const unsafe = unsafeRouting(finalSnapshotOf(trace.finalRouting[lb]), trace.fleet[lb]?.groups ?? { a: '', b: '', c: '' });
      if (unsafe !== undefined) fail('1 final routing safe', `${name(lb)}: ${unsafe}`);
    }
    // 2: the watchdog never touches C (the scaler's group), nor a trusted load balancer unless a lost event hid its actor.
    for (const r of reverts) {
      const group = String(r.requestParameters.targetGroupArn ?? '');
      if (group === trace.fleet[lb]?.groups.c) fail('2 judge-only actor not reverted', `${r.eventName} by the watchdog on ${name(lb)}'s scaled group`);
      if (owner === 'trusted' && !dropped.some((d) => d.atMs < r.atMs)) fail('2 trusted actor not reverted', `${r.eventName} by the watchdog on ${name(lb)}`);
    }
    // 2: every burst of watchdog writes follows an unsafe change by a person or pipeline since the burst before.
    // A burst is one revert's attempts, throttled ones too: a call made while they go on (seed 1362471940: a
    // person's ModifyRule between two throttled attempts of the revert's) does not start a new burst.
    let sinceLast: TracedEvent[] = [];
    let lastAttemptMs = -Infinity;
    const attempts = trace.events.filter((e) => onLb(lb)(e) && (e.errorCode === undefined || isWatchdog(e))).sort((a, b) => a.atMs - b.atMs);
    for (const e of attempts) {
      if (!isWatchdog(e)) {
        sinceLast.push(e);
        continue;
      }
      // A crashed run's revert finished by the next run continues its burst, when nothing landed in between.
      const resumed = sinceLast.length === 0 && crashesMs.some((at) => at > lastAttemptMs && at < e.atMs);
      const inBurst = e.atMs - lastAttemptMs <= BURST_GAP_MS || resumed;
      lastAttemptMs = e.atMs;
      if (e.errorCode !== undefined) continue;
      if (!inBurst && owner === 'enforced' && !sinceLast.some((c) => stepOf.get(c.requestID)?.label === 'unsafe' && enforced(stepOf.get(c.requestID) as ChaosStep))) {
        fail('2 no safe change reverted', `${e.eventName} by the watchdog on ${name(lb)} with no unsafe change before it`);
      }
      sinceLast = [];
    }
    // 3: people hear of every load balancer an unsafe change touched (trusted actors' changes are not told) ...
    const told = trace.notifications.filter((n) => new RegExp(` on ${name(lb)}( |$)`).test(n.subject) && !/^(DRIFT|RISK)/.test(n.subject));
    // An unsafe change its actor (or a person or pipeline) replaced with the same kind of change before the
    // watchdog wrote anything there may have left no unsafe state to tell of: the judge reads the load
    // balancer, not the event (the exemption invariant 1 makes too). Without it the check raced the judge
    // against the person's own undo, and lost on a loaded machine (seed 303 beside two busy loops); and
    // against Auto Scaling scaling out again 0.8 s after a scale-in (seed 1361677843).
    const replacedUnjudged = (e: TracedEvent): boolean =>
      mine.some((later) => {
        const step = stepOf.get(later.requestID);
        const first = stepOf.get(e.requestID);
        return (
          mayLandAfter(later, e) &&
          step !== undefined &&
          (enforced(step) || step.actor === first?.actor) &&
          step.kind === first?.kind &&
          !reverts.some((r) => r.atMs > endOf(e) && r.atMs < startOf(later))
        );
      });
    const toTell = mine.filter((e) => stepOf.get(e.requestID)?.label === 'unsafe' && stepOf.get(e.requestID)?.actor !== 'trusted');
    if (toTell.some((e) => !replacedUnjudged(e)) && told.length === 0) fail('3 verdict notified', `${name(lb)}: unsafe changes, no notification`);
    // ... and hear nothing when nothing unsafe happened (a guard that cries wolf is switched off). A replaced
    // change may have been judged before its replacement: telling it is no false alarm.
    if (toTell.length === 0 && dropped.length === 0 && told.length > 0) fail('3 verdict notified', `${name(lb)}: "${told[0]?.subject}" with no unsafe change`);
  }
  // 3: a duplicate only after an injected crash, and then with the same id.
  const ids = trace.notifications.map((n) => /"notificationId":\s*"([^"]+)"/.exec(n.message)?.[1]).filter((id): id is string => id !== undefined);
  const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (duplicates.length > 0 && trace.crashes.length === 0) fail('3 no duplicate without a crash', `notification ${duplicates[0]} published twice`);
  // 4: one audit record per delivered change and load balancer; nothing left claimed or pending.
  const records = new Map<string, number>();
  for (const r of trace.table.auditEventIds) records.set(`${r.eventId}#${r.loadBalancerArn}`, (records.get(`${r.eventId}#${r.loadBalancerArn}`) ?? 0) + 1);
  for (const e of changes.filter((c) => c.delivery === 'delivered')) {
    const arn = trace.fleet[lbOf(e)]?.arn ?? '';
    const count = records.get(`${e.eventID}#${arn}`) ?? 0;
    if (count !== 1) fail('4 one audit record per change', `${e.eventName} ${e.eventID} on ${arn.split('/')[2]}: ${count} records`);
  }
  for (const claim of trace.table.claimsInProgress) fail('4 nothing left in progress', `claim ${claim}`);
  for (const pending of trace.table.pending) fail('4 nothing left in progress', `outbox ${pending}`);
  // 5: the watchdog's own calls are never judged, and once all is in, an audit period passes without a write.
  for (const e of watchdog) {
    if ([...records.keys()].some((k) => k.startsWith(`${e.eventID}#`))) fail('5 no revert loop', `the watchdog's own ${e.eventName} was judged`);
    if (e.atMs >= lastFinalAudit) fail('5 no revert loop', `the watchdog's ${e.eventName} in a quiet audit period`);
  }
  return v;
}

function describe(step: ChaosStep): string {
  return `${step.actor} ${step.kind}${'value' in step ? ` ${step.value}` : ''}`;
}

/** Which load balancer an event is about, from the ARNs in its request. */
function lbIndex(trace: ChaosTrace): (e: TracedEvent) => number {
  const owner = new Map<string, number>();
  trace.fleet.forEach((lb, i) => [lb.arn, lb.listener, lb.apiRule, lb.adminRule, lb.groups.a, lb.groups.b, lb.groups.c].forEach((arn) => owner.set(arn, i)));
  return (e) => {
    const p = e.requestParameters;
    const priorities = Array.isArray(p.rulePriorities) ? (p.rulePriorities as { ruleArn?: string }[]).map((r) => r.ruleArn) : [];
    for (const arn of [p.listenerArn, p.ruleArn, p.targetGroupArn, p.loadBalancerArn, ...priorities]) {
      const lb = typeof arn === 'string' ? (owner.get(arn) ?? owner.get(arn.replace(/listener-rule\/(app\/[^/]+\/[^/]+\/[^/]+)\/.*/, 'listener/$1'))) : undefined;
      if (lb !== undefined) return lb;
    }
    return -1;
  };
}

/** Why the final routing is unsafe by the generator's labels, routed by the reference router; undefined when safe. */
function unsafeRouting(snapshot: LoadBalancerSnapshot, groups: { readonly a: string; readonly b: string }): string | undefined {
  const request = (path: string) => ({ host: 'shop.example.com', path, method: 'GET', sourceIp: '203.0.113.9' });
  const byDefault = referenceRoute(snapshot, 80, request('/'));
  const api = referenceRoute(snapshot, 80, request('/api/orders'));
  if (byDefault.kind !== 'forward' || api.kind !== 'forward') return `no forward: ${byDefault.kind}, ${api.kind}`;
  const got = byDefault.groups;
  const safe = SAFE_WEIGHTS.some((w) => {
    const [a, b] = WEIGHTS[w];
    const want: Record<string, number> = {};
    if (a > 0) want[groups.a] = a / (a + b);
    if (b > 0) want[groups.b] = b / (a + b);
    return Object.keys(want).length === Object.keys(got).length && Object.entries(want).every(([arn, share]) => Math.abs(share - (got[arn] ?? -1)) < 1e-9);
  });
  if (!safe) return `default route splits ${JSON.stringify(got)}`;
  if (Object.keys(api.groups).join() !== groups.a) return `/api/* goes to ${JSON.stringify(api.groups)}`;
  return undefined;
}
