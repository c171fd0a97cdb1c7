import type { LoadBalancerSnapshot } from '../../../lambdas/core/model/snapshot';
import { computeTraffic } from '../../../lambdas/core/traffic/compute-traffic';
import { groupShares, serverShare, serversAbove } from '../../../lambdas/core/traffic/path-shares';
import type { PathTraffic } from '../../../lambdas/core/traffic/types';
import { arns, forward, lb, target } from '../../helpers/snapshot-builder';

const cases: [string, () => LoadBalancerSnapshot][] = [
  ['weights 3:1 over single targets', () => lb().group('a', { healthy: 1 }).group('b', { healthy: 1 }).listener(80, forward({ a: 3, b: 1 })).build()],
  ['one instance in two groups', () => lb().group('a', { targets: [target('i-shared'), target('i-a')] }).group('b', { targets: [target('i-shared')] }).listener(80, forward({ a: 50, b: 50 })).build()],
  ['cross-zone off, uneven zones', () => lb().crossZoneLb(false).group('g', { targets: [target('a1'), target('a2'), target('b1', 'healthy', 'us-east-1b')] }).listener(80, forward('g')).build()],
];

/** The same path without its segments (as after JSON or structuredClone): answers come from `targets`. */
function copied(path: PathTraffic): PathTraffic {
  return JSON.parse(JSON.stringify(path)) as PathTraffic;
}

describe('Module: path-shares', () => {
  it.each(cases)('serversAbove gives the same answer from segments and from targets (%s)', (_name, build) => {
    // Prepare
    const [path] = computeTraffic(build());

    // Act
    const fast = serversAbove(path, 0.3);
    const slow = serversAbove(copied(path), 0.3);

    // Assess
    expect(fast.map((s) => [s.targetId, s.share.toFixed(6)])).toEqual(slow.map((s) => [s.targetId, s.share.toFixed(6)]));
    expect(fast.length).toBeGreaterThan(0);
  });

  it.each(cases)('serverShare and groupShares agree with targets (%s)', (_name, build) => {
    // Prepare
    const [path] = computeTraffic(build());
    const ids = [...new Set(path.targets.map((t) => t.targetId))];

    // Act & Assess
    for (const id of ids) expect(serverShare(path, id)).toBeCloseTo(serverShare(copied(path), id));
    expect(groupShares(path)).toEqual(groupShares(copied(path)));
  });

  it('adds up the shares of an instance registered in two groups', () => {
    // Prepare
    const [path] = computeTraffic(cases[1][1]());

    // Act
    const top = serversAbove(path, 0.5);

    // Assess
    expect(top).toEqual([{ targetId: 'i-shared', share: 0.75 }]);
    expect(groupShares(path)).toEqual([
      { targetGroupArn: arns.group('a'), share: 0.5, targets: 2 },
      { targetGroupArn: arns.group('b'), share: 0.5, targets: 1 },
    ]);
  });

  it('keeps targets in JSON and in structured clones (they are built on first read)', () => {
    // Prepare
    const [path] = computeTraffic(cases[0][1]());

    // Act
    const json = JSON.parse(JSON.stringify(path)) as PathTraffic;
    const clone = structuredClone(path);

    // Assess
    expect(json.targets.map((t) => t.targetId)).toEqual(['i-a-1', 'i-b-1']);
    expect(clone.targets).toEqual(path.targets);
  });
});
