import { validatePolicy } from '../../../lambdas/core/policy';
import { auditLoadBalancers, type AuditDependencies } from '../../../lambdas/core/workflow/audit-load-balancers';
import { may19 } from '../../helpers/snapshot-builder';
import { InMemoryLoadBalancer, InMemoryStateStore, RecordingNotifier } from './in-memory-ports';

// CloudTrail's events reach EventBridge "on a best effort basis" and may be lost
// (https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-cloudtrail.html,
// https://docs.aws.amazon.com/eventbridge/latest/userguide/event-types.html): the audit is what catches a
// change whose event never came. Decided in issue 14: in enforce mode it undoes unexplained unsafe drift of
// routing, and only reports drift of target membership.

function setUp(mode: 'enforce' | 'dry-run' = 'enforce') {
  const world = new InMemoryLoadBalancer(may19({ blue: 100, green: 0 }));
  const store = new InMemoryStateStore();
  const notifier = new RecordingNotifier();
  const deps: AuditDependencies = { reader: world, store, notifier, policy: validatePolicy({ mode }), scope: { type: 'all' }, applier: world, now: () => new Date('2026-12-07T05:00:00Z') };
  return { world, store, notifier, deps };
}

describe('Function: auditLoadBalancers, undoing drift whose event was lost', () => {
  it('records an unsafe routing drift the first time, and reverts it at the next audit when nothing explained it', async () => {
    // Prepare: a baseline, then the May 19 flip whose event never arrives.
    const { world, store, notifier, deps } = setUp();
    await auditLoadBalancers(deps);
    world.snapshot = may19({ blue: 0, green: 100 });

    // Act
    const first = await auditLoadBalancers(deps);
    const second = await auditLoadBalancers(deps);
    const third = await auditLoadBalancers(deps);

    // Assess
    expect(first[0].status).toBe('unsafe-drift');
    expect(second[0].status).toBe('drift-reverted');
    expect(third[0].status).toBe('baseline-refreshed');
    expect(world.appliedSteps.map((s) => s.operation)).toEqual(['ModifyListener']);
    const weights = world.snapshot?.listeners[0]?.defaultActions[0]?.forward?.targetGroups.map((g) => g.weight);
    expect(weights).toEqual([100, 0]);
    expect(notifier.published.map((n) => n.subject)).toEqual([
      'DRIFT: web differs unsafely from its last known good',
      expect.stringMatching(/^BLOCKED and reverted: .* on web/),
    ]);
    const records = await store.listAudit(world.snapshot?.loadBalancer.arn ?? '');
    expect(records.map((r) => [r.eventName, r.outcome])).toEqual([
      ['Audit', 'drift-seen'],
      ['Audit', 'reverted'],
    ]);
  });

  it('leaves a drift alone when a judged change came after its sighting (its event explained it)', async () => {
    // Prepare
    const { world, store, deps } = setUp();
    await auditLoadBalancers(deps);
    world.snapshot = may19({ blue: 0, green: 100 });
    await auditLoadBalancers(deps);
    const [seen] = await store.listAudit(world.snapshot.loadBalancer.arn);
    // The on-change path judged a change meanwhile (e.g. a pipeline's, which the policy yields to).
    await store.appendAudit({ ...seen, eventId: 'evt-1', eventName: 'ModifyListener', outcome: 'yielded', at: '2026-12-07T05:00:01Z' });

    // Act
    const second = await auditLoadBalancers(deps);

    // Assess: recorded again as a new sighting, not reverted.
    expect(second[0].status).toBe('unsafe-drift');
    expect(world.appliedSteps).toEqual([]);
  });

  it('seed 303 (third soak): a baseline a judge stores while the audit reads the live configuration is neither overwritten with the older view nor undone', async () => {
    // Prepare: the safe baseline; while the audit reads the load balancer, a trusted bot's flip lands and the
    // judge stores it as the new baseline (the trusted change becomes the last known good)
    const { world, store, deps } = setUp();
    await auditLoadBalancers(deps);
    const arn = world.snapshot?.loadBalancer.arn ?? '';
    const readLive = world.readSnapshot.bind(world);
    let judgedMeanwhile = false;
    world.readSnapshot = async (lb: string) => {
      const seen = await readLive(lb);
      if (!judgedMeanwhile) {
        judgedMeanwhile = true;
        world.snapshot = may19({ blue: 0, green: 100 });
        const before = (await store.getLastKnownGood(arn)) as { version: number };
        await store.putLastKnownGood(world.snapshot, { expectedVersion: before.version, eventId: 'bot-flip' });
      }
      return seen;
    };

    // Act: the audit under way, then two more
    await auditLoadBalancers(deps);
    const stored = (await store.getLastKnownGood(arn)) as { snapshot: { listeners: { defaultActions: { forward?: { targetGroups: { weight?: number }[] } }[] }[] } };
    const later = [await auditLoadBalancers(deps), await auditLoadBalancers(deps)];

    // Assess: the judged flip stays the baseline (the audit's older view lost the conditional write, as it must)
    // and is never taken for unexplained drift
    expect(stored.snapshot.listeners[0]?.defaultActions[0]?.forward?.targetGroups.map((g) => g.weight)).toEqual([0, 100]);
    expect(later.map((r) => r[0].status)).toEqual(['baseline-refreshed', 'baseline-refreshed']);
    expect(world.appliedSteps).toEqual([]);
  });

  it('only reports drift of target membership, however often it is seen: scalers own it', async () => {
    // Prepare: blue scaled in from 4 targets to 1, routing untouched.
    const { world, deps } = setUp();
    await auditLoadBalancers(deps);
    world.snapshot = may19({ blue: 100, green: 0 }, { healthy: 1 });

    // Act
    const runs = [await auditLoadBalancers(deps), await auditLoadBalancers(deps), await auditLoadBalancers(deps)];

    // Assess
    expect(runs.map((r) => r[0].status)).toEqual(['unsafe-drift', 'unsafe-drift', 'unsafe-drift']);
    expect(world.appliedSteps).toEqual([]);
  });

  it('never reverts in dry-run', async () => {
    // Prepare
    const { world, deps } = setUp('dry-run');
    await auditLoadBalancers(deps);
    world.snapshot = may19({ blue: 0, green: 100 });

    // Act
    const runs = [await auditLoadBalancers(deps), await auditLoadBalancers(deps)];

    // Assess
    expect(runs.map((r) => r[0].status)).toEqual(['unsafe-drift', 'unsafe-drift']);
    expect(world.appliedSteps).toEqual([]);
  });
});
