import type { LoadContext } from '../../../lambdas/core/capacity/load-types';
import type { LoadBalancerSnapshot } from '../../../lambdas/core/model/snapshot';
import { DEFAULT_POLICY } from '../../../lambdas/core/policy/default-policy';
import { evaluate } from '../../../lambdas/core/policy/evaluate';
import { validatePolicy } from '../../../lambdas/core/policy/validate-policy';
import { arnsFor, forward, lb, may19 } from '../../helpers/snapshot-builder';
import { observed, proven } from '../capacity/capacity-fixtures';

/**
 * capacity-headroom, table-driven through `evaluate` with the default policy: predicted requests per target
 * (from `RequestCount` per target group; NLB `NewFlowCount`) against the capacity each has proven
 * (`RequestCountPerTarget`, statistic Sum only).
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-cloudwatch-metrics.html
 */
const cutover = (blue: number, green: number) => lb('web').group('blue', { healthy: 4 }).group('green', { healthy: 2 }).listener(80, forward({ blue, green })).build();
const quiet = (admin: string) =>
  lb('web').group('blue', { healthy: 4 }).group('admin', { healthy: 2 }).group('green', { healthy: 1 }).listener(80, forward({ blue: 1 })).rule(80, 10, { path: '/admin/*' }, forward({ [admin]: 1 })).build();
const nlbArns = arnsFor('tcp', 'network');
const nlb = (blue: number, green: number) => lb('tcp', 'network').group('blue', { healthy: 4 }).group('green', { healthy: 2 }).listener(443, forward({ blue, green }), 'TCP').build();
const unavailable = (reason: 'throttled' | 'no-traffic', detail: string): LoadContext => ({ reading: { status: 'unavailable', reason, detail } });

interface Case {
  readonly name: string;
  readonly before: LoadBalancerSnapshot;
  readonly after: LoadBalancerSnapshot;
  readonly load: LoadContext;
  readonly decision: 'allow' | 'warn' | 'block';
  readonly basis: 'metrics' | 'shares';
  /** Every capacity-headroom finding that is not info, as `severity: message` patterns. */
  readonly messages: RegExp[];
}

const CASES: Case[] = [
  {
    name: 'the flip: one green server would take 4,000 where no blue carried more than 1,050',
    before: may19({ blue: 100, green: 0 }),
    after: may19({ blue: 0, green: 100 }),
    load: observed({ blue: 4000 }, proven({ blue: 1050 })),
    decision: 'block',
    basis: 'metrics',
    messages: [/^block: all requests on HTTP:80, the default rule: i-green-1 \(green\) would receive about 4,000 requests\/min, was 0; no blue target has carried more than 1,050\/min in 14 days \(limit \+25%: 1,313\/min\); green has no history of its own: judged by blue, which served these requests before \(the usual case is the same instance kind\)$/],
  },
  {
    name: 'a cutover to a smaller green group: 2,000 each, which the share rules allow',
    before: cutover(100, 0),
    after: cutover(0, 100),
    load: observed({ blue: 4000 }, proven({ blue: 1000 })),
    decision: 'block',
    basis: 'metrics',
    messages: [/^block: .*: i-green-1 \(green\) would receive about 2,000 requests\/min \(and 1 other target of green alike\), was 0; no blue target has carried more than 1,000\/min in 14 days \(limit \+25%: 1,250\/min\)/],
  },
  {
    name: 'a quiet /admin/* class moved onto one server that has carried far more: a warning, not a block',
    before: quiet('admin'),
    after: quiet('green'),
    load: observed({ blue: 3980, admin: 20 }, proven({ blue: 1000, admin: 10, green: 1200 })),
    decision: 'warn',
    basis: 'metrics',
    messages: [],
  },
  {
    name: 'an NLB counts new flows',
    before: nlb(100, 0),
    after: nlb(0, 100),
    load: observed({ blue: 800 }, proven({ blue: 200 }, nlbArns.loadBalancer, nlbArns.group), nlbArns.group, 'NewFlowCount'),
    decision: 'block',
    basis: 'metrics',
    messages: [/^block: .*: i-green-1 \(green\) would receive about 400 new flows\/min \(and 1 other target of green alike\), was 0; no blue target has carried more than 200\/min/],
  },
  {
    name: 'missing metrics (no traffic yet): the share rules decide, and the verdict says so',
    before: cutover(100, 0),
    after: cutover(0, 100),
    load: unavailable('no-traffic', 'no RequestCount datapoints in the last 15 minutes (a new load balancer, or no traffic yet)'),
    decision: 'allow',
    basis: 'shares',
    messages: [],
  },
  {
    name: 'a throttled metrics call: the share rules decide, and the verdict says so',
    before: may19({ blue: 100, green: 0 }),
    after: may19({ blue: 0, green: 100 }),
    load: unavailable('throttled', 'GetMetricData was throttled (ThrottlingException)'),
    decision: 'block',
    basis: 'shares',
    messages: [],
  },
  {
    name: 'a group that never served, taking traffic from groups that never did either: left to the share rules',
    before: cutover(100, 0),
    after: cutover(0, 100),
    load: observed({ blue: 4000 }, proven({})),
    decision: 'allow',
    basis: 'metrics',
    messages: [],
  },
  {
    name: 'a load a target already carried before the change only warns (unchanged risk)',
    before: may19({ blue: 100, green: 0 }),
    after: lb('web').group('blue', { healthy: 4 }).group('green', { healthy: 1 }).listener(80, forward({ blue: 100, green: 0 })).listener(8080, forward({ blue: 1 })).build(),
    load: observed({ blue: 8000 }, proven({ blue: 1000 })),
    decision: 'warn',
    basis: 'metrics',
    messages: [/^warn: .*i-blue-\d \(blue\) would receive about 2,000 requests\/min \(and 3 other targets of blue alike\), was 2,000;.*\(unchanged: it already received that before the change\)$/],
  },
];

