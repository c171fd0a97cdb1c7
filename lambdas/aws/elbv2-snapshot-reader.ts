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
import type { CrossZoneSetting, Listener, LoadBalancerSnapshot, Target, TargetGroup } from '../core/model/snapshot';
import type { LoadBalancerSummary, ReadScope, SnapshotReader, TargetGroupSummary } from '../core/ports';
import { callAws } from './aws-error';
import { callPriority } from './elbv2-call-limiter';
import { toModelAction, toModelCondition } from '../core/events/convert-actions';
import { toModelTarget, toRecord } from './elbv2-shapes';

/**
 * The largest page ELBv2's Describe calls return ("PageSize ... Maximum value of 400",
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeRules.html): a listener's
 * rules in one call rather than one per default-sized page, so reading costs the same with 10 or 100 rules.
 */
const PAGE_SIZE = 400;
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
 * are retried by the client (`politeElbv2Client`: paced, retried with jitter); pagination is followed everywhere.
 */
export class Elbv2SnapshotReader implements SnapshotReader {
  /** Tag reads waiting for the DescribeTags call under way to end (see `tags`). */
  private readonly tagRequests: { arns: readonly string[]; resolve: (tags: Map<string, Record<string, string>>) => void; reject: (error: unknown) => void }[] = [];
  private tagsUnderWay = false;

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

  public async refresh(base: LoadBalancerSnapshot, scope: ReadScope, options: { readonly purpose?: 'verify' } = {}): Promise<LoadBalancerSnapshot> {
    return options.purpose === 'verify' ? callPriority.run('verify', () => this.reread(base, scope)) : this.reread(base, scope);
  }

