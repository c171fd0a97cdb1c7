import {
  DescribeListenerCertificatesCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  paginateDescribeListeners,
  paginateDescribeLoadBalancers,
  paginateDescribeRules,
  paginateDescribeTargetGroups,
  type ElasticLoadBalancingV2Client,
  type TargetGroup as SdkTargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ResourceNotFoundError } from '../core/errors';
import type { CrossZoneSetting, Listener, LoadBalancerSnapshot, TargetGroup } from '../core/model/snapshot';
import type { LoadBalancerSummary, SnapshotReader, TargetGroupSummary } from '../core/ports';
import { callAws } from './aws-error';
import { toModelAction, toModelCondition } from '../core/events/convert-actions';
import { toModelTarget, toRecord } from './elbv2-shapes';

/** DescribeTags takes at most 20 ARNs per call. */
const TAGS_BATCH = 20;
/**
 * Per-group describe calls run this many at a time: ELBv2's Describe* bucket (40 tokens, 10/s refill)
 * is shared with everything else in the account, and the watchdog must be a polite citizen.
 */
const GROUP_CONCURRENCY = 4;
const CROSS_ZONE_ATTRIBUTE = 'load_balancing.cross_zone.enabled';

/** Runs `work` over `items`, at most `limit` at a time, keeping order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  });
  await Promise.all(lanes);
  return results;
}

function crossZoneOf(attributes: Record<string, string>): CrossZoneSetting {
  const value = attributes[CROSS_ZONE_ATTRIBUTE];
  return value === 'true' ? 'on' : value === 'false' ? 'off' : 'inherit';
}

/**
 * Reads a load balancer's configuration with the describe calls a snapshot needs: the load balancer and
 * its attributes, listeners, rules, target groups with health and attributes, and tags. Throttled calls
 * are retried by the client (configure it with adaptive retry mode); pagination is followed everywhere.
 */
export class Elbv2SnapshotReader implements SnapshotReader {
  public constructor(
    private readonly client: ElasticLoadBalancingV2Client,
    private readonly now: () => Date = () => new Date(),
  ) {}

