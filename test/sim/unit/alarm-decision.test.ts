import { decide, type AlarmRule, type Slot } from '../../../sim/alarms/alarm-decision';

const rule = (overrides: Partial<AlarmRule> = {}): AlarmRule => ({ comparison: 'GreaterThanThreshold', threshold: 50, datapointsToAlarm: 2, treatMissingData: 'missing', ...overrides });
const slots = (...values: (number | undefined)[]): Slot[] => values.map((value, i) => ({ timestamp: Date.UTC(2019, 9, 2, 16, 57 + i), value }));

describe('Alarms: decide', () => {
  it('alarms when M of N datapoints breach, with CloudWatch\'s reason wording', () => {
    const decision = decide(rule(), slots(60, 70, 10));
    expect(decision.state).toBe('ALARM');
    expect(decision.reason).toBe(
      'Threshold Crossed: 2 out of the last 3 datapoints [60.0 (02/10/19 16:57:00), 70.0 (02/10/19 16:58:00), 10.0 (02/10/19 16:59:00)] was greater than the threshold (50.0) (minimum 2 datapoint for OK -> ALARM transition).',
    );
    expect(decide(rule(), slots(60, 10, 10)).state).toBe('OK');
  });

  it.each([
    ['missing', 'INSUFFICIENT_DATA'],
    ['notBreaching', 'OK'],
    ['breaching', 'ALARM'],
    ['ignore', undefined],
  ])('treats all-missing data as %s → %s', (treatMissingData, expected) => {
    expect(decide(rule({ treatMissingData }), slots(undefined, undefined)).state).toBe(expected);
  });

  it('judges anomaly bands, and counts a datapoint without a band as missing', () => {
    const band = { lower: 0.02, upper: 0.3 };
    const alarm = decide(rule({ comparison: 'LessThanLowerOrGreaterThanUpperThreshold', threshold: undefined, datapointsToAlarm: 1 }), [{ timestamp: Date.UTC(2019, 9, 3, 15, 58), value: 0, band }]);
    expect(alarm.state).toBe('ALARM');
    expect(alarm.reason).toBe(
      'Thresholds Crossed: 1 out of the last 1 datapoints [0.0 (03/10/19 15:58:00)] was less than the lower thresholds [0.02] or greater than the upper thresholds [0.3] (minimum 1 datapoint for OK -> ALARM transition).',
    );
    expect(decide(rule({ comparison: 'GreaterThanUpperThreshold', datapointsToAlarm: 1 }), [{ timestamp: 0, value: 5 }]).state).toBe('INSUFFICIENT_DATA');
  });
});
