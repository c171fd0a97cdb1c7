import { randomUUID } from 'node:crypto';
import { parseSchedule, type Schedule } from './schedule-expression';

/** A scheduled rule and where its events go. */
export interface ScheduledRule {
  /** The rule's name (the runner names rules by logical id) and ARN, for the event's `resources`. */
  readonly name: string;
  readonly arn: string;
  readonly expression: string;
  /** Sends the event to each target function (asynchronous invocation). */
  readonly deliver: (event: ScheduledEvent) => Promise<void>;
}

/** The event EventBridge sends a scheduled rule's targets. */
export interface ScheduledEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'Scheduled Event';
  readonly source: 'aws.events';
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Record<string, never>;
}

/** One firing of a rule, for tests and traces. */
export interface ScheduledRun {
  readonly rule: string;
  /** Sim time the rule was due (the event's `time`). */
  readonly time: string;
  readonly eventId: string;
}

const MINUTE = 60_000;

/** AWS writes event times to the second: `2026-01-01T00:15:00Z`. */
const eventTime = (time: Date): string => `${time.toISOString().slice(0, 19)}Z`;

/** The event a scheduled rule sends its targets at `time` (the rule's ARN in `resources`). */
export function scheduledEvent(where: { readonly account: string; readonly region: string }, time: Date, resources: readonly string[]): ScheduledEvent {
  return { version: '0', id: randomUUID(), 'detail-type': 'Scheduled Event', source: 'aws.events', account: where.account, time: eventTime(time), region: where.region, resources, detail: {} };
}

/**
 * Plays EventBridge's scheduled rules on the stand-in's sim clock: told of each simulated minute, it fires
 * every rule due up to the minute's end, once per due time and in order, so a clock advanced by an hour
 * runs a 15-minute schedule four times, as EventBridge would have. Rates count from `anchor` (the rule's
 * creation, i.e. the deployment).
 */
export class RuleScheduler {
  private readonly entries: { rule: ScheduledRule; schedule: Schedule; next: Date | undefined }[];
  private readonly runs: ScheduledRun[] = [];

  constructor(
    rules: readonly ScheduledRule[],
    anchor: Date,
    private readonly where: { readonly account: string; readonly region: string },
  ) {
    this.entries = rules.map((rule) => {
      const schedule = parseSchedule(rule.expression, anchor);
      return { rule, schedule, next: schedule.nextAfter(anchor) };
    });
  }

  /** Fires what is due by the end of the minute that starts at `minuteStart`. */
  async onMinute(minuteStart: Date): Promise<void> {
    const end = minuteStart.getTime() + MINUTE;
    for (const entry of this.entries) {
      while (entry.next !== undefined && entry.next.getTime() <= end) {
        const due = entry.next;
        entry.next = entry.schedule.nextAfter(due);
        const event = scheduledEvent(this.where, due, [entry.rule.arn]);
        this.runs.push({ rule: entry.rule.name, time: event.time, eventId: event.id });
        await entry.rule.deliver(event);
      }
    }
  }

  /** Every firing so far, oldest first. */
  fired(): ScheduledRun[] {
    return [...this.runs];
  }

  /** When each rule fires next (sim time). */
  upcoming(): { rule: string; expression: string; next?: string }[] {
    return this.entries.map((entry) => ({ rule: entry.rule.name, expression: entry.rule.expression, next: entry.next?.toISOString() }));
  }
}
