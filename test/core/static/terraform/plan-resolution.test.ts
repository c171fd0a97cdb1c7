import { DEFAULT_POLICY, evaluate, validatePolicy } from '../../../../lambdas/core/policy';
import { createRegistry, defineRule, RULES } from '../../../../lambdas/core/rules';
import { checkTerraform, parseTerraformJson } from '../../../../lambdas/core/static/terraform';
import { ConfigIndex } from '../../../../lambdas/core/static/terraform/configuration';
import { planSides } from '../../../../lambdas/core/static/terraform/instances';
import { loadBalancerViews } from '../../../../lambdas/core/static/terraform/lb-view';
import { buildSide, indexArns } from '../../../../lambdas/core/static/terraform/side-model';
import { snapshotOf } from '../../../../lambdas/core/static/terraform/snapshots';
import { forward, lb, target } from '../../../helpers/snapshot-builder';
import { tfPlan, UNKNOWN, type TfResourceSpec } from '../../../helpers/terraform-plan';
import { tfArn, tfAttachment, tfForward, tfForwardTo, tfGroup, tfLb, tfListener, tfPathCondition, tfRule } from '../../../helpers/terraform-resources';
import { BLUE, BLUE_ARN, GREEN_ARN, web } from '../../../helpers/terraform-scenarios';
import * as z from 'zod';
import { checkTerraformDoc, findingLines, noteLines } from './helpers';

/**
 * How a plan's values become the snapshots `evaluate()` judges: references between resources, values
 * known only after apply (https://developer.hashicorp.com/terraform/internals/json-format#change-representation:
 * `after_unknown`; #expression-representation: `references`), count and for_each keys, `moved`
 * renames (`previous_address`), load balancers created or deleted, the policy's overrides and modes.
 */

const GREEN1 = [['i-0e5a7b9c1d3f50002', 'us-east-1a']] as const;
const may19 = { blue: BLUE, green: GREEN1, weights: { blue: 100, green: 0 } };
const LISTENER_ARN = tfArn.listener('web', 'f2f7dc8efc522ab2');
const LB_ARN = tfArn.lb('web');
const without = (specs: TfResourceSpec[], address: string) => specs.filter((s) => s.address !== address);
/** The resources as a plan that creates them writes them: every ELB ARN known only after apply (references settle them). */
const creating = (specs: TfResourceSpec[]): TfResourceSpec[] => {
  const unknownArns = (value: unknown): unknown =>
    typeof value === 'string' && value.startsWith('arn:aws:elasticloadbalancing') ? UNKNOWN : Array.isArray(value) ? value.map(unknownArns) : typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unknownArns(v)])) : value;
  return specs.map((s) => ({ ...s, values: unknownArns(s.values) as Record<string, unknown> }));
};
const httpTo = (groups: { arn: unknown; weight: unknown }[], refs: Record<string, string | readonly string[]>) =>
  tfListener('aws_lb_listener.http', { arn: LISTENER_ARN, lb: LB_ARN, actions: [tfForward(groups)] }, { load_balancer_arn: 'aws_lb.web', ...refs });

