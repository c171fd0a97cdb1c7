import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { BackendClients } from '../backend/backend-clients';
import type { World, WorldInfo } from './world';

/**
 * The May 19 shape: one ALB `web`, HTTP:80 forwarding to `web-blue` (4 servers, weight 100) and `web-green`
 * (1 server, weight 0). 4,000 requests a minute over 4 servers is 1,000 each against a capacity of 1,500;
 * flip the weights and one server gets 4,000 and falls over within two sim minutes.
 */
export const demoWorld: World = {
  name: 'demo',
  description: 'VPC in 2 AZs, 5 instances, ALB web: HTTP:80 → web-blue (4 targets, weight 100) + web-green (1 target, weight 0)',
  traffic: { loadBalancers: { web: 4000 }, defaultCapacityPerMinute: 1500, crashAfterMinutes: 2, recoverAfterMinutes: 5 },
  build: buildDemo,
};

// Any AMI id will do (moto does not validate them); DescribeImages would cost a second on a fresh moto.
const DEMO_IMAGE_ID = 'ami-0abcdef1234567890';

async function buildDemo(backend: BackendClients): Promise<WorldInfo> {
  const resources: Record<string, string> = {};
  const zones = [`${backend.region}a`, `${backend.region}b`];
  const vpc = await backend.ec2('CreateVpc', { CidrBlock: '10.0.0.0/16' });
  const vpcId = String(field(vpc.vpc, 'vpcId'));
  resources['vpc:web'] = vpcId;
  const subnets: string[] = [];
  for (const [i, zone] of zones.entries()) {
    const subnet = await backend.ec2('CreateSubnet', { VpcId: vpcId, CidrBlock: `10.0.${i + 1}.0/24`, AvailabilityZone: zone });
    const subnetId = String(field(subnet.subnet, 'subnetId'));
    subnets.push(subnetId);
    resources[`subnet:${zone}`] = subnetId;
  }
  // web-1, web-2 and web-5 in the first zone, web-3 and web-4 in the second: blue spans both zones.
  const placement = [0, 0, 1, 1, 0];
  const instanceIds: string[] = [];
  for (const [i, zoneIndex] of placement.entries()) {
    const name = `web-${i + 1}`;
    const run = await backend.ec2('RunInstances', {
      ImageId: DEMO_IMAGE_ID,
      InstanceType: 't3.small',
      MinCount: '1',
      MaxCount: '1',
      SubnetId: subnets[zoneIndex] ?? '',
      'TagSpecification.1.ResourceType': 'instance',
      'TagSpecification.1.Tag.1.Key': 'Name',
      'TagSpecification.1.Tag.1.Value': name,
    });
    const id = String(field(Array.isArray(run.instancesSet) ? run.instancesSet[0] : undefined, 'instanceId'));
    instanceIds.push(id);
    resources[`instance:${name}`] = id;
  }
  const lb = await backend.elbv2.send(new CreateLoadBalancerCommand({ Name: 'web', Subnets: subnets, Scheme: 'internet-facing', Type: 'application' }));
  const lbArn = lb.LoadBalancers?.[0]?.LoadBalancerArn ?? '';
  resources['loadBalancer:web'] = lbArn;
  const group = async (name: string, ids: string[]): Promise<string> => {
    const created = await backend.elbv2.send(
      new CreateTargetGroupCommand({ Name: name, Protocol: 'HTTP', Port: 80, VpcId: vpcId, HealthCheckPath: '/health', TargetType: 'instance' }),
    );
    const arn = created.TargetGroups?.[0]?.TargetGroupArn ?? '';
    await backend.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: ids.map((Id) => ({ Id, Port: 80 })) }));
    resources[`targetGroup:${name}`] = arn;
    return arn;
  };
  const blue = await group('web-blue', instanceIds.slice(0, 4));
  const green = await group('web-green', instanceIds.slice(4));
  const listener = await backend.elbv2.send(
    new CreateListenerCommand({
      LoadBalancerArn: lbArn,
      Protocol: 'HTTP',
      Port: 80,
      DefaultActions: [
        {
          Type: 'forward',
          ForwardConfig: {
            TargetGroups: [
              { TargetGroupArn: blue, Weight: 100 },
              { TargetGroupArn: green, Weight: 0 },
            ],
            TargetGroupStickinessConfig: { Enabled: false },
          },
        },
      ],
    }),
  );
  resources['listener:web:80'] = listener.Listeners?.[0]?.ListenerArn ?? '';
  return { name: 'demo', resources };
}

function field(value: unknown, name: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[name] : undefined;
}
