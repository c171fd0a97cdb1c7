import {
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  type Action,
  type LoadBalancer,
  type Rule,
  type RuleCondition,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { BackendClients } from '../backend/backend-clients';
import { dimensionOf, type ActionNode, type ConditionNode, type ListenerNode, type LoadBalancerNode, type PathNode, type TargetGroupNode, type Topology } from './topology';

/** Reads the current ELBv2 configuration from the backend (moto) into a {@link Topology}. */
export async function readTopology(backend: BackendClients): Promise<Topology> {
  const [loadBalancers, groups, zones] = await Promise.all([allLoadBalancers(backend), allTargetGroups(backend), instanceZones(backend)]);
  const used = groups.filter((g) => (g.LoadBalancerArns ?? []).length > 0);
  const targetGroups = new Map<string, TargetGroupNode>();
  await inBatches(used, async (group) => {
    const node = await readTargetGroup(backend, group, zones);
    targetGroups.set(node.arn, node);
  });
  const lbNodes: LoadBalancerNode[] = [];
  await inBatches(loadBalancers, async (lb) => {
    lbNodes.push(await readLoadBalancer(backend, lb));
  });
  lbNodes.sort((a, b) => a.arn.localeCompare(b.arn));
  return { loadBalancers: lbNodes, targetGroups };
}

async function allLoadBalancers(backend: BackendClients): Promise<LoadBalancer[]> {
  const out: LoadBalancer[] = [];
  let Marker: string | undefined;
  do {
    const page = await backend.elbv2.send(new DescribeLoadBalancersCommand({ Marker, PageSize: 400 }));
    out.push(...(page.LoadBalancers ?? []));
    Marker = page.NextMarker;
  } while (Marker);
  return out;
}

async function allTargetGroups(backend: BackendClients): Promise<TargetGroup[]> {
  const out: TargetGroup[] = [];
  let Marker: string | undefined;
  do {
    const page = await backend.elbv2.send(new DescribeTargetGroupsCommand({ Marker, PageSize: 400 }));
    out.push(...(page.TargetGroups ?? []));
    Marker = page.NextMarker;
  } while (Marker);
  return out;
}

async function instanceZones(backend: BackendClients): Promise<Map<string, string>> {
  const out = await backend.ec2('DescribeInstances', { MaxResults: '1000' });
  const zones = new Map<string, string>();
  for (const reservation of list(out.reservationSet)) {
    for (const instance of list(field(reservation, 'instancesSet'))) {
      const id = field(instance, 'instanceId');
      const zone = field(field(instance, 'placement'), 'availabilityZone');
      if (typeof id === 'string' && typeof zone === 'string') zones.set(id, zone);
    }
  }
  return zones;
}

async function readTargetGroup(backend: BackendClients, group: TargetGroup, zones: Map<string, string>): Promise<TargetGroupNode> {
  const arn = group.TargetGroupArn ?? '';
  const [health, attributes] = await Promise.all([
    backend.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn })),
    backend.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn })).catch(() => undefined),
  ]);
  const crossZone = attributes?.Attributes?.find((a) => a.Key === 'load_balancing.cross_zone.enabled')?.Value;
  return {
    arn,
    name: group.TargetGroupName ?? '',
    dimension: dimensionOf(arn),
    crossZone: crossZone === 'true' ? true : crossZone === 'false' ? false : undefined,
    targets: (health.TargetHealthDescriptions ?? []).map((d) => ({
      id: d.Target?.Id ?? '',
      port: d.Target?.Port,
      zone: d.Target?.AvailabilityZone ?? zones.get(d.Target?.Id ?? '') ?? 'unknown',
      backendState: d.TargetHealth?.State ?? 'healthy',
    })),
  };
}