describe('Function: checkTerraform, values known only after apply', () => {
  it('counts a target whose id is known only after apply, under its attachment, and blocks a flip to it', () => {
    // Prepare: a new group (ARN unknown) with one new instance (id unknown) takes all of HTTP:80.
    const after = [
      ...without(web(may19), 'aws_lb_listener.http'),
      tfGroup('aws_lb_target_group.canary', { name: 'web-canary', arn: UNKNOWN }),
      tfAttachment('aws_lb_target_group_attachment.canary[0]', { group: UNKNOWN, target: UNKNOWN }, { target_group_arn: 'aws_lb_target_group.canary' }),
      httpTo([{ arn: BLUE_ARN, weight: 0 }, { arn: UNKNOWN, weight: 100 }], { 'default_action.0.forward.0.target_group.1.arn': 'aws_lb_target_group.canary' }),
    ];

    // Act
    const check = checkTerraformDoc(tfPlan(web(may19), after));

    // Assess
    expect(findingLines(check)).toEqual([
      'aws_lb_listener.http: error max-target-share: all requests on HTTP:80, the default rule: (aws_lb_target_group_attachment.canary[0]: id known after apply) would receive 100%, was 0%; limit 50%',
      'aws_lb_listener.http: error healthy-target-cut: all requests on HTTP:80, the default rule: would be served by 1 healthy target, was 4 (-75%); limit -50%',
    ]);
  });

  it('does not trace a reference that names two resources (a conditional): the listener is taken as unchanged and noted', () => {
    const after = [
      ...without(web(may19), 'aws_lb_listener.http'),
      httpTo([{ arn: BLUE_ARN, weight: 0 }, { arn: UNKNOWN, weight: 100 }], { 'default_action.0.forward.0.target_group.1.arn': ['var.canary', 'aws_lb_target_group.green.arn', 'aws_lb_target_group.green', 'aws_lb_target_group.blue.arn', 'aws_lb_target_group.blue'] }),
    ];

    const check = checkTerraformDoc(tfPlan(web(may19), after));

    expect(check.findings).toEqual([]);
    expect(noteLines(check)).toEqual(['aws_lb_listener.http: not judged: a target group of its forward is known only after apply; taken as unchanged']);
  });

  it('leaves out a new listener whose load balancer is known only after apply, and says so', () => {
    const after = [...web(may19), tfListener('aws_lb_listener.api', { arn: UNKNOWN, lb: UNKNOWN, port: 8080, actions: [tfForwardTo(GREEN_ARN)] }, { load_balancer_arn: 'module.shared.lb_arn' })];

    const check = checkTerraformDoc(tfPlan(web(may19), after));

    expect(check.findings).toEqual([]);
    expect(noteLines(check)).toEqual(['aws_lb_listener.api: new listener not judged: its load_balancer_arn is known only after apply']);
  });

  it('judges a rule whose priority is unknown only once AWS picks it: not judged, listed', () => {
    const rule = tfRule('aws_lb_listener_rule.api', { arn: UNKNOWN, listener: LISTENER_ARN, priority: UNKNOWN, conditions: [tfPathCondition('/api/*')], actions: [tfForwardTo(GREEN_ARN)] }, { listener_arn: 'aws_lb_listener.http' });
    const check = checkTerraformDoc(tfPlan(web(may19), [...web(may19), rule]));
    expect(check.verdicts.map((v) => v.decision)).toEqual(['allow']);
    expect(noteLines(check)).toEqual(['aws_lb_listener_rule.api: new rule not judged: its priority is known only after apply']);
  });
});

describe('Function: checkTerraform, count and for_each', () => {
  it('follows `count.index` from an attachment to the group with the same key, and a literal key from a listener', () => {
    // Prepare: two new groups by count, one new attachment each by count.index; HTTP:80 moves to color[1].
    const base = without(without(web(may19), 'aws_lb_listener.http'), 'aws_lb_target_group.green').filter((s) => !s.address.startsWith('aws_lb_target_group_attachment.green'));
    const before = [...base, httpTo([{ arn: BLUE_ARN, weight: 100 }], { 'default_action.0.forward.0.target_group.0.arn': 'aws_lb_target_group.blue' })];
    const after = [
      ...base,
      ...[0, 1].map((i) => tfGroup(`aws_lb_target_group.color[${i}]`, { name: `web-color-${i}`, arn: UNKNOWN })),
      ...[0, 1].map((i) => tfAttachment(`aws_lb_target_group_attachment.color[${i}]`, { group: UNKNOWN, target: `i-0c01000000000000${i}` }, { target_group_arn: ['aws_lb_target_group.color', 'count.index'] })),
      httpTo([{ arn: BLUE_ARN, weight: 0 }, { arn: UNKNOWN, weight: 100 }], { 'default_action.0.forward.0.target_group.1.arn': ['aws_lb_target_group.color[1].arn', 'aws_lb_target_group.color[1]', 'aws_lb_target_group.color'] }),
    ];

    // Act
    const check = checkTerraformDoc(tfPlan(before, after));

    // Assess: all of HTTP:80 to color[1]'s one instance (attachment [1]), not to color[0]'s.
    expect(findingLines(check)).toEqual([
      'aws_lb_listener.http: error max-target-share: all requests on HTTP:80, the default rule: i-0c010000000000001 would receive 100%, was 0%; limit 50%',
      'aws_lb_listener.http: error healthy-target-cut: all requests on HTTP:80, the default rule: would be served by 1 healthy target, was 4 (-75%); limit -50%',
    ]);
  });
});