describe('Rule: capacity-headroom', () => {
  it.each(CASES)('$name', ({ before, after, load, decision, basis, messages }) => {
    // Act
    const verdict = evaluate(DEFAULT_POLICY, before, after, { load });

    // Assess
    expect(verdict.decision).toBe(decision);
    expect(verdict.load?.basis).toBe(basis);
    const mine = verdict.findings.filter((f) => f.ruleId === 'capacity-headroom' && f.severity !== 'info').map((f) => `${f.severity}: ${f.message}`);
    expect(mine).toHaveLength(messages.length);
    messages.forEach((pattern, i) => expect(mine[i]).toMatch(pattern));
  });

  it('says which reason made the verdict fall back to shares', () => {
    const verdict = evaluate(DEFAULT_POLICY, may19({ blue: 100, green: 0 }), may19({ blue: 0, green: 100 }), { load: unavailable('throttled', 'GetMetricData was throttled (ThrottlingException)') });
    expect(verdict.findings.find((f) => f.ruleId === 'capacity-headroom')?.message).toBe('judged by shares, not load: GetMetricData was throttled (ThrottlingException)');
    expect(verdict.load).toEqual({ basis: 'shares', reason: 'GetMetricData was throttled (ThrottlingException)' });
  });

  it('lowers the share blocks of the quiet class to warnings with the numbers', () => {
    const verdict = evaluate(DEFAULT_POLICY, quiet('admin'), quiet('green'), { load: observed({ blue: 3980, admin: 20 }, proven({ blue: 1000, admin: 10, green: 1200 })) });
    const share = verdict.findings.find((f) => f.ruleId === 'max-target-share');
    expect(share?.severity).toBe('warn');
    expect(share?.message).toMatch(/lowered to a warning: the load stays within proven capacity \(i-green-1 would receive about 20 requests\/min; no green target has carried more than 1,200\/min in 14 days\)/);
  });

  it('keeps the share blocks when the policy says not to lower them', () => {
    const policy = validatePolicy({ rules: { 'capacity-headroom': { lowerShareBlocks: false } } });
    const verdict = evaluate(policy, quiet('admin'), quiet('green'), { load: observed({ blue: 3980, admin: 20 }, proven({ blue: 1000, admin: 10, green: 1200 })) });
    expect(verdict.decision).toBe('block');
  });

  it('judges a group with no history by its capacity tag before its source groups', () => {
    const after = cutover(0, 100);
    const green = after.targetGroups.find((g) => g.name === 'green');
    if (green === undefined) throw new Error('no green');
    green.tags = { 'elb-watchdog:capacity-per-minute': '2500' };
    const verdict = evaluate(DEFAULT_POLICY, cutover(100, 0), after, { load: observed({ blue: 4000 }, proven({ blue: 1000 })) });
    expect(verdict.decision).toBe('allow');
  });

  it('rejects a bad parameter with an error naming the field', () => {
    expect(() => validatePolicy({ rules: { 'capacity-headroom': { marginPercent: -5 } } })).toThrow(/rules\.capacity-headroom\.marginPercent/);
    expect(() => validatePolicy({ rules: { 'capacity-headroom': { lookbackHours: 5000 } } })).toThrow(/rules\.capacity-headroom\.lookbackHours/);
  });
});
