import AwsCronParser from 'aws-cron-parser';

/** When a scheduled rule fires: the first time strictly after a given time. */
export interface Schedule {
  readonly expression: string;
  nextAfter(time: Date): Date | undefined;
}

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((.+)\)$/;
const UNIT_MS: Readonly<Record<string, number>> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/**
 * An EventBridge schedule expression. `rate(value unit)` runs every interval from the moment the rule
 * was created (`anchor`); the unit is singular for 1 and plural otherwise, as EventBridge requires.
 * `cron(minutes hours day-of-month month day-of-week year)` runs at those UTC times (AWS's six fields,
 * `?`, `L`, `W`, `#`), read by `aws-cron-parser`. EventBridge runs a rule within the minute it is due.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
 */
export function parseSchedule(expression: string, anchor: Date): Schedule {
  const rate = RATE.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2];
    if (value < 1 || (value === 1) !== !unit.endsWith('s')) throw new Error(`schedule ${expression}: use "1 ${unit.replace(/s$/, '')}" or "N ${unit.replace(/s?$/, 's')}" with N > 1`);
    const every = value * UNIT_MS[unit.replace(/s$/, '')];
    return {
      expression,
      nextAfter: (time) => new Date(anchor.getTime() + (Math.floor((time.getTime() - anchor.getTime()) / every) + 1) * every),
    };
  }
  const cron = CRON.exec(expression);
  if (cron) {
    const fields = cron[1].trim().split(/\s+/);
    if (fields.length !== 6) throw new Error(`schedule ${expression}: a cron expression has six fields (minutes hours day-of-month month day-of-week year)`);
    const parsed = AwsCronParser.parse(fields.join(' '));
    return { expression, nextAfter: (time) => AwsCronParser.next(parsed, time) ?? undefined };
  }
  throw new Error(`schedule ${expression}: not a rate(...) or cron(...) expression`);
}
