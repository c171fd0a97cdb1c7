import type { LoadBalancerSnapshot } from '../../../lambdas/core/model/snapshot';
import { leaveNewerChanges, routingFingerprints } from '../../../lambdas/core/revert/leave-newer-changes';
import { planRevert } from '../../../lambdas/core/revert/plan-revert';
import { forward, lb } from '../../helpers/snapshot-builder';

/** The site as last known good: / to blue, /api/* to blue, /admin/* to green. */
const site = () =>
  lb('web')
    .group('blue', { healthy: 4 })
    .group('green', { healthy: 2 })
    .listener(80, forward({ blue: 100, green: 0 }))
    .rule(80, 10, { path: '/api/*' }, forward('blue'))
    .rule(80, 20, { path: '/admin/*' }, forward('green'));
const arns = site().arns;
const good = site().build();
const to = (weights: Record<string, number>) => [{ type: 'forward' as const, forward: { targetGroups: Object.entries(weights).map(([group, weight]) => ({ targetGroupArn: arns.group(group), weight })) } }];
/** The last known good with / and the two rules forwarding as given. */
function routed(root: Record<string, number>, api: string, admin: string): LoadBalancerSnapshot {
  const snapshot = structuredClone(good);
  const [listener] = snapshot.listeners;
  listener.defaultActions = to(root);
  listener.rules = listener.rules.map((rule) => ({ ...rule, actions: to({ [rule.priority === 10 ? api : admin]: 1 }) }));
  return snapshot;
}
/** What the verdict judged: a person sent / and /api/* to green (4 servers to 2). */
const judged = routed({ blue: 0, green: 100 }, 'green', 'green');

describe('Function: leaveNewerChanges', () => {
  it('restores what is still as judged and leaves what changed after the verdict, each named', () => {
    // After the verdict someone pointed /admin/* at blue and / back to 90/10; /api/* is still as judged.
    const live = routed({ blue: 90, green: 10 }, 'green', 'blue');

    const { target, left } = leaveNewerChanges(good, live, routingFingerprints(judged));
    const plan = planRevert(target, live);

    expect(plan.steps.map((s) => s.operation)).toEqual(['ModifyRule']);
    expect(JSON.stringify(plan.steps[0].input)).toContain(arns.rule(80, 10));
    expect(left).toEqual([
      `the default actions of listener ${arns.listener(80)}, changed after the verdict (judged on their own)`,
      `rule ${arns.rule(80, 20)}, changed after the verdict (judged on its own)`,
    ]);
  });

  it('is the baseline when nothing changed after the verdict (the plan restores everything judged)', () => {
    const { target, left } = leaveNewerChanges(good, judged, routingFingerprints(judged));

    expect(left).toEqual([]);
    expect(target).toEqual(good);
  });
});
