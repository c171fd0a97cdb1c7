/** The local AWS stand-in: moto behind a thin front that adds CloudTrail events, traffic, alarms and faults. */
export { startStandIn } from './launcher/start-stand-in';
export type { StandIn, Watcher } from './launcher/stand-in';
export { StandInOptionsSchema, DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from './launcher/stand-in-options';
export type { StandInOptions } from './launcher/stand-in-options';
export { MotoMissingError, StandInError, BackendUnavailableError } from './launcher/errors';
export type { EventBridgeEvent, CloudTrailRecord } from './cloudtrail/record-builder';
export type { Notification } from './notifications/notification-log';
export { WORLDS, WORLD_NAMES } from './worlds';
export type { WorldInfo, WorldName } from './worlds';
