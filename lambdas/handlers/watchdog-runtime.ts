import {
  alarmsPart,
  elbv2Part,
  notifierPart,
  queuePart,
  runtimeBuilder,
  statePart,
  type AlarmsPart,
  type BaseRuntime,
  type Elbv2Part,
  type NotifierPart,
  type QueuePart,
  type StatePart,
} from './runtime-parts';

export type { AlarmsPart, BaseRuntime, Elbv2Part, NotifierPart, QueuePart, StatePart } from './runtime-parts';

/**
 * Everything any handler uses. Each handler builds only its own parts (its `create…Runtime`), so that its
 * bundle carries only the SDK clients it calls; this one has them all, for code that runs every handler
 * from source in one process (the local runner).
 */
export type WatchdogRuntime = BaseRuntime & Elbv2Part & StatePart & NotifierPart & QueuePart & AlarmsPart;

/** Builds every part from the environment. */
export function createRuntime(environment: NodeJS.ProcessEnv = process.env): WatchdogRuntime {
  const builder = runtimeBuilder(environment);
  return { ...builder.base, ...elbv2Part(builder), ...statePart(builder), ...notifierPart(builder), ...queuePart(builder), ...alarmsPart(builder) };
}
