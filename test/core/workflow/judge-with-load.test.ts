import type { ProvenCapacity } from '../../../lambdas/core/capacity/load-types';
import type { Change, ChangeRequest } from '../../../lambdas/core/events/change';
import type { LoadBalancerSnapshot } from '../../../lambdas/core/model/snapshot';
import { validatePolicy } from '../../../lambdas/core/policy';
import type { CapacityStore, MetricRequest, MetricSeries, MetricsReader } from '../../../lambdas/core/ports';
import { applyChange } from '../../../lambdas/core/simulate/apply-change';
import { judgeChange, judgeChanges, type JudgeDependencies } from '../../../lambdas/core/workflow/judge-change';
import { forward, lb } from '../../helpers/snapshot-builder';
import { InMemoryLoadBalancer, InMemoryStateStore, RecordingNotifier } from './in-memory-ports';

/**
 * The judge reads the load only for a change that can move traffic, with one GetMetricData call, and its
 * verdict follows it: a cutover from 4 servers to 2 at exactly the share limit is blocked when each of the 2
 * would receive twice what any blue server has carried (RequestCount per target group:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html).
 */
const builder = (blue: number, green: number, greenTargets = 2) =>
  lb('web').group('web-blue', { healthy: 4 }).group('web-green', { healthy: greenTargets }).listener(80, forward({ 'web-blue': blue, 'web-green': green }));
const baseline = builder(100, 0).build();
const arns = builder(100, 0).arns;

class FakeMetrics implements MetricsReader {
  public readonly requests: MetricRequest[] = [];
  public read(request: MetricRequest): Promise<MetricSeries[]> {
    this.requests.push(request);
    // web-blue moved 4,000 requests a minute; query g0 is web-blue (the snapshot's first group)
    return Promise.resolve(request.queries.map((q) => ({ id: q.id, timestamps: [1], values: [q.id === 'g0' || q.id === 'lb' ? 4000 : 0] })));
  }
}

const capacity: ProvenCapacity = {
  loadBalancerArn: arns.loadBalancer,
  computedAt: '2026-05-19T13:00:00.000Z',
  lookbackHours: 336,
  periodMinutes: 5,
  metric: 'RequestCount',
  groups: { [arns.group('web-blue')]: { groupName: 'web-blue', perTargetPerMinute: 1000, sustainedMinutes: 5, at: '2026-05-18T18:00:00.000Z' } },
};

let sequence = 0;
function setUp(policy = validatePolicy({ mode: 'enforce' })) {
  const world = new InMemoryLoadBalancer(structuredClone(baseline));
  const store = new InMemoryStateStore();
  store.lastKnownGood.set(arns.loadBalancer, { snapshot: baseline, version: 1, storedAt: baseline.capturedAt });
  const metrics = new FakeMetrics();
  const capacityStore: CapacityStore = { getProvenCapacity: () => Promise.resolve(capacity), putProvenCapacity: () => Promise.resolve() };
  const notifier = new RecordingNotifier();
  const deps: JudgeDependencies = {
    reader: world, store, applier: world, notifier,
    policy,
    scope: { type: 'all' },
    ownRoleNames: ['ElbWatchdogJudgeRole'],
    now: () => new Date('2026-05-19T14:02:13.000Z'),
    metrics,
    capacity: capacityStore,
  };
  const make = async (request: ChangeRequest) => {
    sequence += 1;
    const made = {
      ...request,
      eventId: `load-${sequence}`,
      eventTime: '2026-05-19T14:02:11.000Z',
      region: 'us-east-1',
      accountId: '123456789012',
      actor: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/alice', userName: 'alice', displayName: 'alice' },
      resources: { loadBalancerArns: [arns.loadBalancer], listenerArns: [], ruleArns: [], targetGroupArns: [] },
    } as Change;
    world.snapshot = applyChange(world.snapshot as LoadBalancerSnapshot, made);
    return judgeChange(deps, made, arns.loadBalancer);
  };
  return { metrics, notifier, make, deps, world, store };
}

const weights = (blue: number, green: number): ChangeRequest => ({
  eventName: 'ModifyListener',
  request: {
    listenerArn: arns.listener(80),
    defaultActions: [{ type: 'forward', forward: { targetGroups: [{ targetGroupArn: arns.group('web-blue'), weight: blue }, { targetGroupArn: arns.group('web-green'), weight: green }] } }],
  },
});

