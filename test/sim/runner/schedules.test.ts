import { RuleScheduler, type ScheduledEvent } from '../../../sim/runner/rule-scheduler';
import { parseSchedule } from '../../../sim/runner/schedule-expression';

const at = (iso: string) => new Date(iso);
const MINUTE = 60_000;

/**
 * EventBridge schedule expressions: `rate(value unit)` (singular unit for 1) and six-field UTC `cron(...)`.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
 */
describe('Function: parseSchedule', () => {
  it('runs a rate every interval from the rule\'s creation', () => {
    const schedule = parseSchedule('rate(15 minutes)', at('2026-03-01T10:07:30Z'));

    expect(schedule.nextAfter(at('2026-03-01T10:07:30Z'))?.toISOString()).toBe('2026-03-01T10:22:30.000Z');
    expect(schedule.nextAfter(at('2026-03-01T10:22:30Z'))?.toISOString()).toBe('2026-03-01T10:37:30.000Z');
    expect(parseSchedule('rate(1 hour)', at('2026-03-01T10:00:00Z')).nextAfter(at('2026-03-01T10:30:00Z'))?.toISOString()).toBe('2026-03-01T11:00:00.000Z');
  });

  it('reads AWS cron fields: minutes hours day-of-month month day-of-week year', () => {
    const quarterHours = parseSchedule('cron(0/15 * * * ? *)', at('2026-03-01T00:00:00Z'));
    const weekdays = parseSchedule('cron(0 10 ? * MON-FRI *)', at('2026-03-01T00:00:00Z'));

    expect(quarterHours.nextAfter(at('2026-03-01T10:07:30Z'))?.toISOString()).toBe('2026-03-01T10:15:00.000Z');
    // 2026-03-07 is a Saturday.
    expect(weekdays.nextAfter(at('2026-03-07T00:00:00Z'))?.toISOString()).toBe('2026-03-09T10:00:00.000Z');
  });

  it.each([
    ['rate(1 minutes)', /use "1 minute" or "N minutes"/],
    ['rate(5 minute)', /use "1 minute" or "N minutes"/],
    ['cron(0 10 * * ?)', /six fields/],
    ['every 5 minutes', /not a rate\(...\) or cron\(...\) expression/],
  ])('refuses %s', (expression, message) => {
    expect(() => parseSchedule(expression, new Date())).toThrow(message);
  });
});

describe('Class: RuleScheduler', () => {
  const anchor = at('2026-03-01T10:00:20Z');
  const scheduler = (expressions: Record<string, string>) => {
    const delivered: { rule: string; event: ScheduledEvent }[] = [];
    const rules = Object.entries(expressions).map(([name, expression]) => ({
      name,
      arn: `arn:aws:events:us-east-1:123456789012:rule/${name}`,
      expression,
      deliver: async (event: ScheduledEvent) => void delivered.push({ rule: name, event }),
    }));
    return { delivered, scheduler: new RuleScheduler(rules, anchor, { account: '123456789012', region: 'us-east-1' }) };
  };
  const minutesFrom = async (s: RuleScheduler, start: string, count: number) => {
    for (let i = 0; i < count; i++) await s.onMinute(new Date(at(start).getTime() + i * MINUTE));
  };

  it('fires nothing before a rule is due, then once per due time, in order, with EventBridge\'s scheduled event', async () => {
    const { delivered, scheduler: s } = scheduler({ Sync: 'rate(15 minutes)', Audit: 'rate(1 hour)' });

    await minutesFrom(s, '2026-03-01T10:00:00Z', 14);
    expect(delivered).toEqual([]);
    // Minute 10:15 ends at 10:16, past 10:15:20.
    await minutesFrom(s, '2026-03-01T10:14:00Z', 2);

    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toEqual({
      rule: 'Sync',
      event: {
        version: '0',
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: '123456789012',
        time: '2026-03-01T10:15:20Z',
        region: 'us-east-1',
        resources: ['arn:aws:events:us-east-1:123456789012:rule/Sync'],
        detail: {},
      },
    });
  });

  it('catches up when the clock jumps: an hour runs a 15-minute rule four times and an hourly one once', async () => {
    const { delivered, scheduler: s } = scheduler({ Sync: 'rate(15 minutes)', Audit: 'rate(1 hour)' });

    await minutesFrom(s, '2026-03-01T10:00:00Z', 61);

    expect(delivered.map((d) => `${d.rule} ${d.event.time}`)).toEqual([
      'Sync 2026-03-01T10:15:20Z',
      'Sync 2026-03-01T10:30:20Z',
      'Sync 2026-03-01T10:45:20Z',
      'Sync 2026-03-01T11:00:20Z',
      'Audit 2026-03-01T11:00:20Z',
    ]);
    expect(s.fired()).toHaveLength(5);
    expect(s.upcoming()).toEqual([
      { rule: 'Sync', expression: 'rate(15 minutes)', next: '2026-03-01T11:15:20.000Z' },
      { rule: 'Audit', expression: 'rate(1 hour)', next: '2026-03-01T12:00:20.000Z' },
    ]);
  });
});
