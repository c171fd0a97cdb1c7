import type { LoadBalancerSnapshot } from '../../../lambdas/core/model/snapshot';
import { computeTraffic } from '../../../lambdas/core/traffic/compute-traffic';
import type { PathTraffic } from '../../../lambdas/core/traffic/types';
import { arns, fixedResponse, forward, lb, redirect, target } from '../../helpers/snapshot-builder';

/** A path's shares as `{ targetId: percent }`, rounded to 0.01%, summed per target id. */
function sharesOf(path: PathTraffic): Record<string, number> {
  const sums = new Map<string, number>();
  for (const t of path.targets) sums.set(t.targetId, (sums.get(t.targetId) ?? 0) + t.share);
  return Object.fromEntries([...sums].map(([id, share]) => [id, Math.round(share * 10000) / 100]));
}

function defaultPath(snapshot: LoadBalancerSnapshot): PathTraffic {
  return computeTraffic(snapshot)[0];
}

describe('Function: computeTraffic', () => {
  describe('shares of the default path', () => {
    it.each<[string, () => LoadBalancerSnapshot, Record<string, number>, { healthy: number; unroutable?: boolean; unrouted?: number; failOpen?: string[] }]>([
      ['one group of 4 healthy', () => lb().group('blue', { healthy: 4 }).listener(80, forward('blue')).build(),
        { 'i-blue-1': 25, 'i-blue-2': 25, 'i-blue-3': 25, 'i-blue-4': 25 }, { healthy: 4 }],
      ['blue 100 / green 0 (weight 0 gets nothing)', () => lb().group('blue', { healthy: 4 }).group('green', { healthy: 1 }).listener(80, forward({ blue: 100, green: 0 })).build(),
        { 'i-blue-1': 25, 'i-blue-2': 25, 'i-blue-3': 25, 'i-blue-4': 25 }, { healthy: 4 }],
      ['blue 0 / green 100 (May 19)', () => lb().group('blue', { healthy: 4 }).group('green', { healthy: 1 }).listener(80, forward({ blue: 0, green: 100 })).build(),
        { 'i-green-1': 100 }, { healthy: 1 }],
      ['50/50 over two groups of 4', () => lb().group('blue', { healthy: 4 }).group('green', { healthy: 4 }).listener(80, forward({ blue: 50, green: 50 })).build(),
        { 'i-blue-1': 12.5, 'i-blue-2': 12.5, 'i-blue-3': 12.5, 'i-blue-4': 12.5, 'i-green-1': 12.5, 'i-green-2': 12.5, 'i-green-3': 12.5, 'i-green-4': 12.5 }, { healthy: 8 }],
      ['weights 3:1 over single targets', () => lb().group('a', { healthy: 1 }).group('b', { healthy: 1 }).listener(80, forward({ a: 3, b: 1 })).build(),
        { 'i-a-1': 75, 'i-b-1': 25 }, { healthy: 2 }],
      ['total weight 0: unroutable', () => lb().group('a', { healthy: 2 }).group('b', { healthy: 2 }).listener(80, forward({ a: 0, b: 0 })).build(),
        {}, { healthy: 0, unroutable: true, unrouted: 1 }],
      ['half the weight to an empty group', () => lb().group('empty').group('b', { healthy: 2 }).listener(80, forward({ empty: 50, b: 50 })).build(),
        { 'i-b-1': 25, 'i-b-2': 25 }, { healthy: 2, unrouted: 0.5 }],
      ['only an empty group: unroutable', () => lb().group('empty').listener(80, forward('empty')).build(),
        {}, { healthy: 0, unroutable: true, unrouted: 1 }],
      ['no healthy target: fails open to all registered', () => lb().group('sick', { unhealthy: 2 }).listener(80, forward('sick')).build(),
        { 'i-sick-1': 50, 'i-sick-2': 50 }, { healthy: 0, failOpen: ['sick'] }],
      ['initial targets wait while one is healthy', () => lb().group('g', { healthy: 1, initial: 2 }).listener(80, forward('g')).build(),
        { 'i-g-1': 100 }, { healthy: 1 }],
      ['only initial targets: fail open over them', () => lb().group('g', { initial: 2 }).listener(80, forward('g')).build(),
        { 'i-g-1': 50, 'i-g-2': 50 }, { healthy: 0, failOpen: ['g'] }],
      ['draining targets get no new requests', () => lb().group('g', { healthy: 1, draining: 3 }).listener(80, forward('g')).build(),
        { 'i-g-1': 100 }, { healthy: 1 }],
      ['only draining targets: nothing registered, unroutable', () => lb().group('g', { draining: 2 }).listener(80, forward('g')).build(),
        {}, { healthy: 0, unroutable: true, unrouted: 1 }],
      ['unused targets never get traffic, even failing open', () => lb().group('g', { unhealthy: 1, unused: 1 }).listener(80, forward('g')).build(),
        { 'i-g-1': 100 }, { healthy: 0, failOpen: ['g'] }],
      ['unavailable (health checks off) counts as serving', () => lb().group('g', { unavailable: 2 }).listener(80, forward('g')).build(),
        { 'i-g-1': 50, 'i-g-2': 50 }, { healthy: 2 }],
      ['cross-zone off: 3 targets in a, 1 in b', () => lb().crossZoneLb(false).group('g', { targets: [target('a1'), target('a2'), target('a3'), target('b1', 'healthy', 'us-east-1b')] }).listener(80, forward('g')).build(),
        { a1: 16.67, a2: 16.67, a3: 16.67, b1: 50 }, { healthy: 4 }],
      ['cross-zone off: a zone with no healthy target drops out', () => lb().crossZoneLb(false).group('g', { targets: [target('a1'), target('a2'), target('b1', 'unhealthy', 'us-east-1b')] }).listener(80, forward('g')).build(),
        { a1: 50, a2: 50 }, { healthy: 2 }],
      ['cross-zone off at the group, on at the load balancer', () => lb().group('g', { crossZone: 'off', targets: [target('a1'), target('a2'), target('a3'), target('b1', 'healthy', 'us-east-1b')] }).listener(80, forward('g')).build(),
        { a1: 16.67, a2: 16.67, a3: 16.67, b1: 50 }, { healthy: 4 }],
      ['cross-zone on at the group, off at the load balancer', () => lb().crossZoneLb(false).group('g', { crossZone: 'on', targets: [target('a1'), target('a2'), target('a3'), target('b1', 'healthy', 'us-east-1b')] }).listener(80, forward('g')).build(),
        { a1: 25, a2: 25, a3: 25, b1: 25 }, { healthy: 4 }],
      ['cross-zone off: an IP target in zone "all" is reached from every zone', () => lb('edge', 'network').crossZoneLb(false).group('g', { targetType: 'ip', targets: [target('10.0.1.5'), target('192.0.2.10', 'healthy', 'all')] }).listener(80, forward('g')).build(),
        { '10.0.1.5': 25, '192.0.2.10': 75 }, { healthy: 2 }],
      ['one instance in two groups is one server', () => lb().group('a', { targets: [target('i-shared'), target('i-a')] }).group('b', { targets: [target('i-shared')] }).listener(80, forward({ a: 50, b: 50 })).build(),
        { 'i-shared': 75, 'i-a': 25 }, { healthy: 2 }],
    ])('%s', (_name, build, shares, expected) => {
      // Prepare
      const snapshot = build();

      // Act
      const path = defaultPath(snapshot);

      // Assess
      expect(sharesOf(path)).toEqual(shares);
      expect(path.healthyTargets).toBe(expected.healthy);
      expect(path.unroutable).toBe(expected.unroutable ?? false);
      expect(path.unroutedShare).toBeCloseTo(expected.unrouted ?? 0);
      expect(path.failOpenTargetGroupArns).toEqual((expected.failOpen ?? []).map((name) => arns.group(name)));
      expect(path.nonForwarding).toBe(false);
    });
  });

  it('marks fail-open targets as not healthy and orders targets largest first', () => {
    // Prepare
    const snapshot = lb().group('sick', { unhealthy: 1 }).group('ok', { healthy: 2 }).listener(80, forward({ sick: 50, ok: 50 })).build();

    // Act
    const path = defaultPath(snapshot);

    // Assess
    expect(path.targets.map((t) => [t.targetId, t.healthy, t.share])).toEqual([
      ['i-sick-1', false, 0.5],
      ['i-ok-1', true, 0.25],
      ['i-ok-2', true, 0.25],
    ]);
  });

  it('lists one path per default rule and per rule, in priority order, with readable labels', () => {
    // Prepare
    const snapshot = lb()
      .group('web', { healthy: 2 })
      .group('api', { healthy: 1 })
      .listener(80, redirect())
      .listener(443, forward('web'))
      .rule(443, 20, { host: 'admin.example.com' }, fixedResponse('403'))
      .rule(443, 10, { path: '/api/*', method: 'POST' }, forward('api'))
      .build();

    // Act
    const paths = computeTraffic(snapshot);

    // Assess
    expect(paths.map((p) => [p.path.label, p.nonForwarding])).toEqual([
      ['HTTP:80 default', true],
      ['HTTPS:443 default', false],
      ['HTTPS:443 priority 10 (path /api/*, method POST)', false],
      ['HTTPS:443 priority 20 (host admin.example.com)', true],
    ]);
    expect(paths[2].path.ruleArn).toBe(arns.rule(443, 10));
  });

  it('computes 10,000 targets and 100 rules quickly', () => {
    // Prepare
    const builder = lb();
    for (let g = 0; g < 10; g += 1) builder.group(`g${g}`, { healthy: 1000 });
    builder.listener(80, forward({ g0: 50, g1: 50 }));
    for (let r = 1; r <= 100; r += 1) builder.rule(80, r, { path: `/r${r}/*` }, forward({ [`g${r % 10}`]: 1, [`g${(r + 1) % 10}`]: r % 7 }));
    const snapshot = builder.build();

    // Act
    const started = performance.now();
    const paths = computeTraffic(snapshot);
    const elapsed = performance.now() - started;

    // Assess
    expect(paths).toHaveLength(101);
    expect(elapsed).toBeLessThan(200);
  });
});
