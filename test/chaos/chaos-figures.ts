import type { ChaosStep } from '../../sim/chaos/chaos-plan';
import type { ChaosTrace } from '../../sim/chaos/chaos-trace';

/** The figures of issue 14's table for one or more runs, from their traces (counted at the wire). */
export interface ChaosFigures {
  readonly runs: number;
  readonly changes: number;
  readonly faults: Readonly<Record<string, number>>;
  readonly crashes: number;
  readonly dropped: number;
  readonly violations: number;
  /** Milliseconds from an unsafe call by a person or pipeline to the watchdog's first restoring write. */
  readonly callToRestored: readonly number[];
  readonly watchdogElbCalls: number;
  readonly verdictNotifications: number;
  readonly distinctVerdicts: number;
  readonly unsafeChanges: number;
  /** Audit records of unexplained verdicts: held and settled untold when a late event explained them, or told. */
  readonly unexplained: { readonly settled: number; readonly told: number };
}

/** Adds one run's figures to a running total. */
export function addFigures(total: ChaosFigures | undefined, trace: ChaosTrace, violations: number): ChaosFigures {
  const stepOf = new Map<string, ChaosStep>();
  for (const traced of trace.steps) for (const id of traced.requestIds) stepOf.set(id, trace.plan.steps.find((s) => s.id === traced.step) as ChaosStep);
  const writes = trace.events.filter((e) => e.errorCode === undefined);
  const changes = writes.filter((e) => stepOf.has(e.requestID));
  const watchdog = writes.filter((e) => e.accessKeyId.startsWith('elb-watchdog'));
  const lbOf = (params: Readonly<Record<string, unknown>>): string => String(params.listenerArn ?? params.ruleArn ?? '').split('/').slice(2, 4).join('/');
  const latencies: number[] = [];
  for (const e of changes) {
    const step = stepOf.get(e.requestID) as ChaosStep;
    if (step.label !== 'unsafe' || (step.actor !== 'person' && step.actor !== 'pipeline') || e.delivery !== 'delivered') continue;
    const restored = watchdog.find((w) => w.atMs > e.atMs && lbOf(w.requestParameters) === lbOf(e.requestParameters) && lbOf(e.requestParameters) !== '');
    if (restored) latencies.push(restored.atMs - e.atMs);
  }
  const verdicts = trace.notifications.filter((n) => !/^(DRIFT|RISK|ALARM)/.test(n.subject));
  const ids = new Set(verdicts.map((n) => /"notificationId":\s*"([^"]+)"/.exec(n.message)?.[1] ?? n.subject));
  const faults = { ...(total?.faults ?? {}) };
  for (const [kind, n] of Object.entries(trace.faultStats)) if (kind !== 'script mismatches') faults[kind] = (faults[kind] ?? 0) + n;
  return {
    runs: (total?.runs ?? 0) + 1,
    changes: (total?.changes ?? 0) + changes.length,
    faults,
    crashes: (total?.crashes ?? 0) + trace.crashes.length,
    dropped: (total?.dropped ?? 0) + trace.events.filter((e) => e.delivery === 'dropped').length,
    violations: (total?.violations ?? 0) + violations,
    callToRestored: [...(total?.callToRestored ?? []), ...latencies],
    watchdogElbCalls: (total?.watchdogElbCalls ?? 0) + trace.watchdogElbCalls,
    verdictNotifications: (total?.verdictNotifications ?? 0) + verdicts.length,
    distinctVerdicts: (total?.distinctVerdicts ?? 0) + ids.size,
    unsafeChanges: (total?.unsafeChanges ?? 0) + changes.filter((e) => stepOf.get(e.requestID)?.label === 'unsafe').length,
    unexplained: {
      settled: (total?.unexplained.settled ?? 0) + trace.table.auditEventIds.filter((r) => r.outcome === 'explained-later').length,
      told: (total?.unexplained.told ?? 0) + trace.table.auditEventIds.filter((r) => r.outcome === 'left-to-audit').length,
    },
  };
}

/** The p-th percentile (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN);
}
