/** ELB Watchdog's CDK constructs. */
export { ElbWatchdog, DEFAULT_MEMBER_REVERT_ROLE_NAME, type ElbWatchdogProps, type WatchdogAlarmSettings, type WatchdogMode } from './elb-watchdog';
export { ElbWatchdogForwarder, type ElbWatchdogForwarderProps } from './elb-watchdog-forwarder';
export { ElbWatchdogStack, watchdogContext, CONTEXT_KEYS, type ElbWatchdogStackProps, type WatchdogContext } from './watchdog-stack';
export { ElbWatchdogForwarderStack, type ElbWatchdogForwarderStackProps } from './forwarder-stack';
export { WatchdogScope, type ScopedResourceArns } from './watchdog-scope';
export { resolvePolicy, WatchdogPolicyError, type WatchdogPolicyInput } from './watchdog-policy';
export { ELB_DESCRIBE_ACTIONS, revertStatements } from './revert-permissions';
export { changeEventPattern, forwardedEventPattern, ALARM_SYNC_EVENT_NAMES } from './event-patterns';
export { ChangePipeline, type ChangePipelineProps } from './change-pipeline';
export { AlarmSync, type AlarmSyncProps } from './alarm-sync';
export { AlarmNotifier, type AlarmNotifierProps } from './alarm-notifier';
export { ScheduledAudit, type ScheduledAuditProps } from './scheduled-audit';
export { StateTable, type StateTableProps } from './state-table';
export { Notifications, type NotificationsProps, type SlackChannelProps } from './notifications';
export { AlarmedDeadLetterQueue, type AlarmedDeadLetterQueueProps } from './alarmed-queue';
export { TrafficDashboard, type TrafficDashboardProps } from './traffic-dashboard';
export { WatchdogFunction, WATCHDOG_HANDLER_NAMES, type WatchdogFunctionProps, type WatchdogFunctionSettings, type WatchdogHandlerName, type WatchdogLogLevel } from './watchdog-function';
export { ElbTrafficPolicyChecks, type ElbTrafficPolicyChecksProps } from './aspects/elb-traffic-policy-checks';
