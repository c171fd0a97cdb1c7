import { CreateListenerCommand, CreateLoadBalancerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { BackendClients } from '../backend/backend-clients';
import type { World, WorldInfo } from './world';
import { createGroup, createNetwork, runInstances } from './world-parts';

/**
 * Many load balancers of the May 19 shape, for bursts across load balancers: ALBs `web-01` … `web-NN`, each
 * HTTP:80 forwarding to its `web-NN-blue` (4 targets, weight 100) and `web-NN-green` (1 target, weight 0).
 */
export function fleetWorld(loadBalancers: number): World {
  return {
    name: `fleet-${loadBalancers}`,
    description: `${loadBalancers} ALBs web-NN: HTTP:80 → web-NN-blue (4 targets, weight 100) + web-NN-green (1 target, weight 0)`,
    // A light load: the fleet is for the change path, not for overload.
    traffic: { defaultRequestsPerMinute: 400 },
    build: (backend) => buildFleet(backend, loadBalancers),
  };
}

/** The name of the n-th load balancer (1-based): `web-01`. */
export const fleetName = (n: number): string => `web-${String(n).padStart(2, '0')}`;

async function buildFleet(backend: BackendClients, count: number): Promise<WorldInfo> {
  const resources: Record<string, string> = {};
  const { vpcId, subnets } = await createNetwork(backend);
  const half = Math.ceil((count * 5) / 2);
  const instances = [...(await runInstances(backend, subnets[0], half)), ...(await runInstances(backend, subnets[1], count * 5 - half))];
  for (let n = 1; n <= count; n++) {
    const name = fleetName(n);
    const mine = instances.slice((n - 1) * 5, n * 5);
    mine.forEach((id, i) => (resources[`instance:${name}-${i + 1}`] = id));
    const lb = await backend.elbv2.send(new CreateLoadBalancerCommand({ Name: name, Subnets: [...subnets], Scheme: 'internet-facing', Type: 'application' }));
    const lbArn = lb.LoadBalancers?.[0]?.LoadBalancerArn ?? '';
    resources[`loadBalancer:${name}`] = lbArn;
    const blue = await createGroup(backend, vpcId, `${name}-blue`, mine.slice(0, 4));
    const green = await createGroup(backend, vpcId, `${name}-green`, mine.slice(4));
    resources[`targetGroup:${name}-blue`] = blue;
    resources[`targetGroup:${name}-green`] = green;
    const listener = await backend.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: lbArn,
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: blue, Weight: 100 }, { TargetGroupArn: green, Weight: 0 }] } }],
      }),
    );
    resources[`listener:${name}:80`] = listener.Listeners?.[0]?.ListenerArn ?? '';
  }
  return { name: `fleet-${count}`, resources };
}
