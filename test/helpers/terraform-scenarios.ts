import { tfPlan, tfState, UNKNOWN, type TfResourceSpec } from './terraform-plan';
import {
  tfArn,
  tfAttachment,
  tfAutoScalingGroup,
  tfForward,
  tfForwardTo,
  tfGroup,
  tfLb,
  tfListener,
  tfPathCondition,
  tfRule,
} from './terraform-resources';

/**
 * The Terraform plans and states of `test/fixtures/terraform/` (written by `generate.ts` there), all
 * about the load balancer `web` of the CLI fixtures (`test/fixtures/cli/web-before.json`: same ARNs and
 * instance ids): HTTP:80 forwarding to `web-blue` (4 instances) and `web-green`.
 */

/** The instances of web-blue and web-green in the CLI fixtures, with their zones. */
export const BLUE = [
  ['i-0598c7d356eba48d7', 'us-east-1a'],
  ['i-0a1b2c3d4e5f60718', 'us-east-1a'],
  ['i-0fedcba9876543210', 'us-east-1b'],
  ['i-0123456789abcdef0', 'us-east-1b'],
] as const;
export const GREEN = [['i-0e5a7b9c1d3f50002', 'us-east-1a'], ['i-0e5a7b9c1d3f50003', 'us-east-1b'], ['i-0e5a7b9c1d3f50004', 'us-east-1a'], ['i-0e5a7b9c1d3f50005', 'us-east-1b']] as const;

const LB_ARN = tfArn.lb('web');
const LISTENER_ARN = tfArn.listener('web', 'f2f7dc8efc522ab2');
export const BLUE_ARN = tfArn.group('web-blue', '73e2d6bc24d8a067');
export const GREEN_ARN = tfArn.group('web-green', '2453ed029918f21f');

type Targets = readonly (readonly [string, string])[] | 'asg';

/** How `web` is written. */
export interface WebOptions {
  /** Module instance the resources live in (`module.web`, `module.svc["shop"]`). */
  readonly module?: string;
  readonly blue: Targets;
  readonly green: Targets;
  readonly weights: { readonly blue: number; readonly green: number };
  /** `count` (`aws_lb_target_group.blue`, `..._attachment.blue[0]`) or `for_each` (`aws_lb_target_group.this["blue"]`). */
  readonly style?: 'count' | 'for_each';
}

/** The resources of `web` in the given shape. */
export function web(o: WebOptions): TfResourceSpec[] {
  const at = (address: string) => (o.module === undefined ? address : `${o.module}.${address}`);
  const groupAddress = (color: 'blue' | 'green') => at(o.style === 'for_each' ? `aws_lb_target_group.this["${color}"]` : `aws_lb_target_group.${color}`);
  const groupRef = (color: 'blue' | 'green') => (o.style === 'for_each' ? `aws_lb_target_group.this["${color}"]` : `aws_lb_target_group.${color}`);
  const arns = { blue: BLUE_ARN, green: GREEN_ARN };
  const resources: TfResourceSpec[] = [tfLb(at('aws_lb.web'), { name: 'web', arn: LB_ARN })];
  for (const color of ['blue', 'green'] as const) {
    resources.push(tfGroup(groupAddress(color), { name: `web-${color}`, arn: arns[color] }));
    const targets = o[color];
    if (targets === 'asg') {
      resources.push(tfAutoScalingGroup(at(`aws_autoscaling_group.${color}`), { name: `web-${color}`, groups: [arns[color]] }, { target_group_arns: groupRef(color) }));
      continue;
    }
    targets.forEach(([id, zone], i) => {
      const address = o.style === 'for_each' ? `aws_lb_target_group_attachment.this["${color}-${i}"]` : `aws_lb_target_group_attachment.${color}[${i}]`;
      resources.push(tfAttachment(at(address), { group: arns[color], target: id, zone }, { target_group_arn: groupRef(color) }));
    });
  }
  resources.push(
    tfListener(
      at('aws_lb_listener.http'),
      { arn: LISTENER_ARN, lb: LB_ARN, actions: [tfForward([{ arn: BLUE_ARN, weight: o.weights.blue }, { arn: GREEN_ARN, weight: o.weights.green }])] },
      { load_balancer_arn: 'aws_lb.web', 'default_action.0.forward.0.target_group.0.arn': groupRef('blue'), 'default_action.0.forward.0.target_group.1.arn': groupRef('green') },
    ),
  );
  return resources;
}

const may19 = { blue: BLUE, green: GREEN.slice(0, 1), weights: { blue: 100, green: 0 } } as const;

const catchAll = tfRule(
  'aws_lb_listener_rule.catch_all',
  { arn: UNKNOWN, listener: LISTENER_ARN, priority: 1, conditions: [tfPathCondition('/*')], actions: [tfForwardTo(GREEN_ARN)] },
  { listener_arn: 'aws_lb_listener.http', 'action.0.target_group_arn': 'aws_lb_target_group.green' },
);

