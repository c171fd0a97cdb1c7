/**
 * Benchmark of the pure core's hot path: `evaluate` (request classes before and after, their traffic and
 * every rule) on one change, for load balancers of 10, 1,000 and 10,000 targets with 100 overlapping rules
 * on the listener (wildcard paths that contain each other, hosts, headers, methods). Each rule forwards to
 * its own weighted pair of target groups, so memoisation of identical forwards does not flatter the
 * figures. Prints median and p99 per size and the number of request classes. Target: 10,000 targets under
 * 20 ms median on 2 cores.
 */
import Table from 'cli-table3';
import type { LoadBalancerSnapshot } from '../lambdas/core/model/snapshot';
import { DEFAULT_POLICY, evaluate } from '../lambdas/core/policy';
import { forward, lb, type ConditionSpec } from '../test/helpers/snapshot-builder';

const RULES_PER_LISTENER = 100;
const GROUPS = 10;

/** A load balancer of `targets` healthy targets over 10 groups, 100 rules on HTTP:80, default weighted blue/green. */
export function benchSnapshot(targets: number, weights: { g0: number; g1: number }): LoadBalancerSnapshot {
  const builder = lb('bench').zonesAre('us-east-1a', 'us-east-1b', 'us-east-1c');
  for (let g = 0; g < GROUPS; g += 1) builder.group(`g${g}`, { healthy: Math.max(1, Math.floor(targets / GROUPS)) });
  builder.listener(80, forward(weights));
  for (let r = 1; r <= RULES_PER_LISTENER; r += 1) {
    builder.rule(80, r, overlappingConditions(r), forward({ [`g${r % GROUPS}`]: 1 + (r % 13), [`g${(r + 3) % GROUPS}`]: 1 + (r % 7) }));
  }
  return builder.build();
}

/** Conditions that overlap the way real listeners do: nested paths, host wildcards, headers, methods. */
function overlappingConditions(r: number): ConditionSpec {
  switch (r % 5) {
    case 0:
      return { path: `/service-${r % 20}/*` };
    case 1:
      return { path: `/service-${r % 20}/v${r % 3}/*`, method: r % 2 === 0 ? 'GET' : 'POST' };
    case 2:
      return { host: `*.region-${r % 4}.example.com`, path: '/api/*' };
    case 3:
      return { header: ['X-Tenant', `t${r % 9}*`], path: `/service-${r % 20}/*` };
    default:
      return { host: `app-${r % 6}.example.com` };
  }
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/** Times `evaluate` for each size and prints a table. */
export async function run(): Promise<void> {
  const table = new Table({ head: ['targets', 'rules', 'request classes', 'runs', 'median ms', 'p99 ms', 'verdict'], style: { head: [], border: [] } });
  for (const targets of [10, 1_000, 10_000]) {
    const before = benchSnapshot(targets, { g0: 100, g1: 0 });
    const after = benchSnapshot(targets, { g0: 0, g1: 100 });
    const runs = targets >= 10_000 ? 200 : 1_000;
    for (let i = 0; i < 20; i += 1) evaluate(DEFAULT_POLICY, before, after);
    const times: number[] = [];
    let decision = '';
    let classes = 0;
    for (let i = 0; i < runs; i += 1) {
      const started = process.hrtime.bigint();
      const verdict = evaluate(DEFAULT_POLICY, before, after);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      decision = verdict.decision;
      classes = verdict.routing?.classes.length ?? 0;
    }
    times.sort((a, b) => a - b);
    table.push([targets.toLocaleString('en-US'), RULES_PER_LISTENER, classes, runs, quantile(times, 0.5).toFixed(2), quantile(times, 0.99).toFixed(2), decision]);
  }
  process.stdout.write(`evaluate (request classes before + after, their traffic, all rules), ${RULES_PER_LISTENER} overlapping rules on one listener\n${table.toString()}\n`);
}