describe('Function: judgeChange (with load)', () => {
  it('reverts a cutover to a green group of 2 with one metrics call of the 15 minutes before the change', async () => {
    const { metrics, notifier, make } = setUp();

    const outcome = await make(weights(0, 100));

    expect(outcome.status === 'handled' && outcome.record.outcome).toBe('reverted');
    expect(metrics.requests).toHaveLength(1);
    expect(metrics.requests[0].end.toISOString()).toBe('2026-05-19T14:02:00.000Z');
    expect(notifier.published[0]?.body).toMatch(/capacity-headroom: .*would receive about 2,000 requests\/min \(and 1 other target of web-green alike\), was 0; no web-blue target has carried more than 1,000\/min in 14 days/);
  });

  it('makes no metrics call for a change that cannot move traffic', async () => {
    const { metrics, make } = setUp();

    // A registration into web-green, at weight 0
    const outcome = await make({ eventName: 'RegisterTargets', request: { targetGroupArn: arns.group('web-green'), targets: [{ id: 'i-web-green-3', port: 80 }] } } as ChangeRequest);

    expect(outcome.status).toBe('handled');
    expect(metrics.requests).toHaveLength(0);
  });

  it('a scale-in unsafe by capacity alone, judged with a trusted bot\'s harmless change, is told as the scaler\'s (chaos seed 1361693681)', async () => {
    const { notifier, deps, world } = setUp(validatePolicy({ mode: 'enforce', actors: [{ name: 'release-bot', match: { roleName: 'deploy-bot' }, treatment: 'trust' }] }));
    const at = (actor: Change['actor'], request: ChangeRequest, extra: Partial<Change> = {}): Change => {
      sequence += 1;
      return { ...request, eventId: `load-${sequence}`, eventTime: '2026-05-19T14:02:11.000Z', region: 'us-east-1', accountId: '123456789012', actor, resources: { loadBalancerArns: [arns.loadBalancer], listenerArns: [], ruleArns: [], targetGroupArns: [] }, ...extra } as Change;
    };
    // One of web-blue's 4 servers goes: the other 3 would carry about 1,333 requests/min each, above the
    // 1,000 any of them has carried (and within the other rules: a 25% cut, shares of a third).
    const scaleIn = at(
      { type: 'AssumedRole', arn: 'arn:aws:sts::123456789012:assumed-role/AWSServiceRoleForAutoScaling/AutoScaling', roleArn: 'arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling', sessionName: 'AutoScaling', invokedBy: 'autoscaling.amazonaws.com', displayName: 'AWSServiceRoleForAutoScaling/AutoScaling' },
      { eventName: 'DeregisterTargets', request: { targetGroupArn: arns.group('web-blue'), targets: [{ id: 'i-web-blue-4', port: 80 }] } } as ChangeRequest,
      { sourceIpAddress: 'autoscaling.amazonaws.com', userAgent: 'autoscaling.amazonaws.com' } as Partial<Change>,
    );
    const harmless = at(
      { type: 'AssumedRole', arn: 'arn:aws:sts::123456789012:assumed-role/deploy-bot/run-7', roleArn: 'arn:aws:iam::123456789012:role/deploy-bot', sessionName: 'run-7', displayName: 'deploy-bot/run-7' },
      { eventName: 'ModifyTargetGroupAttributes', request: { targetGroupArn: arns.group('web-blue'), attributes: [{ key: 'deregistration_delay.timeout_seconds', value: '30' }] } } as ChangeRequest,
    );
    for (const c of [scaleIn, harmless]) world.snapshot = applyChange(world.snapshot as LoadBalancerSnapshot, c);

    const outcomes = await judgeChanges(deps, [scaleIn, harmless], arns.loadBalancer);

    expect(outcomes.map((o) => o.status === 'handled' && o.record.outcome)).toEqual(['judge-only', 'judge-only']);
    expect(notifier.published.map((n) => n.subject)).toEqual(['UNSAFE, NOT REVERTED (judge-only): DeregisterTargets on web by EC2 Auto Scaling']);
    expect(notifier.published[0]?.body).toContain('capacity-headroom');
  });
});