const CANARY = 'aws_lb_target_group.canary';
/** A canary group created by the plan (its ARN known after apply) with two new instances (ids known after apply), 20% of HTTP:80, and an API rule whose priority AWS will pick. */
function canary(): TfResourceSpec[] {
  const resources = web({ ...may19 }).filter((r) => r.address !== 'aws_lb_listener.http');
  resources.push(tfGroup(CANARY, { name: 'web-canary', arn: UNKNOWN }));
  for (const i of [0, 1]) resources.push(tfAttachment(`aws_lb_target_group_attachment.canary[${i}]`, { group: UNKNOWN, target: UNKNOWN }, { target_group_arn: CANARY }));
  resources.push(
    tfListener(
      'aws_lb_listener.http',
      { arn: LISTENER_ARN, lb: LB_ARN, actions: [tfForward([{ arn: BLUE_ARN, weight: 80 }, { arn: GREEN_ARN, weight: 0 }, { arn: UNKNOWN, weight: 20 }])] },
      {
        load_balancer_arn: 'aws_lb.web',
        'default_action.0.forward.0.target_group.0.arn': 'aws_lb_target_group.blue',
        'default_action.0.forward.0.target_group.1.arn': 'aws_lb_target_group.green',
        'default_action.0.forward.0.target_group.2.arn': CANARY,
      },
    ),
    tfRule('aws_lb_listener_rule.api', { arn: UNKNOWN, listener: LISTENER_ARN, priority: UNKNOWN, conditions: [tfPathCondition('/api/*')], actions: [tfForwardTo(GREEN_ARN)] }, { listener_arn: 'aws_lb_listener.http', 'action.0.target_group_arn': 'aws_lb_target_group.green' }),
  );
  return resources;
}

/** Each fixture: its file name, what it shows, and the document. */
export const TERRAFORM_FIXTURES: Record<string, { readonly description: string; readonly build: () => Record<string, unknown> }> = {
  'flip-by-weights.plan.json': {
    description: 'May 19 as a plan: HTTP:80 from web-blue 100 / web-green 0 to 0 / 100 (web-green has 1 instance)',
    build: () => tfPlan(web(may19), web({ ...may19, weights: { blue: 0, green: 100 } })),
  },
  'new-catch-all-rule.plan.json': {
    description: 'a new rule at priority 1 matching every path (/*) that forwards to web-green (1 instance)',
    build: () => tfPlan(web(may19), [...web(may19), catchAll]),
  },
  'removed-attachment.plan.json': {
    description: 'web-blue goes from 4 attachments (count = 4) to 1: three aws_lb_target_group_attachment deleted',
    build: () => tfPlan(web(may19), web({ ...may19, blue: BLUE.slice(0, 1) })),
  },
  'safe-blue-green.plan.json': {
    description: 'blue/green done safely: web-green already holds 4 instances; HTTP:80 moves from 100 / 0 to 50 / 50',
    build: () => tfPlan(web({ ...may19, green: GREEN }), web({ ...may19, green: GREEN, weights: { blue: 50, green: 50 } })),
  },
  'unknown-values.plan.json': {
    description: 'a new canary group (ARN known after apply) with two new instances (ids known after apply) takes 20%; a new rule has no priority (AWS picks it at apply)',
    build: () => tfPlan(web(may19), canary()),
  },
  'unknown-values-no-configuration.plan.json': {
    description: 'the same plan without its configuration section: the canary ARN cannot be traced to its resource',
    build: () => tfPlan(web(may19), canary(), { configuration: false }),
  },
  'module-flip.plan.json': {
    description: 'the May 19 flip with web inside module.web',
    build: () => tfPlan(web({ ...may19, module: 'module.web' }), web({ ...may19, module: 'module.web', weights: { blue: 0, green: 100 } })),
  },
  'for-each-flip.plan.json': {
    description: 'the flip with web inside module.svc["shop"], groups and attachments keyed by for_each',
    build: () => {
      const shape = { ...may19, module: 'module.svc["shop"]', style: 'for_each' } as const;
      return tfPlan(web(shape), web({ ...shape, weights: { blue: 0, green: 100 } }));
    },
  },
  'auto-scaling-flip.plan.json': {
    description: 'web-blue is filled by an Auto Scaling group (no attachments); the flip sends everything to web-green (1 attachment)',
    build: () => tfPlan(web({ ...may19, blue: 'asg' }), web({ ...may19, blue: 'asg', weights: { blue: 0, green: 100 } })),
  },
  'auto-scaling-blue-green.plan.json': {
    description: 'both groups filled by Auto Scaling groups: 100 / 0 to 0 / 100 cannot be judged before apply',
    build: () => tfPlan(web({ ...may19, blue: 'asg', green: 'asg' }), web({ ...may19, blue: 'asg', green: 'asg', weights: { blue: 0, green: 100 } })),
  },
  'web-after-flip.state.json': {
    description: 'the state after the flip (terraform show -json on the state): no before, judged as a template is',
    build: () => tfState(web({ ...may19, weights: { blue: 0, green: 100 } })),
  },
  'web-blue-green.state.json': {
    description: 'a safe state: web-blue 50 / web-green 50, 4 instances each',
    build: () => tfState(web({ ...may19, green: GREEN, weights: { blue: 50, green: 50 } })),
  },
};