describe('Function: checkTerraform, lifecycle', () => {
  it('takes a renamed listener (`moved`, previous_address) as the same listener', () => {
    // Prepare: the listener moves into a module-less new name and flips.
    const renamed = (weights: { blue: number; green: number }) =>
      tfListener('aws_lb_listener.front', { arn: LISTENER_ARN, lb: LB_ARN, actions: [tfForward([{ arn: BLUE_ARN, weight: weights.blue }, { arn: GREEN_ARN, weight: weights.green }])] });
    const after = [...without(web(may19), 'aws_lb_listener.http'), { ...renamed({ blue: 0, green: 100 }), previousAddress: 'aws_lb_listener.http' }];

    const check = checkTerraformDoc(tfPlan(web(may19), after));

    // Assess: "was 0%", not "new path": the before side is the old listener.
    expect(findingLines(check)[0]).toBe('aws_lb_listener.front: error max-target-share: all requests on HTTP:80, the default rule: i-0e5a7b9c1d3f50002 would receive 100%, was 0%; limit 50%');
  });

  it('judges a load balancer the plan creates as the watchdog sees its first listener arrive', () => {
    // Prepare: a new workspace: no prior_state; web forwards to green (1 instance).
    const created = creating(web({ ...may19, weights: { blue: 0, green: 100 } }));
    const runtime = evaluate(
      DEFAULT_POLICY,
      lb('web').build(),
      lb('web').group('web-blue', { targets: BLUE.map(([id, zone]) => target(id, 'healthy', zone)) }).group('web-green', { targets: [target('i-0e5a7b9c1d3f50002')] }).listener(80, forward({ 'web-blue': 0, 'web-green': 100 })).build(),
    );

    const check = checkTerraformDoc(tfPlan([], created));

    expect(check.findings.map((f) => f.message)).toEqual(runtime.findings.map((f) => f.message));
    expect(findingLines(check)).toEqual(['aws_lb_listener.http: warning max-target-share: all requests on HTTP:80, the default rule: i-0e5a7b9c1d3f50002 would receive 100%, was 0%; limit 50% (it had no working route before: not blocking)']);
  });

  it('notes a load balancer the plan deletes instead of judging it', () => {
    const check = checkTerraformDoc(tfPlan(web(may19), []));
    expect(check.verdicts).toEqual([]);
    expect(noteLines(check)).toEqual(['aws_lb.web: load balancer deleted by this plan: not judged']);
  });

  it('skips target rules for a group outside the configuration (a literal ARN) and judges the rest', () => {
    const shared = tfArn.group('shared', '1111111111111111');
    const after = [...without(web(may19), 'aws_lb_listener.http'), httpTo([{ arn: shared, weight: 40 }, { arn: GREEN_ARN, weight: 60 }], {})];
    const check = checkTerraformDoc(tfPlan(web(may19), after));
    // The instance of web-green gets 60% whatever the shared group holds.
    expect(findingLines(check)).toEqual(['aws_lb_listener.http: error max-target-share: all requests on HTTP:80, the default rule: i-0e5a7b9c1d3f50002 would receive 60%, was 0%; limit 50%']);
    expect(noteLines(check)).toContain(`${shared}: target group shared: its targets are unknown (the target group is not in this configuration); findings that depend on how many it has are not reported`);
  });

  it('notes a rule on a listener outside the configuration (a shared ALB)', () => {
    const rule = tfRule('aws_lb_listener_rule.shop', { arn: UNKNOWN, listener: tfArn.listener('shared', '2222222222222222'), priority: 10, conditions: [tfPathCondition('/shop/*')], actions: [tfForwardTo(GREEN_ARN)] });
    const check = checkTerraformDoc(tfPlan(web(may19), [...web(may19), rule]));
    expect(noteLines(check)).toEqual(['aws_lb_listener_rule.shop: not judged: its listener is not in this configuration, so the rules and default action it competes with are unknown']);
  });
});

