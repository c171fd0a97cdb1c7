import { isWorthTelling, parseAlarmStateChange } from '../../../lambdas/core/alarms/alarm-state-event';

const event = {
  version: '0',
  id: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
  'detail-type': 'CloudWatch Alarm State Change',
  source: 'aws.cloudwatch',
  account: '123456789012',
  time: '2026-05-19T14:09:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:cloudwatch:us-east-1:123456789012:alarm:elb-watchdog-tg-web-web-green-1a2b3c4d-share'],
  detail: {
    alarmName: 'elb-watchdog-tg-web-web-green-1a2b3c4d-share',
    state: { value: 'ALARM', reason: 'Threshold Crossed', timestamp: '2026-05-19T14:09:00.000+0000' },
    previousState: { value: 'OK', timestamp: '2026-05-19T13:00:00.000+0000' },
    configuration: {
      metrics: [
        {
          id: 'group',
          metricStat: {
            metric: { namespace: 'AWS/ApplicationELB', name: 'RequestCount', dimensions: { TargetGroup: 'targetgroup/web-green/0f1e2d3c4b5a6978', LoadBalancer: 'app/web/50dc6c495c0c9188' } },
          },
        },
      ],
    },
  },
};

describe('Function: parseAlarmStateChange', () => {
  it('finds the load balancer and target group from the metric dimensions', () => {
    expect(parseAlarmStateChange(event)).toMatchObject({
      state: 'ALARM',
      previousState: 'OK',
      loadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188',
      targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-green/0f1e2d3c4b5a6978',
    });
  });

  it('takes account and Region from the alarm ARN when the envelope lacks them', () => {
    const { account: _account, region: _region, ...bare } = event;
    expect(parseAlarmStateChange(bare)).toMatchObject({ loadBalancerArn: expect.stringContaining(':us-east-1:123456789012:') });
  });

  it('names the bad field of something that is not an alarm event', () => {
    expect(parseAlarmStateChange({ ...event, detail: { ...event.detail, state: { value: 'MAYBE' } } })).toEqual({ error: expect.stringMatching(/^detail\.state\.value/) });
  });
});

describe('Function: isWorthTelling', () => {
  it.each([
    ['ALARM', 'OK', true],
    ['OK', 'ALARM', true],
    ['OK', 'INSUFFICIENT_DATA', false],
    ['INSUFFICIENT_DATA', 'OK', false],
  ] as const)('%s after %s: %s', (state, previousState, expected) => {
    expect(isWorthTelling({ alarmName: 'a', state, previousState, time: '' })).toBe(expected);
  });
});
