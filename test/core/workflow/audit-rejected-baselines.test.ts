import { validatePolicy } from '../../../lambdas/core/policy';
import type { UntrustedBaseline } from '../../../lambdas/core/ports';
import { auditLoadBalancers, type AuditDependencies } from '../../../lambdas/core/workflow/audit-load-balancers';
import { forward, lb } from '../../helpers/snapshot-builder';
import { InMemoryLoadBalancer, InMemoryStateStore, RecordingNotifier } from './in-memory-ports';

const web = lb('web').group('blue', { healthy: 4 }).group('green', { healthy: 4 }).listener(80, forward({ blue: 100, green: 0 }));

function setUp(stored: UntrustedBaseline) {
  const world = new InMemoryLoadBalancer(web.build());
  const store = new InMemoryStateStore();
  const notifier = new RecordingNotifier();
  store.lastKnownGood.set(web.arns.loadBalancer, stored);
  const deps: AuditDependencies = { reader: world, store, notifier, policy: validatePolicy({ mode: 'enforce' }), scope: { type: 'all' } };
  return { store, notifier, deps };
}

describe('Function: auditLoadBalancers, with a rejected baseline', () => {
  it('replaces a baseline whose MAC fails with the live configuration, and says so once', async () => {
    // Prepare
    const { store, notifier, deps } = setUp({ untrusted: 'mac-invalid', version: 5 });

    // Act
    const [first] = await auditLoadBalancers(deps);
    const replaced = store.lastKnownGood.get(web.arns.loadBalancer);
    const [second] = await auditLoadBalancers(deps);

    // Assess
    expect(first).toMatchObject({ status: 'baseline-replaced', rejectedBaseline: { code: 'mac-invalid', version: 5 }, newlyReported: 1 });
    expect(second).toMatchObject({ status: 'baseline-refreshed', newlyReported: 0 });
    expect(replaced).toMatchObject({ version: 6, snapshot: { loadBalancer: { name: 'web' } } });
    expect(notifier.published.map((n) => n.subject)).toEqual(['BASELINE REJECTED: web has a fresh baseline']);
    expect(notifier.published[0].body).toMatch(/rejected: its MAC does not match its content/);
    expect(notifier.published[0].attributes.kind).toBe('baseline-rejected');
  });

  it('replaces a baseline stored before baselines were signed without a notification (one per load balancer after an upgrade)', async () => {
    const { store, notifier, deps } = setUp({ untrusted: 'mac-missing', version: 2 });

    const [result] = await auditLoadBalancers(deps);

    expect(result).toMatchObject({ status: 'baseline-replaced', rejectedBaseline: { code: 'mac-missing' }, newlyReported: 0 });
    expect(store.lastKnownGood.get(web.arns.loadBalancer)).toMatchObject({ version: 3 });
    expect(notifier.published).toEqual([]);
  });
});
