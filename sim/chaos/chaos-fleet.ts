import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { BackendClients } from '../backend/backend-clients';

/** One load balancer of the fleet, by the names a chaos step uses. */
export interface FleetLoadBalancer {
  readonly name: string;
  readonly arn: string;
  readonly listener: string;
  /** The `/api/*` rule (priority 10 at the start) and the `/admin/*` rule (priority 20). */
  readonly apiRule: string;
  readonly adminRule: string;
  /** A: 4 targets, B: 1 target, C: 3 targets (behind `/admin/*`, where the scaler acts). */
  readonly groups: { readonly a: string; readonly b: string; readonly c: string };
  /** The instances of C, in order: the scaler keeps the first `n`. */
  readonly cTargets: readonly string[];
}

// Any AMI id will do (moto does not validate them).
const IMAGE_ID = 'ami-0abcdef1234567890';

/**
 * Builds the fleet straight in the backend, as a world does: no CloudTrail events (the load balancers predate
 * the watchdog; its first audit takes their baselines). Each: HTTP:80 forwarding A 100 / B 0, `/api/*` → A,
 * `/admin/*` → C.
 */
export async function buildFleet(backend: BackendClients, names: readonly string[]): Promise<FleetLoadBalancer[]> {
  const zones = [`${backend.region}a`, `${backend.region}b`];
  const vpc = await backend.ec2('CreateVpc', { CidrBlock: '10.8.0.0/16' });
  const vpcId = String(field(vpc.vpc, 'vpcId'));
  const subnets: string[] = [];
  for (const [i, zone] of zones.entries()) {
    const subnet = await backend.ec2('CreateSubnet', { VpcId: vpcId, CidrBlock: `10.8.${i + 1}.0/24`, AvailabilityZone: zone });
    subnets.push(String(field(subnet.subnet, 'subnetId')));
  }
  const instances = async (count: number): Promise<string[]> => {
    const run = await backend.ec2('RunInstances', { ImageId: IMAGE_ID, InstanceType: 't3.small', MinCount: String(count), MaxCount: String(count), SubnetId: subnets[0] ?? '' });
    const set = Array.isArray(run.instancesSet) ? run.instancesSet : [run.instancesSet];
    return set.map((i) => String(field(i, 'instanceId')));
  };
  const fleet: FleetLoadBalancer[] = [];
  for (const name of names) {
    const lb = await backend.elbv2.send(new CreateLoadBalancerCommand({ Name: name, Subnets: subnets, Scheme: 'internet-facing', Type: 'application' }));
    const arn = lb.LoadBalancers?.[0]?.LoadBalancerArn ?? '';
    const group = async (suffix: string, ids: string[]): Promise<string> => {
      const created = await backend.elbv2.send(new CreateTargetGroupCommand({ Name: `${name}-${suffix}`, Protocol: 'HTTP', Port: 80, VpcId: vpcId, TargetType: 'instance' }));
      const groupArn = created.TargetGroups?.[0]?.TargetGroupArn ?? '';
      await backend.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: groupArn, Targets: ids.map((Id) => ({ Id, Port: 80 })) }));
      return groupArn;
    };
    const cTargets = await instances(3);
    const groups = { a: await group('a', await instances(4)), b: await group('b', await instances(1)), c: await group('c', cTargets) };
    const listener = await backend.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: arn,
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: groups.a, Weight: 100 }, { TargetGroupArn: groups.b, Weight: 0 }] } }],
      }),
    );
    const listenerArn = listener.Listeners?.[0]?.ListenerArn ?? '';
    const rule = async (priority: number, path: string, group: string): Promise<string> => {
      const created = await backend.elbv2.send(
        new CreateRuleCommand({ ListenerArn: listenerArn, Priority: priority, Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: [path] } }], Actions: [{ Type: 'forward', TargetGroupArn: group }] }),
      );
      return created.Rules?.[0]?.RuleArn ?? '';
    };
    fleet.push({ name, arn, listener: listenerArn, apiRule: await rule(10, '/api/*', groups.a), adminRule: await rule(20, '/admin/*', groups.c), groups, cTargets });
  }
  return fleet;
}

function field(value: unknown, name: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[name] : undefined;
}
