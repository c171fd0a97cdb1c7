import { CreateTargetGroupCommand, RegisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { BackendClients } from '../backend/backend-clients';

/** A VPC with one subnet per zone, made straight in the backend. */
export interface WorldNetwork {
  readonly vpcId: string;
  readonly subnets: readonly string[];
}

// Any AMI id will do (moto does not validate them); DescribeImages would cost a second on a fresh moto.
const IMAGE_ID = 'ami-0abcdef1234567890';

function field(value: unknown, name: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[name] : undefined;
}

/** A VPC with a subnet in each of the Region's first two zones. */
export async function createNetwork(backend: BackendClients): Promise<WorldNetwork> {
  const vpc = await backend.ec2('CreateVpc', { CidrBlock: '10.0.0.0/16' });
  const vpcId = String(field(vpc.vpc, 'vpcId'));
  const subnets: string[] = [];
  for (const [i, zone] of [`${backend.region}a`, `${backend.region}b`].entries()) {
    const subnet = await backend.ec2('CreateSubnet', { VpcId: vpcId, CidrBlock: `10.0.${i + 1}.0/24`, AvailabilityZone: zone });
    subnets.push(String(field(subnet.subnet, 'subnetId')));
  }
  return { vpcId, subnets };
}

/** `count` instances in one subnet, in one RunInstances call; their ids in launch order. */
export async function runInstances(backend: BackendClients, subnetId: string, count: number): Promise<string[]> {
  const run = await backend.ec2('RunInstances', { ImageId: IMAGE_ID, InstanceType: 't3.small', MinCount: String(count), MaxCount: String(count), SubnetId: subnetId });
  const set = run.instancesSet;
  const items = Array.isArray(set) ? set : set === undefined ? [] : [set];
  return items.map((item) => String(field(item, 'instanceId')));
}

/** An HTTP:80 instance target group with these targets registered; its ARN. */
export async function createGroup(backend: BackendClients, vpcId: string, name: string, instanceIds: readonly string[]): Promise<string> {
  const created = await backend.elbv2.send(new CreateTargetGroupCommand({ Name: name, Protocol: 'HTTP', Port: 80, VpcId: vpcId, HealthCheckPath: '/health', TargetType: 'instance' }));
  const arn = created.TargetGroups?.[0]?.TargetGroupArn ?? '';
  if (instanceIds.length > 0) await backend.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: instanceIds.map((Id) => ({ Id, Port: 80 })) }));
  return arn;
}
