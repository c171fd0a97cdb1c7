import type { Action as SdkAction, Listener as SdkListener, Rule as SdkRule } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Action, LoadBalancerSnapshot, RuleCondition } from '../../lambdas/core/model/snapshot';
import type { ChaosTrace } from '../../sim/chaos/chaos-trace';

/**
 * The final routing of one load balancer as the reference router reads it, translated here from the raw
 * DescribeListeners / DescribeRules answers (not with the watchdog's reader): listeners and rules only.
 */
export function finalSnapshotOf(routing: ChaosTrace['finalRouting'][number] | undefined): LoadBalancerSnapshot {
  const listener = routing?.listener as SdkListener | undefined;
  const rules = (routing?.rules ?? []) as SdkRule[];
  const partial: Pick<LoadBalancerSnapshot, 'listeners'> = {
    listeners:
      listener === undefined
        ? []
        : [
            {
              arn: listener.ListenerArn ?? '',
              port: listener.Port ?? 80,
              protocol: listener.Protocol ?? 'HTTP',
              defaultActions: (listener.DefaultActions ?? []).map(actionOf),
              rules: rules
                .filter((r) => r.IsDefault !== true)
                .map((r) => ({ arn: r.RuleArn ?? '', priority: Number(r.Priority), conditions: (r.Conditions ?? []).map(conditionOf), actions: (r.Actions ?? []).map(actionOf) })),
            },
          ],
  } as Pick<LoadBalancerSnapshot, 'listeners'>;
  // The reference router reads only the listeners.
  return partial as LoadBalancerSnapshot;
}

function actionOf(action: SdkAction): Action {
  const groups = action.ForwardConfig?.TargetGroups?.map((g) => ({ targetGroupArn: g.TargetGroupArn ?? '', weight: g.Weight ?? 1 })) ??
    (action.TargetGroupArn ? [{ targetGroupArn: action.TargetGroupArn, weight: 1 }] : undefined);
  return { type: action.Type as Action['type'], ...(groups && { forward: { targetGroups: groups } }) };
}

function conditionOf(condition: NonNullable<SdkRule['Conditions']>[number]): RuleCondition {
  const values = condition.PathPatternConfig?.Values ?? condition.HostHeaderConfig?.Values ?? condition.Values ?? [];
  return { field: condition.Field ?? '', values } as RuleCondition;
}
