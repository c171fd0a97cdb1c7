import { CreateRuleCommand, DescribeRulesCommand, SetRulePrioritiesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { useStandIn } from './helpers/stand-in-fixture';

/**
 * SetRulePriorities: "You can reorder the rules as long as there are no priority conflicts in the new
 * order" (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_SetRulePriorities.html).
 * moto checks each move against the old order and refuses a swap; the front does what AWS does.
 */
describe('SetRulePriorities swaps, as AWS allows them', () => {
  const fixture = useStandIn({ world: 'demo' });
  const r = () => fixture.standIn.world.resources;

  async function twoRules(client: ReturnType<typeof fixture.clients>): Promise<[string, string]> {
    const make = async (priority: number, path: string) =>
      (
        await client.elbv2.send(
          new CreateRuleCommand({ ListenerArn: r()['listener:web:80'], Priority: priority, Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: [path] } }], Actions: [{ Type: 'forward', TargetGroupArn: r()['targetGroup:web-blue'] }] }),
        )
      ).Rules?.[0]?.RuleArn as string;
    return [await make(10, '/a/*'), await make(20, '/b/*')];
  }

  it('moto refuses a swap in one call with PriorityInUse', async () => {
    const [a, b] = await twoRules(fixture.moto());
    await expect(fixture.moto().elbv2.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: a, Priority: 20 }, { RuleArn: b, Priority: 10 }] }))).rejects.toMatchObject({
      name: 'PriorityInUseException',
    });
  });

  it('the front swaps them, and the new order is what DescribeRules says', async () => {
    // Prepare
    const [a, b] = await twoRules(fixture.clients());

    // Act
    await fixture.clients().elbv2.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: a, Priority: 20 }, { RuleArn: b, Priority: 10 }] }));

    // Assess
    const rules = (await fixture.clients().elbv2.send(new DescribeRulesCommand({ ListenerArn: r()['listener:web:80'] }))).Rules ?? [];
    expect(rules.filter((x) => x.IsDefault !== true).map((x) => [x.RuleArn, x.Priority]).sort()).toEqual([[a, '20'], [b, '10']].sort());
  });

  it('still refuses a new order with a conflict', async () => {
    const [a] = await twoRules(fixture.clients());
    await expect(fixture.clients().elbv2.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: a, Priority: 20 }] }))).rejects.toMatchObject({ name: 'PriorityInUseException' });
  });
});