async function readLoadBalancer(backend: BackendClients, lb: LoadBalancer): Promise<LoadBalancerNode> {
  const arn = lb.LoadBalancerArn ?? '';
  const type = (lb.Type ?? 'application') as LoadBalancerNode['type'];
  const [listeners, attributes] = await Promise.all([
    backend.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: arn })),
    type === 'application' ? undefined : backend.elbv2.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn })).catch(() => undefined),
  ]);
  const nodes: ListenerNode[] = [];
  for (const listener of listeners.Listeners ?? []) {
    const rules = await backend.elbv2.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn }));
    const paths: PathNode[] = (rules.Rules ?? []).map(pathOf);
    if (!paths.some((p) => p.isDefault)) paths.push(pathOf({ IsDefault: true, Actions: listener.DefaultActions ?? [] }));
    nodes.push({ arn: listener.ListenerArn ?? '', port: listener.Port, protocol: listener.Protocol, paths });
  }
  // ALB cross-zone is always on at the load balancer level; NLB and GWLB default to off.
  const crossZoneAttr = attributes?.Attributes?.find((a) => a.Key === 'load_balancing.cross_zone.enabled')?.Value;
  return {
    arn,
    name: lb.LoadBalancerName ?? '',
    type,
    dimension: dimensionOf(arn),
    zones: (lb.AvailabilityZones ?? []).map((z) => z.ZoneName ?? '').filter(Boolean),
    crossZone: type === 'application' ? true : crossZoneAttr === 'true',
    listeners: nodes,
  };
}

function pathOf(rule: Rule): PathNode {
  const isDefault = rule.IsDefault === true;
  const action = actionOf(rule.Actions ?? []);
  const priority = Number(rule.Priority);
  return {
    ...(isDefault ? {} : { ruleArn: rule.RuleArn, ...(Number.isFinite(priority) ? { priority } : {}) }),
    isDefault,
    conditions: isDefault ? [] : (rule.Conditions ?? []).map(conditionOf),
    action,
    forwards: action.kind === 'forward' ? action.forwards : undefined,
  };
}

/** A rule's routing action: forward, redirect or fixed-response (earlier actions only authenticate). */
function actionOf(actions: Action[]): ActionNode {
  const routing = [...actions].sort((a, b) => (a.Order ?? 0) - (b.Order ?? 0)).filter((a) => ['forward', 'redirect', 'fixed-response'].includes(a.Type ?? '')).at(-1);
  if (routing?.Type === 'redirect') {
    const r = routing.RedirectConfig;
    return { kind: 'redirect', redirect: { protocol: r?.Protocol, port: r?.Port, host: r?.Host, path: r?.Path, query: r?.Query, statusCode: r?.StatusCode ?? 'HTTP_301' } };
  }
  if (routing?.Type === 'fixed-response') return { kind: 'fixed-response', statusCode: routing.FixedResponseConfig?.StatusCode ?? '' };
  if (routing?.Type !== 'forward') return { kind: 'none' };
  const groups = routing.ForwardConfig?.TargetGroups;
  if (groups && groups.length > 0) return { kind: 'forward', forwards: groups.map((g) => ({ targetGroupArn: g.TargetGroupArn ?? '', weight: g.Weight ?? 1 })) };
  return { kind: 'forward', forwards: routing.TargetGroupArn ? [{ targetGroupArn: routing.TargetGroupArn, weight: 1 }] : [] };
}

/** A condition in one shape, whether ELBv2 gave the typed config or the legacy `Values`. */
function conditionOf(c: RuleCondition): ConditionNode {
  const field = c.Field ?? '';
  const typed =
    c.HostHeaderConfig ?? c.PathPatternConfig ?? c.HttpRequestMethodConfig ?? c.SourceIpConfig ?? (field === 'http-header' ? c.HttpHeaderConfig : undefined);
  const values = (typed?.Values?.length ? typed.Values : c.Values) ?? [];
  const regex = values.length === 0 && [c.HostHeaderConfig, c.PathPatternConfig, c.HttpHeaderConfig].some((x) => (x?.RegexValues ?? []).length > 0);
  return {
    field,
    values,
    ...(c.HttpHeaderConfig?.HttpHeaderName ? { header: c.HttpHeaderConfig.HttpHeaderName } : {}),
    ...(c.QueryStringConfig?.Values ? { pairs: c.QueryStringConfig.Values.map((p) => ({ ...(p.Key !== undefined ? { key: p.Key } : {}), value: p.Value ?? '' })) } : {}),
    ...(regex ? { regex: true } : {}),
  };
}

// Bounded parallelism: moto is one Python process; a burst of hundreds of calls only queues there.
async function inBatches<T>(items: readonly T[], work: (item: T) => Promise<void>, size = 8): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function field(value: unknown, name: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[name] : undefined;
}
