import { InputValidationError } from '../core/errors';
import { isWorthTelling, parseAlarmStateChange } from '../core/alarms/alarm-state-event';
import { explainAlarm } from '../core/workflow/explain-alarm';
import { lazyRuntime, type WatchdogRuntime } from './watchdog-runtime';

/** A CloudWatch alarm state change of one of the watchdog's alarms → an enriched notification. */
export function createOnAlarmHandler(runtime: () => WatchdogRuntime) {
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
export const handler = createOnAlarmHandler(lazyRuntime());
