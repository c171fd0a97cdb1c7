import { LoadBalancerSnapshotSchema } from '../../../lambdas/core/model/snapshot';

const minimal = {
  schemaVersion: 1,
  capturedAt: '2026-05-19T14:02:11.000Z',
  loadBalancer: { arn: 'arn:lb', name: 'web', type: 'application', crossZoneEnabled: true },
  listeners: [
    {
      arn: 'arn:listener',
      port: 80,
      protocol: 'HTTP',
      defaultActions: [{ type: 'forward', forward: { targetGroups: [{ targetGroupArn: 'arn:tg', weight: 100 }] } }],
    },
  ],
  targetGroups: [{ arn: 'arn:tg', name: 'web-blue', targetType: 'instance', targets: [{ id: 'i-1', health: 'healthy' }] }],
};

describe('Schema: LoadBalancerSnapshot', () => {
  it('accepts a minimal snapshot and fills defaults', () => {
    const parsed = LoadBalancerSnapshotSchema.parse(minimal);
    expect(parsed.listeners[0].rules).toEqual([]);
    expect(parsed.targetGroups[0].crossZone).toBe('inherit');
  });

  it.each([
    ['a weight above 999', (s: typeof minimal) => (s.listeners[0].defaultActions[0].forward.targetGroups[0].weight = 1000)],
    ['an unknown health state', (s: typeof minimal) => (s.targetGroups[0].targets[0].health = 'sick')],
    ['a port of 0', (s: typeof minimal) => (s.listeners[0].port = 0)],
  ])('rejects %s', (_name, mutate) => {
    const snapshot = structuredClone(minimal);
    mutate(snapshot);
    expect(LoadBalancerSnapshotSchema.safeParse(snapshot).success).toBe(false);
  });
});
