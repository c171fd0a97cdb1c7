/**
 * Benchmark of the pure core's hot path: `evaluate` (both traffic models and every rule) on one change,
 * for load balancers of 10, 1,000 and 10,000 targets with 100 rules on the listener. Each rule forwards
 * to its own weighted pair of target groups, so memoisation of identical forwards does not flatter the
 * figures. Prints median and p99 per size. Target (issue 3): 10,000 targets under 20 ms median.
 */
import Table from 'cli-table3';
import type { LoadBalancerSnapshot } from '../lambdas/core/model/snapshot';
import { DEFAULT_POLICY, evaluate } from '../lambdas/core/policy';
import { forward, lb } from '../test/helpers/snapshot-builder';

const RULES_PER_LISTENER = 100;
const GROUPS = 10;

/** A load balancer of `targets` healthy targets over 10 groups, 100 rules on HTTP:80, default weighted blue/green. */
export function benchSnapshot(targets: number, weights: { g0: number; g1: number }): LoadBalancerSnapshot {
  const builder = lb('bench').zonesAre('us-east-1a', 'us-east-1b', 'us-east-1c');
  for (let g = 0; g < GROUPS; g += 1) builder.group(`g${g}`, { healthy: Math.max(1, Math.floor(targets / GROUPS)) });
  builder.listener(80, forward(weights));
  for (let r = 1; r <= RULES_PER_LISTENER; r += 1) {
    builder.rule(80, r, { path: `/service-${r}/*` }, forward({ [`g${r % GROUPS}`]: 1 + (r % 13), [`g${(r + 3) % GROUPS}`]: 1 + (r % 7) }));
  }
  return builder.build();
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/** Times `evaluate` for each size and prints a table. */
export async function run(): Promise<void> {
  const table = new Table({ head: ['targets', 'paths', 'runs', 'median ms', 'p99 ms', 'verdict'], style: { head: [], border: [] } });
  for (const targets of [10, 1_000, 10_000]) {
    const before = benchSnapshot(targets, { g0: 100, g1: 0 });
    const after = benchSnapshot(targets, { g0: 0, g1: 100 });
    const runs = targets >= 10_000 ? 200 : 1_000;
    for (let i = 0; i < 20; i += 1) evaluate(DEFAULT_POLICY, before, after);
    const times: number[] = [];
    let decision = '';
    for (let i = 0; i < runs; i += 1) {
      const started = process.hrtime.bigint();
      decision = evaluate(DEFAULT_POLICY, before, after).decision;
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    times.sort((a, b) => a - b);
    table.push([targets.toLocaleString('en-US'), RULES_PER_LISTENER + 1, runs, quantile(times, 0.5).toFixed(2), quantile(times, 0.99).toFixed(2), decision]);
  }
  process.stdout.write(`evaluate (traffic before + after, all rules), ${RULES_PER_LISTENER} rules per listener\n${table.toString()}\n`);
}
