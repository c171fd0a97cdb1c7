import { dimensionOf, type LoadBalancerNode, type TargetGroupNode, type Topology } from '../../../sim/traffic/topology';
import { splitTraffic } from '../../../sim/traffic/traffic-split';

type TargetSpec = [id: string, zone: string, state?: string];

function group(name: string, targets: TargetSpec[], crossZone?: boolean): TargetGroupNode {
  const arn = `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${name}/0000000000000000`;
  return { arn, name, dimension: dimensionOf(arn), crossZone, targets: targets.map(([id, zone, state]) => ({ id, zone, backendState: state ?? 'healthy' })) };
}

function topology(forwards: { group: TargetGroupNode; weight: number }[], options: { type?: LoadBalancerNode['type']; crossZone?: boolean; listeners?: number } = {}): Topology {
  const arn = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1111111111111111';
  const listener = (i: number) => ({ arn: `${arn}-l${i}`, paths: [{ isDefault: true, forwards: forwards.map((f) => ({ targetGroupArn: f.group.arn, weight: f.weight })) }] });
  const lb: LoadBalancerNode = {
    arn,
    name: 'web',
    type: options.type ?? 'application',
    dimension: dimensionOf(arn),
    zones: ['a', 'b'],
    crossZone: options.crossZone ?? true,
    listeners: Array.from({ length: options.listeners ?? 1 }, (_, i) => listener(i)),
  };
  return { loadBalancers: [lb], targetGroups: new Map(forwards.map((f) => [f.group.arn, f.group])) };
}

const rate = (n: number) => ({ rateOf: () => n, isUp: () => true });

describe('Traffic: splitTraffic', () => {
  const blue = group('blue', [['b1', 'a'], ['b2', 'a'], ['b3', 'b'], ['b4', 'b']]);
  const green = group('green', [['g1', 'a']]);

  it.each([
    [100, 0, { b1: 1000, b2: 1000, b3: 1000, b4: 1000 }],
    [0, 100, { g1: 4000 }],
    [50, 50, { b1: 500, b2: 500, b3: 500, b4: 500, g1: 2000 }],
  ])('follows forward weights blue %i / green %i', (wb, wg, expected) => {
    const split = splitTraffic(topology([{ group: blue, weight: wb }, { group: green, weight: wg }]), rate(4000));
    expect(Object.fromEntries(split.perTarget)).toEqual(expected);
  });

  it('routes around an unhealthy target, and fails open when none is healthy', () => {
    const t = topology([{ group: blue, weight: 1 }]);
    const oneDown = splitTraffic(t, { rateOf: () => 3000, isUp: (id) => id !== 'b1' });
    expect(oneDown.perTarget.get('b1')).toBeUndefined();
    expect(oneDown.perTarget.get('b2')).toBe(1000);
    const allDown = splitTraffic(t, { rateOf: () => 4000, isUp: () => false });
    expect(allDown.flows[0]).toMatchObject({ failOpen: true, healthy: 0, unhealthy: 4 });
    expect(allDown.perTarget.get('b1')).toBe(1000);
  });

  it('leaves draining and unused targets out, even when failing open', () => {
    const g = group('g', [['t1', 'a', 'draining'], ['t2', 'a', 'unhealthy'], ['t3', 'a', 'unused']]);
    const split = splitTraffic(topology([{ group: g, weight: 1 }]), rate(100));
    expect(Object.fromEntries(split.perTarget)).toEqual({ t2: 100 });
  });

  it('splits per zone first when cross-zone is off (NLB default), or per target group override', () => {
    const uneven = group('uneven', [['a1', 'a'], ['a2', 'a'], ['b1', 'b']]);
    const off = splitTraffic(topology([{ group: uneven, weight: 1 }], { type: 'network', crossZone: false }), rate(1000));
    expect(Object.fromEntries(off.perTarget)).toEqual({ a1: 250, a2: 250, b1: 500 });
    const override = group('override', [['a1', 'a'], ['a2', 'a'], ['b1', 'b']], false);
    expect(Object.fromEntries(splitTraffic(topology([{ group: override, weight: 1 }]), rate(1000)).perTarget)).toEqual({ a1: 250, a2: 250, b1: 500 });
  });

  it('counts zero total weight and empty groups as unroutable', () => {
    expect(splitTraffic(topology([{ group: blue, weight: 0 }]), rate(600)).perLoadBalancer.values().next().value).toEqual({ requests: 600, unroutable: 600 });
    const empty = group('empty', []);
    expect(splitTraffic(topology([{ group: empty, weight: 1 }]), rate(600)).perLoadBalancer.values().next().value).toEqual({ requests: 600, unroutable: 600 });
  });

  it('splits evenly over listeners', () => {
    const split = splitTraffic(topology([{ group: green, weight: 1 }], { listeners: 2 }), rate(1000));
    expect(split.perTarget.get('g1')).toBe(1000);
    expect(split.flows).toHaveLength(1);
  });
});
