import type { Actor, Change, ChangeRequest } from '../../../lambdas/core/events/change';
import type { LoadBalancerSnapshot } from '../../../lambdas/core/model/snapshot';
import { DEFAULT_POLICY, validatePolicy, type Policy } from '../../../lambdas/core/policy';
import { planRevert } from '../../../lambdas/core/revert/plan-revert';
import { applyChange } from '../../../lambdas/core/simulate/apply-change';
import { judgeChange, RevertIncompleteError, type JudgeDependencies } from '../../../lambdas/core/workflow/judge-change';
import { forward, lb } from '../../helpers/snapshot-builder';
import { InMemoryLoadBalancer, InMemoryStateStore, RecordingNotifier } from './in-memory-ports';

const NOW = new Date('2026-05-19T14:02:13.000Z');
const ALICE: Actor = { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/alice', userName: 'alice', displayName: 'alice' };
const WATCHDOG: Actor = {
  type: 'AssumedRole',
  arn: 'arn:aws:sts::123456789012:assumed-role/ElbWatchdogJudgeRole/on-change',
  roleArn: 'arn:aws:iam::123456789012:role/ElbWatchdogJudgeRole',
  displayName: 'ElbWatchdogJudgeRole/on-change',
};

const may19 = lb('web').group('web-blue', { healthy: 4 }).group('web-green', { healthy: 1 }).listener(80, forward({ 'web-blue': 100, 'web-green': 0 }));
const baseline = may19.build();
const arns = may19.arns;

let sequence = 0;
function change(request: ChangeRequest, actor: Actor = ALICE): Change {
  sequence += 1;
  return {
    ...request,
    eventId: `event-${sequence}`,
    eventTime: '2026-05-19T14:02:11.000Z',
    region: 'us-east-1',
    accountId: '123456789012',
    actor,
    resources: { loadBalancerArns: [arns.loadBalancer], listenerArns: [], ruleArns: [], targetGroupArns: [] },
  } as Change;
}

const weightFlip = (blue: number, green: number): ChangeRequest => ({
  eventName: 'ModifyListener',
  request: {
    listenerArn: arns.listener(80),
    defaultActions: [{ type: 'forward', forward: { targetGroups: [{ targetGroupArn: arns.group('web-blue'), weight: blue }, { targetGroupArn: arns.group('web-green'), weight: green }] } }],
  },
});

function setUp(options: { policy?: Policy; baseline?: LoadBalancerSnapshot | null } = {}) {
  const world = new InMemoryLoadBalancer(structuredClone(baseline));
  const store = new InMemoryStateStore();
  const notifier = new RecordingNotifier();
  if (options.baseline !== null) store.lastKnownGood.set(arns.loadBalancer, { snapshot: options.baseline ?? baseline, version: 1, storedAt: baseline.capturedAt });
  const deps: JudgeDependencies = {
    reader: world,
    store,
    applier: world,
    notifier,
    policy: options.policy ?? validatePolicy({ mode: 'enforce' }),
    scope: { type: 'all' },
    ownRoleNames: ['ElbWatchdogJudgeRole'],
    now: () => NOW,
  };
  /** A person makes the call: the world changes, then the watchdog judges its event. */
  const make = async (request: ChangeRequest, actor: Actor = ALICE) => {
    const made = change(request, actor);
    world.snapshot = applyChange(world.snapshot as LoadBalancerSnapshot, made);
    return { made, outcome: await judgeChange(deps, made, arns.loadBalancer) };
  };
  return { world, store, notifier, deps, make };
}

describe('Function: judgeChange', () => {
  it('reverts the May 19 weight flip in enforce mode, audits it and tells people who and how much', async () => {
    // Prepare
    const { world, store, notifier, make } = setUp();

    // Act
    const { outcome } = await make(weightFlip(0, 100));

    // Assess
    expect(outcome.status === 'handled' && outcome.record.outcome).toBe('reverted');
    expect(planRevert(baseline, world.snapshot as LoadBalancerSnapshot).steps).toEqual([]);
    expect(world.appliedSteps.map((s) => s.operation)).toEqual(['ModifyListener']);
    expect(store.audit).toHaveLength(1);
    expect(notifier.published).toHaveLength(1);
    expect(notifier.published[0].subject).toBe('BLOCKED and reverted: ModifyListener on web by alice');
    expect(notifier.published[0].body).toContain('100%');
    expect(notifier.published[0].body).toContain('elb-watchdog break-glass --lb');
  });

  it('only says it would revert in dry-run mode', async () => {
    const { world, store, notifier, make } = setUp({ policy: DEFAULT_POLICY });

    const { outcome } = await make(weightFlip(0, 100));

    expect(outcome.status === 'handled' && outcome.record.outcome).toBe('not-reverted');
    expect(world.appliedSteps).toEqual([]);
    expect(notifier.published[0].subject).toMatch(/^WOULD REVERT \(dry-run\): ModifyListener on web by alice/);
    expect(notifier.published[0].body).toContain('ModifyListener');
    expect(store.lastKnownGood.get(arns.loadBalancer)?.version).toBe(1);
  });

  it('allows a blue/green 50/50 shift, stores it as last known good and stays quiet', async () => {
    const { world, store, notifier, make } = setUp();

    const { outcome } = await make(weightFlip(50, 50));

    expect(outcome.status === 'handled' && outcome.record.outcome).toBe('baseline-updated');
    expect(world.appliedSteps).toEqual([]);
    expect(notifier.published).toEqual([]);
    expect(store.lastKnownGood.get(arns.loadBalancer)?.version).toBe(2);
  });

  it("re-registers targets when all but one are deregistered", async () => {
    const { world, make } = setUp();

    const { outcome } = await make({
      eventName: 'DeregisterTargets',
      request: { targetGroupArn: arns.group('web-blue'), targets: [{ id: 'i-web-blue-1' }, { id: 'i-web-blue-2' }, { id: 'i-web-blue-3' }] },
    });

    expect(outcome.status === 'handled' && outcome.record.outcome).toBe('reverted');
    expect(world.appliedSteps.map((s) => s.operation)).toEqual(['RegisterTargets']);
    const blue = world.snapshot?.targetGroups.find((g) => g.name === 'web-blue');
    expect(blue?.targets.map((t) => t.id).sort()).toEqual(['i-web-blue-1', 'i-web-blue-2', 'i-web-blue-3', 'i-web-blue-4']);
  });

  it("skips its own revert's event (no loop) and a duplicate event", async () => {
    const { world, store, notifier, deps, make } = setUp();
    const { made } = await make(weightFlip(0, 100));

    const own = await judgeChange(deps, change(weightFlip(100, 0), WATCHDOG), arns.loadBalancer);
    const duplicate = await judgeChange(deps, made, arns.loadBalancer);

    expect(own).toEqual({ status: 'skipped', reason: 'own-change' });
    expect(duplicate).toEqual({ status: 'skipped', reason: 'duplicate' });
    expect(world.appliedSteps).toHaveLength(1);
    expect(store.audit).toHaveLength(1);
    expect(notifier.published).toHaveLength(1);
  });

  it('leaves the change alone while a break-glass is active and enforces again once it expired', async () => {
    const { world, store, notifier, make } = setUp();
    const breakGlass = { loadBalancerArn: arns.loadBalancer, startedAt: '2026-05-19T14:00:00.000Z', reason: 'migration', by: 'bob' };
    store.breakGlass.set(arns.loadBalancer, { ...breakGlass, expiresAt: '2026-05-19T14:30:00.000Z' });

    const during = await make(weightFlip(0, 100));
    store.breakGlass.set(arns.loadBalancer, { ...breakGlass, expiresAt: '2026-05-19T14:01:00.000Z' });
    const after = await make(weightFlip(0, 100));

    expect(during.outcome.status === 'handled' && during.outcome.record.outcome).toBe('suspended');
    expect(notifier.published[0].subject).toMatch(/^BLOCKED, break-glass active/);
    expect(notifier.published[0].body).toContain('Break-glass by bob');
    expect(after.outcome.status === 'handled' && after.outcome.record.outcome).toBe('reverted');
    expect(planRevert(baseline, world.snapshot as LoadBalancerSnapshot).steps).toEqual([]);
  });

  it('reports a failed revert once, fails the record, and completes it on the retry', async () => {
    const { world, store, notifier, deps, make } = setUp();
    world.failSteps.add(0);

    const first = make(weightFlip(0, 100));
    await expect(first).rejects.toBeInstanceOf(RevertIncompleteError);
    const made = store.audit[0];
    const retry = await judgeChange(deps, change(weightFlip(0, 100)), arns.loadBalancer);

    expect(made.outcome).toBe('revert-failed');
    expect(notifier.published.filter((n) => n.subject.startsWith('BLOCKED, REVERT FAILED'))).toHaveLength(1);
    expect(retry.status === 'handled' && retry.record.outcome).toBe('reverted');
    expect(planRevert(baseline, world.snapshot as LoadBalancerSnapshot).steps).toEqual([]);
  });

  it('learns the first configuration it sees (nothing to revert to) and warns about its risks', async () => {
    const { world, store, notifier, make } = setUp({ baseline: null });

    const { outcome } = await make(weightFlip(0, 100));

    expect(outcome.status === 'handled' && outcome.record).toMatchObject({ decision: 'warn', outcome: 'baseline-updated' });
    expect(world.appliedSteps).toEqual([]);
    expect(store.lastKnownGood.get(arns.loadBalancer)?.version).toBe(1);
    expect(notifier.published[0].subject).toBe('WARNING: ModifyListener on web by alice');
  });

  it('does not judge a load balancer whose override sets mode off', async () => {
    const policy = validatePolicy({ mode: 'enforce', overrides: [{ match: { arn: arns.loadBalancer }, mode: 'off' }] });
    const { world, notifier, make } = setUp({ policy });

    const { outcome } = await make(weightFlip(0, 100));

    expect(outcome.status === 'handled' && outcome.record.outcome).toBe('not-judged');
    expect(world.appliedSteps).toEqual([]);
    expect(notifier.published).toEqual([]);
  });

  it('does not blame a harmless change for servers that failed on their own since the baseline', async () => {
    const { world, make } = setUp();
    const blue = world.snapshot?.targetGroups.find((g) => g.name === 'web-blue');
    blue?.targets.slice(0, 3).forEach((target) => (target.health = 'unhealthy'));

    const { outcome } = await make({
      eventName: 'ModifyTargetGroupAttributes',
      request: { targetGroupArn: arns.group('web-blue'), attributes: [{ key: 'deregistration_delay.timeout_seconds', value: '30' }] },
    });

    expect(outcome.status === 'handled' && outcome.record.decision).not.toBe('block');
    expect(world.appliedSteps).toEqual([]);
  });

  it('records a deleted load balancer instead of failing on it', async () => {
    const { world, store, notifier, deps } = setUp();
    world.snapshot = undefined;

    const outcome = await judgeChange(deps, change({ eventName: 'DeleteLoadBalancer', request: { loadBalancerArn: arns.loadBalancer } }), arns.loadBalancer);

    expect(outcome.status === 'handled' && outcome.record.outcome).toBe('load-balancer-deleted');
    expect(store.audit.map((r) => r.outcome)).toEqual(['load-balancer-deleted']);
    expect(notifier.published).toEqual([]);
  });
});
