import type { AlarmSettings } from '../config/watchdog-environment';
import { shortHash, type AlarmInput, type AlarmMetricQuery, type AlarmSpec } from './alarm-spec';

/** A target group served by a load balancer: one pair gets one pair of alarms. */
export interface GroupOnLoadBalancer {
  readonly loadBalancerArn: string;
  readonly targetGroupArn: string;
  readonly targetGroupName: string;
}

/**
 * The name prefix of every per-target-group alarm: reconciling deletes what it finds under it, so it is
 * narrower than the watchdog's own prefix (its DLQ alarm must never match).
 */
export function managedAlarmPrefix(settings: Pick<AlarmSettings, 'alarmNamePrefix'>): string {
  return `${settings.alarmNamePrefix}-tg-`;
}

/** `app/web/50dc6c495c0c9188` from a load balancer ARN: the value of CloudWatch's LoadBalancer dimension. */
export function loadBalancerDimension(loadBalancerArn: string): string {
  return loadBalancerArn.slice(loadBalancerArn.indexOf('loadbalancer/') + 'loadbalancer/'.length);
}

/** `targetgroup/web-blue/73e2d6bc24d8a067` from a target group ARN: the TargetGroup dimension. */
export function targetGroupDimension(targetGroupArn: string): string {
  return targetGroupArn.slice(targetGroupArn.indexOf('targetgroup/'));
}

function metric(id: string, namespace: string, name: string, dimensions: Record<string, string>, stat = 'Sum'): AlarmMetricQuery {
  return {
    Id: id,
    ReturnData: false,
    MetricStat: {
      Metric: { Namespace: namespace, MetricName: name, Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })) },
      Period: 60,
      Stat: stat,
    },
  };
}

function finish(kind: AlarmSpec['kind'], pair: GroupOnLoadBalancer, input: Omit<AlarmInput, 'AlarmDescription'>, about: string): AlarmSpec {
  const fingerprint = shortHash(JSON.stringify({ ...input, about }));
  return {
    kind,
    loadBalancerArn: pair.loadBalancerArn,
    targetGroupArn: pair.targetGroupArn,
    fingerprint,
    input: { ...input, AlarmDescription: `${about} Managed by ELB Watchdog; do not edit. [spec:${fingerprint}]` },
  };
}

/**
 * The two alarms of one target group on one load balancer:
 * - `anomaly`: RequestCountPerTarget (NLB: NewFlowCount) outside its anomaly-detection band — the slow
 *   safety net that needs no configuration but takes hours to learn;
 * - `share`: the share of the load balancer's requests one target of the group receives, derived as
 *   (group requests / load balancer requests) / healthy hosts, above the limit — ALB publishes no
 *   per-instance request count, so per-target skew can only be derived. NLB has no RequestCount, so NLB
 *   groups get only the anomaly alarm.
 */
export function desiredAlarms(pair: GroupOnLoadBalancer, settings: AlarmSettings): AlarmSpec[] {
  const lbDimension = loadBalancerDimension(pair.loadBalancerArn);
  const tgDimension = targetGroupDimension(pair.targetGroupArn);
  const isNetwork = lbDimension.startsWith('net/');
  const namespace = isNetwork ? 'AWS/NetworkELB' : 'AWS/ApplicationELB';
  const lbName = lbDimension.split('/')[1] ?? lbDimension;
  const base = `${managedAlarmPrefix(settings)}${lbName}-${pair.targetGroupName}-${shortHash(pair.loadBalancerArn + pair.targetGroupArn)}`;
  const common = {
    // No SNS actions: the state change reaches people through on-alarm, enriched with the traffic split
    // and recent changes; a raw alarm message as well would say the same thing twice, less usefully.
    ActionsEnabled: true,
    AlarmActions: [],
    OKActions: [],
    EvaluationPeriods: settings.evaluationPeriods,
    DatapointsToAlarm: settings.evaluationPeriods,
    // No requests means no datapoints (ELB publishes only while traffic flows): not an anomaly by itself.
    TreatMissingData: 'ignore' as const,
  };
  const groupDims = { TargetGroup: tgDimension, LoadBalancer: lbDimension };
  const perTarget = isNetwork ? 'NewFlowCount' : 'RequestCountPerTarget';
  const anomaly = finish(
    'anomaly',
    pair,
    {
      ...common,
      AlarmName: `${base}-anomaly`,
      ComparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold',
      ThresholdMetricId: 'band',
      Metrics: [
        { ...metric('m1', namespace, perTarget, groupDims), ReturnData: true },
        { Id: 'band', Expression: `ANOMALY_DETECTION_BAND(m1, ${settings.bandWidth})`, Label: 'expected', ReturnData: true },
      ],
    },
    `${perTarget} of ${pair.targetGroupName} on ${lbName} is outside its expected band.`,
  );
  if (isNetwork) return [anomaly];
  const share = finish(
    'share',
    pair,
    {
      ...common,
      // The share follows the configuration, not noisy load: one minute above the limit is already the
      // May 19 shape, and the overloaded server may be gone (no healthy host, no datapoint) a minute later.
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      AlarmName: `${base}-share`,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: settings.maxTargetSharePercent,
      Metrics: [
        metric('group', namespace, 'RequestCount', groupDims),
        metric('total', namespace, 'RequestCount', { LoadBalancer: lbDimension }),
        metric('healthy', namespace, 'HealthyHostCount', groupDims, 'Minimum'),
        { Id: 'share', Expression: '100 * group / total / healthy', Label: 'share of requests per target (%)', ReturnData: true },
      ],
    },
    `One target of ${pair.targetGroupName} receives more than ${settings.maxTargetSharePercent}% of ${lbName}'s requests.`,
  );
  return [anomaly, share];
}
