import * as path from 'node:path';
import { App, Aspects, CfnParameter, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { IpTarget } from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import { ElbTrafficPolicyChecks, type ElbTrafficPolicyChecksProps } from '../../../lib';
import { WatchdogPolicyError } from '../../../lib/watchdog-policy';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'templates');
const LISTENER = '/Web/Alb/Http/Resource';

interface WebApp {
  /** Servers per group: `{ blue: 4, green: 1 }`; `undefined` leaves the group's targets to someone else (an ASG). */
  readonly servers: Record<'blue' | 'green', number | undefined>;
  /** Forward weights, or a function making them from the stack (tokens). */
  readonly weights: Record<'blue' | 'green', number> | ((stack: Stack) => Record<'blue' | 'green', number>);
  readonly props?: ElbTrafficPolicyChecksProps;
  /** Tags on the load balancer. */
  readonly tags?: Record<string, string>;
}

/** A small CDK app: an ALB in an imported VPC, blue and green IP target groups, one weighted listener; no Lambda, no bundling. */
function synthWeb({ servers, weights, props, tags = {} }: WebApp): Stack {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Web');
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0a1b2c3d4e5f60001',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    publicSubnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
  });
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
  for (const [key, value] of Object.entries(tags)) Tags.of(alb).add(key, value);
  const group = (name: 'blue' | 'green', first: number) =>
    new elbv2.ApplicationTargetGroup(stack, name === 'blue' ? 'Blue' : 'Green', {
      vpc,
      port: 80,
      targetType: elbv2.TargetType.IP,
      targets: Array.from({ length: servers[name] ?? 0 }, (_, i) => new IpTarget(`10.0.${first}.${i + 1}`)),
    });
  const blue = group('blue', 1);
  const green = group('green', 2);
  const w = typeof weights === 'function' ? weights(stack) : weights;
  alb.addListener('Http', {
    port: 80,
    open: false,
    defaultAction: elbv2.ListenerAction.weightedForward([
      { targetGroup: blue, weight: w.blue },
      { targetGroup: green, weight: w.green },
    ]),
  });
  Aspects.of(stack).add(new ElbTrafficPolicyChecks(props));
  return stack;
}

describe('Aspect: ElbTrafficPolicyChecks', () => {
  it('reports an error on a listener that sends 100% to a one-target group', () => {
    // GIVEN the May 19 change as a CDK app
    const stack = synthWeb({ servers: { blue: 4, green: 1 }, weights: { blue: 0, green: 100 } });

    // WHEN synthesized THEN the listener carries the error, with the numbers
    Annotations.fromStack(stack).hasError(
      LISTENER,
      '[elb-watchdog/max-target-share] listener HTTP:80 of LB Alb sends 100% of all requests to target group Green (1 target): limit 50%',
    );
  });

  it('reports nothing on a safe 50/50 blue/green', () => {
    // GIVEN
    const stack = synthWeb({ servers: { blue: 2, green: 2 }, weights: { blue: 50, green: 50 } });

    // WHEN / THEN
    Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('elb-watchdog'));
  });

  it.each<[string, WebApp, 'error' | 'warning', string, RegExp]>([
    ['total weight 0', { servers: { blue: 2, green: 2 }, weights: { blue: 0, green: 0 } }, 'error', LISTENER, /forward-reaches-targets.*total weight 0/],
    ['a single fixed target in each half', { servers: { blue: 1, green: 1 }, weights: { blue: 50, green: 50 } }, 'warning', '/Web/Green/Resource', /healthy-target-cut.*1 fixed target/],
    ['100% to one target when the policy\'s override is for another tag', { servers: { blue: 4, green: 1 }, weights: { blue: 0, green: 100 }, tags: { env: 'dev' }, props: { policy: path.join(FIXTURES, 'policy-prod-override.yaml') } }, 'error', LISTENER, /max-target-share/],
  ])('reports %s', (_case, app, level, at, message) => {
    // GIVEN / WHEN
    const annotations = Annotations.fromStack(synthWeb(app));

    // THEN
    if (level === 'error') annotations.hasError(at, Match.stringLikeRegexp(message.source));
    else annotations.hasWarning(at, Match.stringLikeRegexp(message.source));
  });

  it.each<[string, WebApp]>([
    ['a weight that resolves only at deploy', { servers: { blue: 4, green: 1 }, weights: (stack) => ({ blue: 0, green: new CfnParameter(stack, 'GreenWeight', { type: 'Number' }).valueAsNumber }) }],
    ['a group with no fixed targets (an Auto Scaling group or ECS registers them)', { servers: { blue: 4, green: undefined }, weights: { blue: 0, green: 100 } }],
    ['a policy object that allows one target a whole path', { servers: { blue: 4, green: 1 }, weights: { blue: 0, green: 100 }, props: { policy: { version: 1, rules: { 'max-target-share': { limitPercent: 100 } } } } }],
    ['a policy file that does so', { servers: { blue: 4, green: 1 }, weights: { blue: 0, green: 100 }, props: { policy: path.join(FIXTURES, 'policy-relaxed.yaml') } }],
    ['a policy override matching the load balancer\'s tag', { servers: { blue: 4, green: 1 }, weights: { blue: 0, green: 100 }, tags: { env: 'prod' }, props: { policy: path.join(FIXTURES, 'policy-prod-override.yaml') } }],
  ])('reports no error for %s', (_case, app) => {
    // GIVEN
    const stack = synthWeb(app);

    // WHEN / THEN
    Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
  });

  it('fails at construction on a bad policy, naming the field', () => {
    // WHEN / THEN
    expect(() => new ElbTrafficPolicyChecks({ policy: { version: 1, rules: { 'max-target-share': { limitPercent: 0 } } } })).toThrow(WatchdogPolicyError);
    expect(() => new ElbTrafficPolicyChecks({ policy: path.join(FIXTURES, 'missing.yaml') })).toThrow(/ElbTrafficPolicyChecks: cannot read policy file .*missing\.yaml/);
  });
});
