import { DescribeRulesCommand, SetRulePrioritiesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { BackendClients } from '../backend/backend-clients';
import { AwsError, type AwsCall } from '../front/codec';
import type { CallContext, Interceptor } from '../front/interceptor';

const MAX_PRIORITY = 50000;
const IN_USE = 'The specified priority is in use.';

/**
 * SetRulePriorities as AWS does it: "You can reorder the rules as long as there are no priority conflicts
 * in the new order" (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_SetRulePriorities.html),
 * so two rules may swap priorities in one call. moto checks each move against the old order and refuses a
 * swap with PriorityInUse. The front checks the new order itself, and when it is free of conflicts moves
 * the call's rules out of the way on the backend first (invisible to callers and CloudTrail), so moto's
 * own check passes.
 */
export class RulePrioritySwaps implements Interceptor {
  readonly name = 'rule-priority-swaps';

  constructor(private readonly backend: () => BackendClients) {}

  matches(call: AwsCall): boolean {
    return call.service === 'elasticloadbalancing' && call.action === 'SetRulePriorities';
  }

  async before({ call }: CallContext): Promise<undefined> {
    const pairs = (Array.isArray(call.params.RulePriorities) ? call.params.RulePriorities : [])
      .map((p) => p as Record<string, unknown>)
      .map((p) => ({ arn: String(p.RuleArn ?? ''), priority: Number(p.Priority) }));
    if (pairs.length < 2 || pairs.some((p) => p.arn === '' || !Number.isInteger(p.priority))) return undefined;
    const elbv2 = this.backend().elbv2;
    const moving = await elbv2.send(new DescribeRulesCommand({ RuleArns: pairs.map((p) => p.arn) })).catch(() => undefined);
    if (moving === undefined) return undefined; // moto answers the unknown rule itself
    const listenerOf = (arn: string) => arn.replace(':listener-rule/', ':listener/').split('/').slice(0, -1).join('/');
    const listeners = [...new Set(pairs.map((p) => listenerOf(p.arn)))];
    const used = new Map<string, Set<number>>();
    for (const listener of listeners) {
      const rules = (await elbv2.send(new DescribeRulesCommand({ ListenerArn: listener }))).Rules ?? [];
      const finalOf = new Map(rules.filter((r) => r.IsDefault !== true).map((r) => [r.RuleArn ?? '', Number(r.Priority)]));
      for (const p of pairs) if (listenerOf(p.arn) === listener) finalOf.set(p.arn, p.priority);
      const priorities = [...finalOf.values()];
      if (new Set(priorities).size !== priorities.length) throw new AwsError('PriorityInUse', IN_USE, 400);
      used.set(listener, new Set([...priorities, ...rules.map((r) => Number(r.Priority))]));
    }
    const parked = pairs.map((p) => {
      const taken = used.get(listenerOf(p.arn)) as Set<number>;
      let free = MAX_PRIORITY;
      while (taken.has(free)) free -= 1;
      taken.add(free);
      return { RuleArn: p.arn, Priority: free };
    });
    await elbv2.send(new SetRulePrioritiesCommand({ RulePriorities: parked }));
    return undefined;
  }
}
