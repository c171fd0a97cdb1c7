import type { MetricDatum, StandardUnit } from '@aws-sdk/client-cloudwatch';
import type { TargetMinute } from './crash-model';
import type { Topology } from './topology';
import type { TrafficSplit } from './traffic-split';

/** Metric data for one namespace. */
export interface NamespaceData {
  readonly namespace: 'AWS/ApplicationELB' | 'AWS/NetworkELB';
  readonly data: MetricDatum[];
}

/**
 * The minute's ELB metrics as AWS publishes them: namespace per load balancer type, AWS's dimension names
 * and value formats (`LoadBalancer=app/web/50dc…`, `TargetGroup=targetgroup/web-blue/…`). Request and error
 * counts are only published when non-zero, host counts always (as AWS does).
 */
export function buildMetrics(
  topology: Topology,
  split: TrafficSplit,
  minutes: ReadonlyMap<string, TargetMinute>,
  timestamp: Date,
  bytesPerFlow: number,
): NamespaceData[] {
  const alb: MetricDatum[] = [];
  const nlb: MetricDatum[] = [];
  const lbByArn = new Map(topology.loadBalancers.map((l) => [l.arn, l]));
  const elb5xx = new Map<string, number>();
  const target5xx = new Map<string, number>();
  const datum = (name: string, dims: Record<string, string>, value: number, unit: StandardUnit = 'Count'): MetricDatum => ({
    MetricName: name,
    Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })),
    Timestamp: timestamp,
    Value: Math.round(value),
    Unit: unit,
  });
  for (const flow of split.flows) {
    const lb = lbByArn.get(flow.loadBalancerArn);
    const group = topology.targetGroups.get(flow.targetGroupArn);
    if (!lb || !group || lb.type === 'gateway') continue;
    const dims = { TargetGroup: group.dimension, LoadBalancer: lb.dimension };
    const out = lb.type === 'network' ? nlb : alb;
    // A target's errors are shared among the flows that fed it, in proportion to what each sent.
    let flowTarget5xx = 0;
    let flowElb5xx = 0;
    for (const [id, sent] of flow.targets) {
      const m = minutes.get(id);
      if (!m || m.offered <= 0) continue;
      flowTarget5xx += (m.target5xx * sent) / m.offered;
      flowElb5xx += (m.elb5xx * sent) / m.offered;
    }
    elb5xx.set(lb.arn, (elb5xx.get(lb.arn) ?? 0) + flowElb5xx);
    target5xx.set(lb.arn, (target5xx.get(lb.arn) ?? 0) + flowTarget5xx);
    out.push(datum('HealthyHostCount', dims, flow.healthy), datum('UnHealthyHostCount', dims, flow.unhealthy));
    if (flow.requests < 0.5) continue;
    if (lb.type === 'network') {
      out.push(datum('NewFlowCount', dims, flow.requests), datum('ProcessedBytes', dims, flow.requests * bytesPerFlow, 'Bytes'));
      continue;
    }
    const perTarget = flow.targets.size > 0 ? flow.requests / flow.targets.size : 0;
    out.push(
      datum('RequestCount', dims, flow.requests),
      datum('RequestCountPerTarget', { TargetGroup: group.dimension }, perTarget),
      datum('RequestCountPerTarget', dims, perTarget),
    );
    if (flowTarget5xx >= 0.5) out.push(datum('HTTPCode_Target_5XX_Count', dims, flowTarget5xx));
  }
  for (const lb of topology.loadBalancers) {
    const tally = split.perLoadBalancer.get(lb.arn);
    if (!tally || lb.type === 'gateway' || tally.requests < 0.5) continue;
    const dims = { LoadBalancer: lb.dimension };
    if (lb.type === 'network') {
      nlb.push(datum('NewFlowCount', dims, tally.requests), datum('ProcessedBytes', dims, tally.requests * bytesPerFlow, 'Bytes'));
      continue;
    }
    alb.push(datum('RequestCount', dims, tally.requests));
    const answered = split.answered.get(lb.arn);
    if ((answered?.fixedResponse ?? 0) >= 0.5) alb.push(datum('HTTP_Fixed_Response_Count', dims, answered?.fixedResponse ?? 0));
    if ((answered?.redirected ?? 0) >= 0.5) alb.push(datum('HTTP_Redirect_Count', dims, answered?.redirected ?? 0));
    const t5 = target5xx.get(lb.arn) ?? 0;
    const e5 = (elb5xx.get(lb.arn) ?? 0) + tally.unroutable;
    if (t5 >= 0.5) alb.push(datum('HTTPCode_Target_5XX_Count', dims, t5));
    if (e5 >= 0.5) alb.push(datum('HTTPCode_ELB_5XX_Count', dims, e5));
  }
  return [
    { namespace: 'AWS/ApplicationELB' as const, data: alb },
    { namespace: 'AWS/NetworkELB' as const, data: nlb },
  ].filter((n) => n.data.length > 0);
}
