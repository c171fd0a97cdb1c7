import type { Actor, Change, ChangeRequest } from '../../../lambdas/core/events/change';
import type { LoadBalancerSnapshot } from '../../../lambdas/core/model/snapshot';
import { validatePolicy } from '../../../lambdas/core/policy';
import type { UntrustedBaseline } from '../../../lambdas/core/ports';
import { applyChange } from '../../../lambdas/core/simulate/apply-change';
import { auditLoadBalancers } from '../../../lambdas/core/workflow/audit-load-balancers';
import { judgeChange, type JudgeDependencies } from '../../../lambdas/core/workflow/judge-change';
import { forward, lb } from '../../helpers/snapshot-builder';
import { InMemoryLoadBalancer, InMemoryStateStore, RecordingNotifier } from './in-memory-ports';

/**
 * What judging a change does with a baseline it cannot trust (issue 15): the confused-deputy attack, where
 * someone who can write the state table edits the last known good and waits for anyone's unsafe change.
 */

const NOW = new Date('2026-05-19T14:02:13.000Z');
const ALICE: Actor = { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/alice', userName: 'alice', displayName: 'alice' };

const demo = (blue: number, green: number) =>
  lb('web').group('web-blue', { healthy: 4 }).group('web-green', { healthy: 1 }).listener(80, forward({ 'web-blue': blue, 'web-green': green }));
const baseline = demo(100, 0).build();
const arns = demo(100, 0).arns;

let sequence = 0;
function change(request: ChangeRequest): Change {
  sequence += 1;
  return {
    ...request,
    eventId: `event-${sequence}`,
    eventTime: '2026-05-19T14:02:11.000Z',
    region: 'us-east-1',
    accountId: '123456789012',
    actor: ALICE,
    resources: { loadBalancerArns: [arns.loadBalancer], listenerArns: [], ruleArns: [], targetGroupArns: [] },
  } as Change;
}

/** Alice deregisters 3 of blue's 4 servers: unsafe against the true baseline, and against the attacker's. */
const deregisterThree: ChangeRequest = {
  eventName: 'DeregisterTargets',
  request: { targetGroupArn: arns.group('web-blue'), targets: [{ id: 'i-web-blue-1' }, { id: 'i-web-blue-2' }, { id: 'i-web-blue-3' }] },
};

function setUp(stored: LoadBalancerSnapshot | UntrustedBaseline) {
  const world = new InMemoryLoadBalancer(structuredClone(baseline));
  const store = new InMemoryStateStore();
  const notifier = new RecordingNotifier();
  store.lastKnownGood.set(arns.loadBalancer, 'untrusted' in stored ? stored : { snapshot: stored, version: 1, storedAt: stored.capturedAt });
  const deps: JudgeDependencies = {
    reader: world,
    store,
    applier: world,
    notifier,
    policy: validatePolicy({ mode: 'enforce' }),
    scope: { type: 'all' },
    ownRoleNames: ['ElbWatchdogJudgeRole'],
    now: () => NOW,
  };
  const make = async (request: ChangeRequest) => {
    const made = change(request);
    world.snapshot = applyChange(world.snapshot as LoadBalancerSnapshot, made);
    return judgeChange(deps, made, arns.loadBalancer);
  };
  return { world, store, notifier, deps, make };
}

describe('Function: judgeChange, with a baseline it cannot trust', () => {
  it('never reverts to a baseline whose MAC fails: judges without it (warn), says why once, and leaves it for the audit', async () => {
    // Prepare: the stored baseline was edited to "web-green 100"; the store reports its MAC as invalid.
    const { world, store, notifier, make } = setUp({ untrusted: 'mac-invalid', version: 1, storedAt: baseline.capturedAt });

    // Act
    const outcome = await make(deregisterThree);

    // Assess: nothing applied, a warning, one notification naming the rejection.
    expect(outcome.status === 'handled' && { decision: outcome.record.decision, outcome: outcome.record.outcome }).toEqual({ decision: 'warn', outcome: 'baseline-rejected' });
    expect(world.appliedSteps).toEqual([]);
    expect(notifier.published).toHaveLength(1);
    expect(notifier.published[0].subject).toBe('BASELINE REJECTED: DeregisterTargets on web by alice');
    expect(notifier.published[0].body).toMatch(/baseline \(last known good\) of this load balancer was rejected: its MAC does not match its content/);
    expect(notifier.published[0].attributes.outcome).toBe('baseline-rejected');
    // Not overwritten with a configuration judged without a baseline: the audit takes the fresh one.
    expect(store.lastKnownGood.get(arns.loadBalancer)).toMatchObject({ untrusted: 'mac-invalid' });
  });

  it('tells people even when the change itself is harmless', async () => {
    const { notifier, make } = setUp({ untrusted: 'mac-missing', version: 3 });

    await make({ eventName: 'ModifyListener', request: { listenerArn: arns.listener(80), defaultActions: baseline.listeners[0].defaultActions } });

    expect(notifier.published.map((n) => n.subject)).toEqual(['BASELINE REJECTED: ModifyListener on web by alice']);
    expect(notifier.published[0].body).toMatch(/carries no MAC: it was stored before baselines were signed/);
  });

  it('rejects a signed baseline that names another account\'s target group, and reverts nothing', async () => {
    const forged = structuredClone(baseline);
    forged.listeners[0].defaultActions[0].forward = { targetGroups: [{ targetGroupArn: arns.group('web-green').replace(':123456789012:', ':999999999999:'), weight: 100 }] };
    const { world, notifier, make } = setUp(forged);

    await make(deregisterThree);

    expect(world.appliedSteps).toEqual([]);
    expect(notifier.published[0].body).toMatch(/rejected: it names resources that are not this load balancer's, or not of its account and Region: arn:aws:elasticloadbalancing:us-east-1:999999999999:targetgroup\/web-green/);
  });

  it('enforces again once the audit replaced the rejected baseline with the live configuration', async () => {
    const { world, store, notifier, deps, make } = setUp({ untrusted: 'mac-invalid', version: 1 });
    await make(deregisterThree);

    const [audited] = await auditLoadBalancers({ reader: world, store, notifier, policy: deps.policy, scope: deps.scope });
    const outcome = await make({ eventName: 'DeregisterTargets', request: { targetGroupArn: arns.group('web-blue'), targets: [{ id: 'i-web-blue-4' }] } });

    expect(audited).toMatchObject({ status: 'baseline-replaced', rejectedBaseline: { code: 'mac-invalid' } });
    expect(store.lastKnownGood.get(arns.loadBalancer)).toMatchObject({ version: 2 });
    expect(outcome.status === 'handled' && outcome.record.outcome).toBe('reverted');
    // Back to the audit's baseline (blue's one remaining server), not the edited one and not the original.
    expect(world.appliedSteps).toEqual([
      expect.objectContaining({ operation: 'RegisterTargets', input: expect.objectContaining({ Targets: [expect.objectContaining({ Id: 'i-web-blue-4' })] }) }),
    ]);
    expect(notifier.published.map((n) => n.subject)).toEqual([
      'BASELINE REJECTED: DeregisterTargets on web by alice',
      'BASELINE REJECTED: web has a fresh baseline',
      'BLOCKED and reverted: DeregisterTargets on web by alice',
    ]);
  });
});

describe('Function: judgeChange, checking the revert target', () => {
  it('refuses a revert whose plan forwards to a target group that is neither attached now nor in the baseline', async () => {
    // Prepare: a trusted baseline that forwards to blue but does not list it (read while blue was being
    // attached); alice then points the listener at green alone, so blue is not attached now either.
    // It splits requests 50/50 between blue and green, so the class had a working route (green) and the
    // change to green alone concentrates it: a block, whose revert would forward to the unknown blue.
    const split = { type: 'forward' as const, forward: { targetGroups: [{ targetGroupArn: arns.group('web-blue'), weight: 50 }, { targetGroupArn: arns.group('web-green'), weight: 50 }] } };
    const inconsistent = {
      ...baseline,
      listeners: baseline.listeners.map((l) => ({ ...l, defaultActions: [split] })),
      targetGroups: baseline.targetGroups.filter((g) => g.name !== 'web-blue'),
    };
    const { world, notifier, deps } = setUp(inconsistent);
    const greenOnly = { type: 'forward' as const, forward: { targetGroups: [{ targetGroupArn: arns.group('web-green'), weight: 1 }] } };
    const made = change({ eventName: 'ModifyListener', request: { listenerArn: arns.listener(80), defaultActions: [greenOnly] } });
    const after = applyChange(world.snapshot as LoadBalancerSnapshot, made);
    // As DescribeTargetGroups(LoadBalancerArn) reads it: a group no listener forwards to is not attached.
    world.snapshot = { ...after, targetGroups: after.targetGroups.filter((g) => g.name !== 'web-blue') };

    // Act
    const outcome = await judgeChange(deps, made, arns.loadBalancer);

    // Assess
    expect(outcome.status === 'handled' && { decision: outcome.record.decision, outcome: outcome.record.outcome }).toEqual({ decision: 'block', outcome: 'revert-refused' });
    expect(world.appliedSteps).toEqual([]);
    expect(notifier.published[0].subject).toBe('BLOCKED, REVERT REFUSED: ModifyListener on web by alice');
    expect(notifier.published[0].body).toContain(`- target group ${arns.group('web-blue')} is neither attached to this load balancer now nor in its last known good`);
  });
});
