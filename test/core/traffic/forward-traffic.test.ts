import type { LoadBalancerSnapshot } from '../../../lambdas/core/model/snapshot';
import { HEALTH_THRESHOLD } from '../../../lambdas/core/traffic/group-spread';
import { groupShares, serverShare, serversAbove } from '../../../lambdas/core/traffic/forward-shares';
import { arns, forward, lb, target } from '../../helpers/snapshot-builder';
import { defaultForward, sharesOf } from '../../helpers/traffic';

/*
 * AWS pages these cases rest on:
 * - Weights split in proportion (0–999): https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-action-types.html#forward-actions
 * - Only healthy targets in enabled zones get requests; fail open "If a target group contains only unhealthy
 *   registered targets": https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
 * - Routing and DNS failover thresholds (`target_group_health.*`), per zone with cross-zone off:
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health.html
 * - A target in a zone that is not enabled is `unused` (Target.NotInUse):
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html
 * - An empty group answers 503: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html
 */

type Expected = { healthy: number; capacity?: number; unroutable?: boolean; unrouted?: number; failOpen?: string[] };

describe('Class: TrafficModel', () => {
  describe('Method: forward (shares per target)', () => {
    it.each<[string, () => LoadBalancerSnapshot, Record<string, number>, Expected]>([
      ['one group of 4 healthy', () => lb().group('blue', { healthy: 4 }).listener(80, forward('blue')).build(),
        { 'i-blue-1': 25, 'i-blue-2': 25, 'i-blue-3': 25, 'i-blue-4': 25 }, { healthy: 4, capacity: 4 }],
      ['blue 100 / green 0 (weight 0 gets nothing)', () => lb().group('blue', { healthy: 4 }).group('green', { healthy: 1 }).listener(80, forward({ blue: 100, green: 0 })).build(),
        { 'i-blue-1': 25, 'i-blue-2': 25, 'i-blue-3': 25, 'i-blue-4': 25 }, { healthy: 4, capacity: 4 }],
      ['blue 0 / green 100 (May 19)', () => lb().group('blue', { healthy: 4 }).group('green', { healthy: 1 }).listener(80, forward({ blue: 0, green: 100 })).build(),
        { 'i-green-1': 100 }, { healthy: 1, capacity: 1 }],
      ['weights 3:1 over single targets', () => lb().group('a', { healthy: 1 }).group('b', { healthy: 1 }).listener(80, forward({ a: 3, b: 1 })).build(),
        { 'i-a-1': 75, 'i-b-1': 25 }, { healthy: 2, capacity: 1.6 }],
      ['total weight 0: unroutable', () => lb().group('a', { healthy: 2 }).group('b', { healthy: 2 }).listener(80, forward({ a: 0, b: 0 })).build(),
        {}, { healthy: 0, capacity: 0, unroutable: true, unrouted: 1 }],
      ['half the weight to an empty group', () => lb().group('empty').group('b', { healthy: 2 }).listener(80, forward({ empty: 50, b: 50 })).build(),
        { 'i-b-1': 25, 'i-b-2': 25 }, { healthy: 2, capacity: 2, unrouted: 0.5 }],
      ['no healthy target: fails open to the unhealthy ones', () => lb().group('sick', { unhealthy: 2 }).listener(80, forward('sick')).build(),
        { 'i-sick-1': 50, 'i-sick-2': 50 }, { healthy: 0, capacity: 0, failOpen: ['sick'] }],
      ['initial targets wait while one is healthy', () => lb().group('g', { healthy: 1, initial: 2 }).listener(80, forward('g')).build(),
        { 'i-g-1': 100 }, { healthy: 1, capacity: 1 }],
      ['only initial targets: not healthy, no fail-open, no target takes requests', () => lb().group('g', { initial: 2 }).listener(80, forward('g')).build(),
        {}, { healthy: 0, capacity: 0, unroutable: true, unrouted: 1 }],
      ['initial and unhealthy: the fail-open goes to the unhealthy ones only', () => lb().group('g', { initial: 1, unhealthy: 1 }).listener(80, forward('g')).build(),
        { 'i-g-2': 100 }, { healthy: 0, capacity: 0, failOpen: ['g'] }],
      ['draining targets get no new requests', () => lb().group('g', { healthy: 1, draining: 3 }).listener(80, forward('g')).build(),
        { 'i-g-1': 100 }, { healthy: 1, capacity: 1 }],
      ['only draining targets: nothing registered, unroutable', () => lb().group('g', { draining: 2 }).listener(80, forward('g')).build(),
        {}, { healthy: 0, capacity: 0, unroutable: true, unrouted: 1 }],
      ['unused targets never get traffic, even failing open', () => lb().group('g', { unhealthy: 1, unused: 1 }).listener(80, forward('g')).build(),
        { 'i-g-1': 100 }, { healthy: 0, capacity: 0, failOpen: ['g'] }],
      ['unavailable (health checks off) counts as serving', () => lb().group('g', { unavailable: 2 }).listener(80, forward('g')).build(),
        { 'i-g-1': 50, 'i-g-2': 50 }, { healthy: 2, capacity: 2 }],
      ['cross-zone off: 3 targets in a, 1 in b', () => lb().crossZoneLb(false).group('g', { targets: [target('a1'), target('a2'), target('a3'), target('b1', 'healthy', 'us-east-1b')] }).listener(80, forward('g')).build(),
        { a1: 16.67, a2: 16.67, a3: 16.67, b1: 50 }, { healthy: 4 }],
      ['cross-zone off: a zone with no healthy target leaves DNS (default DNS failover count 1)', () => lb().crossZoneLb(false).group('g', { targets: [target('a1'), target('a2'), target('b1', 'unhealthy', 'us-east-1b')] }).listener(80, forward('g')).build(),
        { a1: 50, a2: 50 }, { healthy: 2, capacity: 2 }],
      ['cross-zone off, DNS failover off: zone b keeps its half and fails open there', () => lb().crossZoneLb(false)
        .group('g', { attributes: { [HEALTH_THRESHOLD.dnsCount]: 'off' }, targets: [target('a1'), target('a2'), target('b1', 'unhealthy', 'us-east-1b')] }).listener(80, forward('g')).build(),
        { a1: 25, a2: 25, b1: 50 }, { healthy: 2, failOpen: ['g'] }],
      ['cross-zone on at the group, off at the load balancer', () => lb().crossZoneLb(false).group('g', { crossZone: 'on', targets: [target('a1'), target('a2'), target('a3'), target('b1', 'healthy', 'us-east-1b')] }).listener(80, forward('g')).build(),
        { a1: 25, a2: 25, a3: 25, b1: 25 }, { healthy: 4, capacity: 4 }],
      ['cross-zone off: an IP target in zone "all" is reached from every zone', () => lb('edge', 'network').crossZoneLb(false).group('g', { targetType: 'ip', targets: [target('10.0.1.5'), target('192.0.2.10', 'healthy', 'all')] }).listener(80, forward('g')).build(),
        { '10.0.1.5': 25, '192.0.2.10': 75 }, { healthy: 2 }],
      ['one instance in two groups is one server', () => lb().group('a', { targets: [target('i-shared'), target('i-a')] }).group('b', { targets: [target('i-shared')] }).listener(80, forward({ a: 50, b: 50 })).build(),
        { 'i-shared': 75, 'i-a': 25 }, { healthy: 2, capacity: 1.6 }],
      ['routing failover count 3 with 2 healthy of 4: all four, unhealthy too', () => lb().group('g', { healthy: 2, unhealthy: 2, attributes: { [HEALTH_THRESHOLD.routingCount]: '3' } }).listener(80, forward('g')).build(),
        { 'i-g-1': 25, 'i-g-2': 25, 'i-g-3': 25, 'i-g-4': 25 }, { healthy: 2, capacity: 2, failOpen: ['g'] }],
      ['routing failover 60% with 2 healthy of 4 (50%): all four', () => lb().group('g', { healthy: 2, unhealthy: 2, attributes: { [HEALTH_THRESHOLD.routingPercentage]: '60' } }).listener(80, forward('g')).build(),
        { 'i-g-1': 25, 'i-g-2': 25, 'i-g-3': 25, 'i-g-4': 25 }, { healthy: 2, capacity: 2, failOpen: ['g'] }],
      ['routing failover 50% with 2 healthy of 4: met, healthy only', () => lb().group('g', { healthy: 2, unhealthy: 2, attributes: { [HEALTH_THRESHOLD.routingPercentage]: '50' } }).listener(80, forward('g')).build(),
        { 'i-g-1': 50, 'i-g-2': 50 }, { healthy: 2, capacity: 2 }],
    ])('%s', (_name, build, shares, expected) => {
      // Act
      const traffic = defaultForward(build());

      // Assess
      expect(sharesOf(traffic)).toEqual(shares);
      expect(traffic.healthyTargets).toBe(expected.healthy);
      if (expected.capacity !== undefined) expect(traffic.healthyCapacity).toBeCloseTo(expected.capacity, 6);
      expect(traffic.unroutable).toBe(expected.unroutable ?? false);
      expect(traffic.unroutedShare).toBeCloseTo(expected.unrouted ?? 0);
      expect(traffic.failOpenTargetGroupArns).toEqual((expected.failOpen ?? []).map((name) => arns.group(name)));
    });
  });

  describe('Method: forward (capacity counted by share)', () => {
    it('counts a group at weight 1 of 1000 as almost nothing: 1/999 and 0/100 to the same group are alike', () => {
      // Prepare
      const build = (blue: number, green: number) => lb().group('blue', { healthy: 4 }).group('green', { healthy: 2 }).listener(80, forward({ blue, green })).build();

      // Act
      const nearly = defaultForward(build(1, 999)).healthyCapacity;
      const fully = defaultForward(build(0, 100)).healthyCapacity;

      // Assess: membership would say 6 healthy targets serve the 1/999 split
      expect(defaultForward(build(1, 999)).healthyTargets).toBe(6);
      expect(nearly).toBeCloseTo(2, 2);
      expect(fully).toBe(2);
    });
  });

  describe('DNS failover across target groups', () => {
    it('takes a zone out of DNS for every group when one cross-zone-off group is below its threshold there', () => {
      // Prepare: group "thin" has no target in us-east-1b, so that zone leaves DNS for the whole load balancer
      const snapshot = lb()
        .crossZoneLb(false)
        .group('wide', { targets: [target('a1'), target('b1', 'healthy', 'us-east-1b')] })
        .group('thin', { targets: [target('a2')] })
        .listener(80, forward('wide'))
        .listener(81, forward('thin'))
        .build();

      // Act
      const traffic = defaultForward(snapshot);

      // Assess
      expect(sharesOf(traffic)).toEqual({ a1: 100 });
    });
  });

  describe('zones removed from the load balancer', () => {
    it('sends nothing to targets of a zone the load balancer no longer has', () => {
      // Prepare
      const snapshot = lb().zonesAre('us-east-1a').group('g', { targets: [target('a1'), target('b1', 'healthy', 'us-east-1b')] }).listener(80, forward('g')).build();

      // Act & Assess
      expect(sharesOf(defaultForward(snapshot))).toEqual({ a1: 100 });
    });
  });
});