describe('Function: checkTerraform, attributes', () => {
  it('carries a forward\'s weights and group stickiness into the snapshot the core judges', () => {
    // Prepare: a listener with weights 80/20 and stickiness on for 600 s (forward.stickiness, a list of one).
    const sticky = [...without(web(may19), 'aws_lb_listener.http'), tfListener('aws_lb_listener.http', { arn: LISTENER_ARN, lb: LB_ARN, actions: [tfForward([{ arn: BLUE_ARN, weight: 80 }, { arn: GREEN_ARN, weight: 20 }], 600)] })];
    const document = parseTerraformJson(tfPlan(web(may19), sticky), 'plan.json');
    if (document.kind !== 'plan') throw new Error('expected a plan');
    const sides = planSides(document.plan, 'plan.json');
    const arns = indexArns([sides.before, sides.after]);
    const config = new ConfigIndex(document.plan.configuration, 'plan.json');
    const { views } = loadBalancerViews(buildSide(sides.before, arns, config), buildSide(sides.after, arns, config));

    // Act
    const after = snapshotOf(views[0], 'after', new Map());

    // Assess
    expect(after?.listeners[0].defaultActions).toEqual([
      {
        type: 'forward',
        order: 1,
        forward: {
          targetGroups: [{ targetGroupArn: 'tf:aws_lb_target_group.blue', weight: 80 }, { targetGroupArn: 'tf:aws_lb_target_group.green', weight: 20 }],
          stickiness: { enabled: true, durationSeconds: 600 },
        },
      },
    ]);
  });

  it('reads a group\'s cross-zone setting: turning it off on an NLB with uneven zones gives a lone target half the traffic', () => {
    // Prepare: IP targets, three in us-east-1a and one in us-east-1b; limit 40% so the zonal split shows.
    const nlbArn = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/edge/7a7a7a7a7a7a7a7a';
    const groupArn = tfArn.group('edge', '3333333333333333');
    const ips = [['10.0.1.10', 'us-east-1a'], ['10.0.1.11', 'us-east-1a'], ['10.0.1.12', 'us-east-1a'], ['10.0.2.10', 'us-east-1b']] as const;
    const side = (crossZone: 'true' | 'false') => [
      tfLb('aws_lb.edge', { name: 'edge', arn: nlbArn, type: 'network' }),
      tfGroup('aws_lb_target_group.edge', { name: 'edge', arn: groupArn, targetType: 'ip', crossZone }),
      ...ips.map(([ip, zone], i) => tfAttachment(`aws_lb_target_group_attachment.edge[${i}]`, { group: groupArn, target: ip, zone })),
      tfListener('aws_lb_listener.tcp', { arn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/net/edge/7a7a7a7a7a7a7a7a/4444444444444444', lb: nlbArn, port: 443, protocol: 'TCP', actions: [tfForwardTo(groupArn)] }),
    ];
    const policy = validatePolicy({ rules: { 'max-target-share': { limitPercent: 40 } } });
    const nlb = (crossZone: 'on' | 'off') =>
      lb('edge', 'network').crossZoneLb(false).zonesAre().group('edge', { targetType: 'ip', crossZone, targets: ips.map(([ip, zone]) => target(ip, 'healthy', zone, 80)) }).listener(443, forward('edge'), 'TCP').build();
    const runtime = evaluate(policy, nlb('on'), nlb('off'));

    // Act
    const check = checkTerraform(parseTerraformJson(tfPlan(side('true'), side('false')), 'plan.json'), { file: 'plan.json', policy });

    // Assess
    expect(findingLines(check)).toEqual(['aws_lb_listener.tcp: error max-target-share: all requests on TCP:443, the default rule: 10.0.2.10 would receive 50%, was 25%; limit 40%']);
    expect(check.findings.map((f) => f.message)).toEqual(runtime.findings.map((f) => f.message));
  });
});

describe('Function: checkTerraform, policy', () => {
  const flip = () => tfPlan(web(may19), web({ ...may19, weights: { blue: 0, green: 100 } }));

  it('applies an override matching the load balancer\'s tags, as the watchdog does once it runs', () => {
    const policy = validatePolicy({ overrides: [{ name: 'prod', match: { tags: { env: 'prod' } }, rules: { 'max-target-share': { enabled: false } } }] });
    const check = checkTerraform(parseTerraformJson(flip(), 'plan.json'), { file: 'plan.json', policy });
    expect(check.findings.map((f) => f.ruleId)).toEqual(['healthy-target-cut']);
  });

  it('turns errors into warnings when an ARN override may apply to a load balancer whose ARN is known only after apply', () => {
    const created = creating(web({ ...may19, weights: { blue: 0, green: 100 } }));
    const policy = validatePolicy({ overrides: [{ name: 'sandbox', match: { arn: 'arn:aws:elasticloadbalancing:*:111122223333:*' }, rules: { 'max-target-share': { enabled: false } } }] });
    const check = checkTerraform(parseTerraformJson(tfPlan([], created), 'plan.json'), { file: 'plan.json', policy });
    expect(findingLines(check)).toEqual([
      'aws_lb_listener.http: warning max-target-share: all requests on HTTP:80, the default rule: i-0e5a7b9c1d3f50002 would receive 100%, was 0%; limit 50% (it had no working route before: not blocking)',
    ]);
  });

  it('does not judge a load balancer whose mode is off', () => {
    const check = checkTerraform(parseTerraformJson(flip(), 'plan.json'), { file: 'plan.json', policy: validatePolicy({ mode: 'off' }) });
    expect(check.findings).toEqual([]);
    expect(noteLines(check)).toEqual(["aws_lb.web: LB web not checked: the policy's mode for it is off"]);
  });

  it('never blocks on its own error: a rule that throws makes the verdict a warning, as at run time', () => {
    const broken = defineRule({ id: 'broken', title: 'Broken', severity: 'block', rationale: 'test', params: z.strictObject({}), defaults: {}, evaluate: () => { throw new Error('boom'); } });
    const registry = createRegistry([...RULES.rules, broken]);
    const check = checkTerraform(parseTerraformJson(flip(), 'plan.json'), { file: 'plan.json', registry });
    expect(check.verdicts.map((v) => v.decision)).toEqual(['warn']);
    expect(check.findings.map((f) => `${f.severity} ${f.ruleId}`)).toEqual(['warning max-target-share', 'warning healthy-target-cut', 'warning rule-error']);
  });
});
