import { fingerprintOf } from '../../../lambdas/core/alarms/alarm-spec';
import { desiredAlarms, loadBalancerDimension, targetGroupDimension } from '../../../lambdas/core/alarms/desired-alarms';
import { reconcileAlarms } from '../../../lambdas/core/alarms/reconcile-alarms';
import { AlarmSettingsSchema } from '../../../lambdas/core/config/watchdog-environment';

const ALB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188';
const NLB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/edge/0a1b2c3d4e5f6071';
const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-blue/73e2d6bc24d8a067';
const settings = AlarmSettingsSchema.parse({});

describe('Function: desiredAlarms', () => {
  it('gives an ALB group an anomaly alarm on RequestCountPerTarget and a per-target share alarm', () => {
    const [anomaly, share] = desiredAlarms({ loadBalancerArn: ALB, targetGroupArn: TG, targetGroupName: 'web-blue' }, settings);

    expect(anomaly.input.Metrics[0].MetricStat?.Metric).toEqual({
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'RequestCountPerTarget',
      Dimensions: [
        { Name: 'TargetGroup', Value: 'targetgroup/web-blue/73e2d6bc24d8a067' },
        { Name: 'LoadBalancer', Value: 'app/web/50dc6c495c0c9188' },
      ],
    });
    expect(anomaly.input.Metrics[1].Expression).toBe('ANOMALY_DETECTION_BAND(m1, 2)');
    expect(anomaly.input.ThresholdMetricId).toBe('band');
    expect(share.input.Threshold).toBe(50);
    expect(share.input.Metrics.find((m) => m.ReturnData)?.Expression).toBe('100 * group / total / healthy');
    expect(anomaly.input.AlarmActions).toEqual([]);
    expect(fingerprintOf(share.input.AlarmDescription)).toBe(share.fingerprint);
    expect(anomaly.input.AlarmName.startsWith('elb-watchdog-tg-web-web-blue-')).toBe(true);
  });

  it('gives an NLB group only the anomaly alarm, on NewFlowCount (NLB has no RequestCount)', () => {
    const alarms = desiredAlarms({ loadBalancerArn: NLB, targetGroupArn: TG, targetGroupName: 'web-blue' }, settings);

    expect(alarms.map((a) => a.kind)).toEqual(['anomaly']);
    expect(alarms[0].input.Metrics[0].MetricStat?.Metric.Namespace).toBe('AWS/NetworkELB');
    expect(alarms[0].input.Metrics[0].MetricStat?.Metric.MetricName).toBe('NewFlowCount');
  });

  it('names the same group on two load balancers differently', () => {
    const a = desiredAlarms({ loadBalancerArn: ALB, targetGroupArn: TG, targetGroupName: 'web-blue' }, settings);
    const b = desiredAlarms({ loadBalancerArn: ALB.replace('50dc', '60dc'), targetGroupArn: TG, targetGroupName: 'web-blue' }, settings);
    expect(a[0].input.AlarmName).not.toBe(b[0].input.AlarmName);
  });

  it.each([
    [ALB, 'app/web/50dc6c495c0c9188'],
    [NLB, 'net/edge/0a1b2c3d4e5f6071'],
  ])('derives the LoadBalancer dimension of %s', (arn, dimension) => {
    expect(loadBalancerDimension(arn)).toBe(dimension);
  });

  it('derives the TargetGroup dimension', () => {
    expect(targetGroupDimension(TG)).toBe('targetgroup/web-blue/73e2d6bc24d8a067');
  });
});

describe('Function: reconcileAlarms', () => {
  const specs = desiredAlarms({ loadBalancerArn: ALB, targetGroupArn: TG, targetGroupName: 'web-blue' }, settings);

  it('puts missing alarms and deletes alarms nobody wants', () => {
    const changes = reconcileAlarms(specs, [{ name: 'elb-watchdog-tg-web-gone-00000000-anomaly', fingerprint: 'abcdef12' }]);
    expect(changes.put).toHaveLength(2);
    expect(changes.delete.map((a) => a.name)).toEqual(['elb-watchdog-tg-web-gone-00000000-anomaly']);
  });

  it('changes nothing the second time', () => {
    const existing = specs.map((spec) => ({ name: spec.input.AlarmName, fingerprint: fingerprintOf(spec.input.AlarmDescription) }));
    const changes = reconcileAlarms(specs, existing);
    expect(changes).toEqual({ put: [], delete: [], unchanged: 2 });
  });

  it('updates an alarm whose settings changed', () => {
    const existing = specs.map((spec) => ({ name: spec.input.AlarmName, fingerprint: spec.fingerprint }));
    const wider = desiredAlarms({ loadBalancerArn: ALB, targetGroupArn: TG, targetGroupName: 'web-blue' }, { ...settings, bandWidth: 3 });
    expect(reconcileAlarms(wider, existing).put.map((spec) => spec.kind)).toEqual(['anomaly']);
  });
});