  public async readSnapshot(loadBalancerArn: string): Promise<LoadBalancerSnapshot> {
    const capturedAt = this.now().toISOString();
    const described = await callAws('DescribeLoadBalancers', loadBalancerArn, () =>
      this.client.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [loadBalancerArn] })),
    );
    const lb = described.LoadBalancers?.[0];
    if (lb?.LoadBalancerArn === undefined) {
      throw new ResourceNotFoundError(`load balancer ${loadBalancerArn} not found`, { resourceArn: loadBalancerArn });
    }
    const [lbAttributes, listeners, groups] = await Promise.all([
      this.attributesOfLoadBalancer(loadBalancerArn),
      this.listeners(loadBalancerArn),
      this.targetGroupsOf(loadBalancerArn),
    ]);
    const tags = await this.tags([loadBalancerArn, ...groups.map((group) => group.TargetGroupArn as string)]);
    const targetGroups = await mapLimited(groups, GROUP_CONCURRENCY, (group) => this.targetGroup(group, tags));
    const type = (lb.Type ?? 'application') as LoadBalancerSnapshot['loadBalancer']['type'];
    return {
      schemaVersion: 1,
      capturedAt,
      loadBalancer: {
        arn: loadBalancerArn,
        name: lb.LoadBalancerName ?? loadBalancerArn,
        type,
        scheme: lb.Scheme as LoadBalancerSnapshot['loadBalancer']['scheme'],
        availabilityZones: (lb.AvailabilityZones ?? []).flatMap((zone) => (zone.ZoneName ? [zone.ZoneName] : [])),
        subnets: (lb.AvailabilityZones ?? []).flatMap((zone) => (zone.ZoneName && zone.SubnetId ? [{ zone: zone.ZoneName, subnetId: zone.SubnetId }] : [])),
        // ALB always balances across zones at the load balancer; NLB and GWLB only when the attribute says so.
        crossZoneEnabled: type === 'application' || lbAttributes[CROSS_ZONE_ATTRIBUTE] === 'true',
        attributes: lbAttributes,
        tags: tags.get(loadBalancerArn) ?? {},
      },
      listeners,
      targetGroups,
    };
  }

  public async loadBalancersOfTargetGroup(targetGroupArn: string): Promise<string[]> {
    const result = await callAws('DescribeTargetGroups', targetGroupArn, () =>
      this.client.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [targetGroupArn] })),
    );
    const group = result.TargetGroups?.[0];
    if (group === undefined) throw new ResourceNotFoundError(`target group ${targetGroupArn} not found`, { resourceArn: targetGroupArn });
    return group.LoadBalancerArns ?? [];
  }

  public async listLoadBalancers(): Promise<LoadBalancerSummary[]> {
    const found: { arn: string; name: string; type: LoadBalancerSummary['type'] }[] = [];
    await callAws('DescribeLoadBalancers', undefined, async () => {
      for await (const page of paginateDescribeLoadBalancers({ client: this.client }, {})) {
        for (const lb of page.LoadBalancers ?? []) {
          if (lb.LoadBalancerArn === undefined) continue;
          found.push({ arn: lb.LoadBalancerArn, name: lb.LoadBalancerName ?? '', type: (lb.Type ?? 'application') as LoadBalancerSummary['type'] });
        }
      }
    });
    const tags = await this.tags(found.map((lb) => lb.arn));
    return found.map((lb) => ({ ...lb, tags: tags.get(lb.arn) ?? {} }));
  }

  public async listTargetGroups(): Promise<TargetGroupSummary[]> {
    const groups: TargetGroupSummary[] = [];
    await callAws('DescribeTargetGroups', undefined, async () => {
      for await (const page of paginateDescribeTargetGroups({ client: this.client }, {})) {
        for (const group of page.TargetGroups ?? []) {
          if (group.TargetGroupArn === undefined) continue;
          groups.push({ arn: group.TargetGroupArn, name: group.TargetGroupName ?? '', loadBalancerArns: group.LoadBalancerArns ?? [] });
        }
      }
    });
    return groups;
  }

  private async attributesOfLoadBalancer(loadBalancerArn: string): Promise<Record<string, string>> {
    const result = await callAws('DescribeLoadBalancerAttributes', loadBalancerArn, () =>
      this.client.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: loadBalancerArn })),
    );
    return toRecord(result.Attributes);
  }

  private async listeners(loadBalancerArn: string): Promise<Listener[]> {
    const listeners: Listener[] = [];
    await callAws('DescribeListeners', loadBalancerArn, async () => {
      for await (const page of paginateDescribeListeners({ client: this.client }, { LoadBalancerArn: loadBalancerArn })) {
        for (const listener of page.Listeners ?? []) {
          if (listener.ListenerArn === undefined || listener.Port === undefined) continue;
          listeners.push({
            arn: listener.ListenerArn,
            port: listener.Port,
            protocol: listener.Protocol ?? 'HTTP',
            ...(listener.SslPolicy !== undefined && { sslPolicy: listener.SslPolicy }),
            ...(listener.Certificates !== undefined && listener.Certificates.length > 0 && {
              certificates: listener.Certificates.flatMap((c) => (c.CertificateArn ? [c.CertificateArn] : [])),
            }),
            ...(listener.AlpnPolicy !== undefined && listener.AlpnPolicy.length > 0 && { alpnPolicy: listener.AlpnPolicy }),
            defaultActions: (listener.DefaultActions ?? []).map((action, i) => toModelAction({ ...action }, `DefaultActions.${i}`)),
            rules: [],
          });
        }
      }
    });
    // A secure listener's other certificates (SNI) are listed apart; a re-created listener needs them all.
    for (const listener of listeners) {
      if (listener.certificates === undefined || !['HTTPS', 'TLS'].includes(listener.protocol)) continue;
      const extra = await callAws('DescribeListenerCertificates', listener.arn, () =>
        this.client.send(new DescribeListenerCertificatesCommand({ ListenerArn: listener.arn })),
      );
      for (const c of extra.Certificates ?? []) {
        if (c.CertificateArn !== undefined && c.IsDefault !== true && !listener.certificates.includes(c.CertificateArn)) listener.certificates.push(c.CertificateArn);
      }
    }
    // Network and gateway listeners have no rules; DescribeRules on them is an error, so skip the call.
    for (const listener of listeners) {
      if (!['HTTP', 'HTTPS'].includes(listener.protocol)) continue;
      await callAws('DescribeRules', listener.arn, async () => {
        for await (const page of paginateDescribeRules({ client: this.client }, { ListenerArn: listener.arn })) {
          for (const rule of page.Rules ?? []) {
            if (rule.IsDefault || rule.RuleArn === undefined) continue;
            listener.rules.push({
              arn: rule.RuleArn,
              priority: Number(rule.Priority),
              conditions: (rule.Conditions ?? []).map((condition, i) => toModelCondition({ ...condition }, `Conditions.${i}`)),
              actions: (rule.Actions ?? []).map((action, i) => toModelAction({ ...action }, `Actions.${i}`)),
            });
          }
        }
      });
      listener.rules.sort((a, b) => a.priority - b.priority);
    }
    return listeners;
  }

  private async targetGroupsOf(loadBalancerArn: string): Promise<SdkTargetGroup[]> {
    const groups: SdkTargetGroup[] = [];
    await callAws('DescribeTargetGroups', loadBalancerArn, async () => {
      for await (const page of paginateDescribeTargetGroups({ client: this.client }, { LoadBalancerArn: loadBalancerArn })) {
        groups.push(...(page.TargetGroups ?? []).filter((group) => group.TargetGroupArn !== undefined));
      }
    });
    return groups;
  }

  private async targetGroup(group: SdkTargetGroup, tags: Map<string, Record<string, string>>): Promise<TargetGroup> {
    const arn = group.TargetGroupArn as string;
    const [health, attributes] = await Promise.all([
      callAws('DescribeTargetHealth', arn, () => this.client.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }))),
      callAws('DescribeTargetGroupAttributes', arn, () => this.client.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }))),
    ]);
    const attributeRecord = toRecord(attributes.Attributes);
    return {
      arn,
      name: group.TargetGroupName ?? arn,
      protocol: group.Protocol,
      port: group.Port,
      targetType: (group.TargetType ?? 'instance') as TargetGroup['targetType'],
      loadBalancerArns: group.LoadBalancerArns ?? [],
      crossZone: crossZoneOf(attributeRecord),
      attributes: attributeRecord,
      tags: tags.get(arn) ?? {},
      targets: (health.TargetHealthDescriptions ?? []).flatMap((description) => {
        const target = toModelTarget(description);
        return target ? [target] : [];
      }),
    };
  }

  private async tags(arns: readonly string[]): Promise<Map<string, Record<string, string>>> {
    const tags = new Map<string, Record<string, string>>();
    for (let start = 0; start < arns.length; start += TAGS_BATCH) {
      const batch = arns.slice(start, start + TAGS_BATCH);
      const result = await callAws('DescribeTags', batch[0], () => this.client.send(new DescribeTagsCommand({ ResourceArns: batch })));
      for (const description of result.TagDescriptions ?? []) {
        if (description.ResourceArn !== undefined) tags.set(description.ResourceArn, toRecord(description.Tags));
      }
    }
    return tags;
  }
}
