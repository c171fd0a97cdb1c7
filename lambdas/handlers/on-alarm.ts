import { InputValidationError } from '../core/errors';
import { isWorthTelling, parseAlarmStateChange } from '../core/alarms/alarm-state-event';
import { explainAlarm } from '../core/workflow/explain-alarm';
import {
  elbv2Part,
  lazyRuntime,
  notifierPart,
  runtimeBuilder,
  statePart,
  type BaseRuntime,
  type Elbv2Part,
  type NotifierPart,
  type StatePart,
} from './runtime-parts';

/** What `on-alarm` uses: only these clients end up in its bundle. */
export type OnAlarmRuntime = BaseRuntime & Elbv2Part & StatePart & NotifierPart;

/** Its runtime, from the function's environment. */
export function createOnAlarmRuntime(environment: NodeJS.ProcessEnv): OnAlarmRuntime {
  const builder = runtimeBuilder(environment);
  return { ...builder.base, ...elbv2Part(builder), ...statePart(builder), ...notifierPart(builder) };
}

/** A CloudWatch alarm state change of one of the watchdog's alarms → an enriched notification. */
export function createOnAlarmHandler(runtime: () => OnAlarmRuntime) {
  return async (event: unknown): Promise<{ subject?: string }> => {
    const rt = runtime();
    const alarm = parseAlarmStateChange(event);
    if ('error' in alarm) throw new InputValidationError(`invalid alarm event: ${alarm.error}`, { input: 'alarm-event' });
    // A new alarm going from INSUFFICIENT_DATA to OK is not news.
    if (!isWorthTelling(alarm)) return {};
    const notification = await explainAlarm({ reader: rt.reader, store: rt.store }, alarm);
    await rt.notifier.publish(notification);
    rt.logger.info('alarm explained', { alarmName: alarm.alarmName, state: alarm.state });
    return { subject: notification.subject };
  };
}

/** The Lambda entry point. */
export const handler = createOnAlarmHandler(lazyRuntime(() => createOnAlarmRuntime(process.env)));

/** The same handler for a local runner (`sim/runner`), under the names every handler bundle exports. */
export const localEntry = { createHandler: createOnAlarmHandler, createRuntime: createOnAlarmRuntime };
