import { validatePolicy } from '../../../lambdas/core/policy';
import { auditLoadBalancers, type AuditDependencies } from '../../../lambdas/core/workflow/audit-load-balancers';
import { forward, lb } from '../../helpers/snapshot-builder';
import { InMemoryLoadBalancer, InMemoryStateStore, RecordingNotifier } from './in-memory-ports';

function setUp(builder: ReturnType<typeof lb>) {
  const world = new InMemoryLoadBalancer(builder.build());
  const store = new InMemoryStateStore();
  const notifier = new RecordingNotifier();
  const deps: AuditDependencies = { reader: world, store, notifier, policy: validatePolicy({ mode: 'enforce' }), scope: { type: 'all' } };
  return { world, store, notifier, deps };
}

describe('Function: auditLoadBalancers', () => {
  it('stores a first baseline and reports a pre-existing single-target risk once, not every run', async () => {
    // Prepare
    const { store, notifier, deps } = setUp(lb('dev').group('app', { healthy: 1 }).listener(80, forward('app')));

    // Act
    const first = await auditLoadBalancers(deps);
    const second = await auditLoadBalancers(deps);

    // Assess
    expect(first[0]).toMatchObject({ status: 'baseline-created', newlyReported: 1 });
    expect(second[0]).toMatchObject({ status: 'baseline-refreshed', newlyReported: 0 });
    expect(notifier.published).toHaveLength(1);
    expect(notifier.published[0].subject).toBe('RISK: dev has a pre-existing traffic risk');
    expect(notifier.published[0].body).toContain('i-app-1');
    expect(store.lastKnownGood.size).toBe(1);
  });

  it('reports unsafe drift that no event explained the first time it sees it, keeps the baseline, and does not revert yet', async () => {
    const builder = lb('web').group('blue', { healthy: 4 }).group('green', { healthy: 1 }).listener(80, forward({ blue: 100, green: 0 }));
    const { world, store, notifier, deps } = setUp(builder);
    await auditLoadBalancers(deps);
    world.snapshot = lb('web').group('blue', { healthy: 4 }).group('green', { healthy: 1 }).listener(80, forward({ blue: 0, green: 100 })).build();

    const results = await auditLoadBalancers(deps);

    expect(results[0].status).toBe('unsafe-drift');
    expect(world.appliedSteps).toEqual([]);
    expect(store.lastKnownGood.get(world.snapshot.loadBalancer.arn)?.version).toBe(1);
    expect(notifier.published.map((n) => n.subject)).toEqual(['DRIFT: web differs unsafely from its last known good']);
  });

  it('accepts safe drift as the new baseline', async () => {
    const { world, store, deps } = setUp(lb('web').group('blue', { healthy: 4 }).group('green', { healthy: 4 }).listener(80, forward({ blue: 100, green: 0 })));
    await auditLoadBalancers(deps);
    world.snapshot = lb('web').group('blue', { healthy: 4 }).group('green', { healthy: 4 }).listener(80, forward({ blue: 50, green: 50 })).build();

    const results = await auditLoadBalancers(deps);

    expect(results[0].status).toBe('safe-drift-accepted');
    expect(store.lastKnownGood.get(world.snapshot.loadBalancer.arn)?.version).toBe(2);
  });
});
