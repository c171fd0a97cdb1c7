import { CreateListenerCommand, CreateLoadBalancerCommand, CreateRuleCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { BackendClients } from '../backend/backend-clients';
import type { World, WorldInfo } from './world';
import { createGroup, createNetwork, runInstances } from './world-parts';

/**
 * A load balancer with many path rules, for counting what a change costs in ELBv2 calls as the number of
 * target groups grows: ALB `shop`, HTTP:80 whose default action forwards to `shop-blue` (4 targets, weight
 * 100) and `shop-green` (1 target, weight 0), and `rules` path rules `/svc-NN/*` (priority NN), each
 * forwarding to its own group `svc-NN` with 2 targets.
 */
export function pathRulesWorld(rules: number): World {
  return {
    name: `rules-${rules}`,
    description: `ALB shop: HTTP:80 default → shop-blue (4 targets, weight 100) + shop-green (1, weight 0); ${rules} path rules /svc-NN/* → svc-NN (2 targets each)`,
    traffic: { loadBalancers: { shop: 1000 } },
    build: (backend) => buildPathRules(backend, rules),
  };
}

/** The name of the n-th service (1-based): `svc-01`. */
export const serviceName = (n: number): string => `svc-${String(n).padStart(2, '0')}`;

async function buildPathRules(backend: BackendClients, rules: number): Promise<WorldInfo> {
  const resources: Record<string, string> = {};
  const { vpcId, subnets } = await createNetwork(backend);
  const needed = 5 + 2 * rules;
  const half = Math.ceil(needed / 2);
  const instances = [...(await runInstances(backend, subnets[0], half)), ...(await runInstances(backend, subnets[1], needed - half))];
  instances.forEach((id, i) => (resources[`instance:shop-${i + 1}`] = id));
  const lb = await backend.elbv2.send(new CreateLoadBalancerCommand({ Name: 'shop', Subnets: [...subnets], Scheme: 'internet-facing', Type: 'application' }));
  const lbArn = lb.LoadBalancers?.[0]?.LoadBalancerArn ?? '';
  resources['loadBalancer:shop'] = lbArn;
  const blue = await createGroup(backend, vpcId, 'shop-blue', instances.slice(0, 4));
  const green = await createGroup(backend, vpcId, 'shop-green', instances.slice(4, 5));
  resources['targetGroup:shop-blue'] = blue;
  resources['targetGroup:shop-green'] = green;
  const listener = await backend.elbv2.send(
    new CreateListenerCommand({
      LoadBalancerArn: lbArn,
      Protocol: 'HTTP',
      Port: 80,
      DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: blue, Weight: 100 }, { TargetGroupArn: green, Weight: 0 }] } }],
    }),
  );
  const listenerArn = listener.Listeners?.[0]?.ListenerArn ?? '';
  resources['listener:shop:80'] = listenerArn;
  for (let n = 1; n <= rules; n++) {
    const name = serviceName(n);
    const group = await createGroup(backend, vpcId, name, instances.slice(5 + 2 * (n - 1), 5 + 2 * n));
    resources[`targetGroup:${name}`] = group;
    const rule = await backend.elbv2.send(
      new CreateRuleCommand({
        ListenerArn: listenerArn,
        Priority: n,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: [`/${name}/*`] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: group }],
      }),
    );
    resources[`rule:${name}`] = rule.Rules?.[0]?.RuleArn ?? '';
  }
  return { name: `rules-${rules}`, resources };
}