  private async reread(base: LoadBalancerSnapshot, scope: ReadScope): Promise<LoadBalancerSnapshot> {
    const arn = base.loadBalancer.arn;
    const next: LoadBalancerSnapshot = structuredClone(base);
    next.capturedAt = this.now().toISOString();
    if (scope.loadBalancer) {
      const lb = (await callAws('DescribeLoadBalancers', arn, () => this.client.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] })))).LoadBalancers?.[0];
      if (lb?.LoadBalancerArn === undefined) throw new ResourceNotFoundError(`load balancer ${arn} not found`, { resourceArn: arn });
      next.loadBalancer.availabilityZones = (lb.AvailabilityZones ?? []).flatMap((zone) => (zone.ZoneName ? [zone.ZoneName] : []));
      next.loadBalancer.subnets = (lb.AvailabilityZones ?? []).flatMap((zone) => (zone.ZoneName && zone.SubnetId ? [{ zone: zone.ZoneName, subnetId: zone.SubnetId }] : []));
    }
    if (scope.loadBalancerTags) next.loadBalancer.tags = (await this.tags([arn])).get(arn) ?? {};
    if (scope.loadBalancerAttributes) {
      next.loadBalancer.attributes = await this.attributesOfLoadBalancer(arn);
      next.loadBalancer.crossZoneEnabled = next.loadBalancer.type === 'application' || next.loadBalancer.attributes[CROSS_ZONE_ATTRIBUTE] === 'true';
    }
    await this.refreshListeners(next, scope);
    if (scope.groupMembership) {
      const attached = await this.targetGroupsOf(arn);
      const known = new Set(next.targetGroups.map((g) => g.arn));
      const now = new Set(attached.map((g) => g.TargetGroupArn as string));
      next.targetGroups = next.targetGroups.filter((g) => now.has(g.arn));
      const added = attached.filter((g) => !known.has(g.TargetGroupArn as string));
      if (added.length > 0) {
        const tags = await this.tags(added.map((g) => g.TargetGroupArn as string));
        next.targetGroups.push(...(await mapLimited(added, GROUP_CONCURRENCY, (group) => this.targetGroup(group, tags))));
      }
    }
    // Groups the base does not know (a forward to a new group): read them whole.
    const unknown = [...new Set(scope.groupHealth)].filter((g) => !next.targetGroups.some((known) => known.arn === g));
    if (unknown.length > 0) {
      const described = await callAws('DescribeTargetGroups', unknown[0], () => this.client.send(new DescribeTargetGroupsCommand({ TargetGroupArns: unknown }))).catch((error: unknown) => {
        // A group deleted meanwhile: it serves nothing, which the routing shows.
        if (error instanceof ResourceNotFoundError) return { TargetGroups: [] };
        throw error;
      });
      const groups = (described.TargetGroups ?? []).filter((g) => g.TargetGroupArn !== undefined);
      const tags = groups.length === 0 ? new Map<string, Record<string, string>>() : await this.tags(groups.map((g) => g.TargetGroupArn as string));
      next.targetGroups.push(...(await mapLimited(groups, GROUP_CONCURRENCY, (group) => this.targetGroup(group, tags))));
    }
    const fresh = new Set(unknown);
    await mapLimited(
      next.targetGroups.filter((g) => !fresh.has(g.arn) && (scope.groupHealth.includes(g.arn) || scope.groupAttributes.includes(g.arn))),
      GROUP_CONCURRENCY,
      async (group) => {
        if (scope.groupHealth.includes(group.arn)) group.targets = await this.health(group.arn);
        if (scope.groupAttributes.includes(group.arn)) {
          group.attributes = await this.groupAttributes(group.arn);
          group.crossZone = crossZoneOf(group.attributes);
        }
      },
    );
    return next;
  }

  /** Re-reads the listeners a scope names (all of them when it says so, or when one named is gone). */
  private async refreshListeners(next: LoadBalancerSnapshot, scope: ReadScope): Promise<void> {
    const arn = next.loadBalancer.arn;
    if (!scope.allListeners && scope.listeners.length === 0 && scope.certificates.length === 0) return;
    const named = [...new Set([...scope.listeners, ...scope.certificates])];
    let fresh: Listener[];
    let all = scope.allListeners;
    if (!all) {
      try {
        fresh = await this.listeners(arn, named);
      } catch (error) {
        // One of them is gone (deleted since the event): read them all, which shows which.
        if (!(error instanceof ResourceNotFoundError)) throw error;
        all = true;
        fresh = [];
      }
    } else fresh = [];
    if (all) {
      next.listeners = await this.listeners(arn);
      return;
    }
    const previous = new Map(next.listeners.map((l) => [l.arn, l]));
    for (const listener of fresh) {
      // DescribeListeners gives the default certificate; the others stay as they were unless re-read.
      const before = previous.get(listener.arn);
      if (scope.certificates.includes(listener.arn)) await this.otherCertificates(listener);
      else if (before?.certificates !== undefined && listener.certificates !== undefined) {
        listener.certificates = [...listener.certificates, ...before.certificates.slice(1).filter((c) => !listener.certificates?.includes(c))];
      }
    }
    next.listeners = [...next.listeners.filter((l) => !fresh.some((f) => f.arn === l.arn)), ...fresh].sort((a, b) => a.port - b.port);
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
      for await (const page of paginateDescribeLoadBalancers({ client: this.client }, { PageSize: PAGE_SIZE })) {
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
      for await (const page of paginateDescribeTargetGroups({ client: this.client }, { PageSize: PAGE_SIZE })) {
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

  private async listeners(loadBalancerArn: string, only?: readonly string[]): Promise<Listener[]> {
    const listeners: Listener[] = [];
    const input = only === undefined ? { LoadBalancerArn: loadBalancerArn } : { ListenerArns: [...only] };
    await callAws('DescribeListeners', loadBalancerArn, async () => {
      for await (const page of paginateDescribeListeners({ client: this.client }, { ...input, PageSize: PAGE_SIZE })) {
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
    if (only === undefined) for (const listener of listeners) await this.otherCertificates(listener);
    await this.rulesOf(listeners);
    return listeners;
  }

  /** A secure listener's other certificates (SNI) are listed apart; a re-created listener needs them all. */
  private async otherCertificates(listener: Listener): Promise<void> {
    if (listener.certificates === undefined || !['HTTPS', 'TLS'].includes(listener.protocol)) return;
    const extra = await callAws('DescribeListenerCertificates', listener.arn, () =>
      this.client.send(new DescribeListenerCertificatesCommand({ ListenerArn: listener.arn })),
    );
    for (const c of extra.Certificates ?? []) {
      if (c.CertificateArn !== undefined && c.IsDefault !== true && !listener.certificates.includes(c.CertificateArn)) listener.certificates.push(c.CertificateArn);
    }
  }

  private async rulesOf(listeners: Listener[]): Promise<void> {
    // Network and gateway listeners have no rules; DescribeRules on them is an error, so skip the call.
    for (const listener of listeners) {
      if (!['HTTP', 'HTTPS'].includes(listener.protocol)) continue;
      await callAws('DescribeRules', listener.arn, async () => {
        for await (const page of paginateDescribeRules({ client: this.client }, { ListenerArn: listener.arn, PageSize: PAGE_SIZE })) {
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
  }

  private async targetGroupsOf(loadBalancerArn: string): Promise<SdkTargetGroup[]> {
    const groups: SdkTargetGroup[] = [];
    await callAws('DescribeTargetGroups', loadBalancerArn, async () => {
      for await (const page of paginateDescribeTargetGroups({ client: this.client }, { LoadBalancerArn: loadBalancerArn, PageSize: PAGE_SIZE })) {
        groups.push(...(page.TargetGroups ?? []).filter((group) => group.TargetGroupArn !== undefined));
      }
    });
    return groups;
  }

  private async health(arn: string): Promise<Target[]> {
    const health = await callAws('DescribeTargetHealth', arn, () => this.client.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn })));
    return (health.TargetHealthDescriptions ?? []).flatMap((description) => {
      const target = toModelTarget(description);
      return target ? [target] : [];
    });
  }

  private async groupAttributes(arn: string): Promise<Record<string, string>> {
    const attributes = await callAws('DescribeTargetGroupAttributes', arn, () => this.client.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn })));
    return toRecord(attributes.Attributes);
  }

  private async targetGroup(group: SdkTargetGroup, tags: Map<string, Record<string, string>>): Promise<TargetGroup> {
    const arn = group.TargetGroupArn as string;
    const [targets, attributeRecord] = await Promise.all([this.health(arn), this.groupAttributes(arn)]);
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
      targets,
    };
  }

  /**
   * Tags of many resources. Requests made while a DescribeTags call of this reader is under way (waiting for
   * the share's tokens, or on the wire) wait for it and then go together, up to 20 ARNs a call: the judges
   * of one batch's load balancers read their tags with a few calls instead of one each, and a lone request
   * goes at once.
   */
  private tags(arns: readonly string[]): Promise<Map<string, Record<string, string>>> {
    if (arns.length === 0) return Promise.resolve(new Map());
    return new Promise((resolve, reject) => {
      this.tagRequests.push({ arns, resolve, reject });
      if (!this.tagsUnderWay) void this.sendTags();
    });
  }

  private async describeTags(arns: readonly string[]): Promise<Map<string, Record<string, string>>> {
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

  /** Sends the waiting tag requests, 20 ARNs a call, then any that came meanwhile. */
  private async sendTags(): Promise<void> {
    this.tagsUnderWay = true;
    try {
      while (this.tagRequests.length > 0) {
        const requests = this.tagRequests.splice(0);
        let tags: Map<string, Record<string, string>>;
        try {
          tags = await this.describeTags([...new Set(requests.flatMap((r) => r.arns))]);
        } catch (error) {
          if (requests.length === 1) {
            requests[0].reject(error);
            continue;
          }
          // One resource gone fails the whole call (LoadBalancerNotFound): each request on its own, so only
          // the judge whose load balancer went away fails.
          for (const request of requests) await this.describeTags(request.arns).then(request.resolve, request.reject);
          continue;
        }
        for (const request of requests) {
          const own = new Map<string, Record<string, string>>();
          for (const arn of request.arns) {
            const found = tags.get(arn);
            if (found !== undefined) own.set(arn, found);
          }
          request.resolve(own);
        }
      }
    } finally {
      this.tagsUnderWay = false;
    }
  }
}