describe('Module: forward-shares', () => {
  it('adds up the shares of an instance registered in two groups', () => {
    // Prepare
    const traffic = defaultForward(lb().group('a', { targets: [target('i-shared'), target('i-a')] }).group('b', { targets: [target('i-shared')] }).listener(80, forward({ a: 50, b: 50 })).build());

    // Act & Assess
    expect(serversAbove(traffic, 0.5)).toEqual([{ targetId: 'i-shared', share: 0.75, targetGroupArns: [arns.group('a'), arns.group('b')] }]);
    expect(serverShare(traffic, 'i-a')).toBeCloseTo(0.25);
    expect(groupShares(traffic)).toEqual([
      { targetGroupArn: arns.group('a'), share: 0.5, targets: 2 },
      { targetGroupArn: arns.group('b'), share: 0.5, targets: 1 },
    ]);
  });

  it('answers from segments what the per-target list says', () => {
    // Prepare
    const traffic = defaultForward(lb().crossZoneLb(false).group('g', { targets: [target('a1'), target('a2'), target('b1', 'healthy', 'us-east-1b')] }).listener(80, forward('g')).build());

    // Act & Assess
    for (const t of traffic.targets) expect(serverShare(traffic, t.targetId)).toBeCloseTo(t.share);
    expect(serversAbove(traffic, 0.3).map((s) => s.targetId)).toEqual(traffic.targets.filter((t) => t.share > 0.3).map((t) => t.targetId));
  });
});
