import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { ENV } from '../core/config/watchdog-environment';
import { InputValidationError } from '../core/errors';
import { parseChangeEvent } from '../core/events';
import { routeChange } from '../core/workflow/route-change';
import { isOwnChange } from '../core/workflow/own-change';
import {
  elbv2Part,
  lazyRuntime,
  queuePart,
  runtimeBuilder,
  type BaseRuntime,
  type Elbv2Part,
  type QueuePart,
} from './runtime-parts';

/** What one routing did, for logs and tests. */
export interface RouteResult {
  readonly routed: readonly string[];
  readonly skipped?: string;
}

/** The body of a change-queue message. */
export interface ChangeMessage {
  readonly loadBalancerArn: string;
  /** The EventBridge event as received. */
  readonly event: unknown;
}

/** What `route-change` uses: only these clients end up in its bundle. */
export type RouteChangeRuntime = BaseRuntime & Elbv2Part & QueuePart;

/** Its runtime, from the function's environment. */
export function createRouteChangeRuntime(environment: NodeJS.ProcessEnv): RouteChangeRuntime {
  const builder = runtimeBuilder(environment);
  return { ...builder.base, ...elbv2Part(builder), ...queuePart(builder) };
}

/**
 * EventBridge → here → the change FIFO queue, one message per load balancer the change affects, grouped
 * by load balancer. A rule's SQS target can only set a fixed MessageGroupId, and target-group events do
 * not even name their load balancer; this small hop computes the group. An invalid event throws, so
 * Lambda's retries and then its DLQ keep it for a person to read.
 */
export function createRouteChangeHandler(runtime: () => RouteChangeRuntime) {
  return async (event: unknown): Promise<RouteResult> => {
    const rt = runtime();
    const { env, sqs, logger } = rt;
    const parsed = parseChangeEvent(event);
    if (parsed.status === 'invalid') {
      throw new InputValidationError(`invalid change event at ${parsed.field}: ${parsed.message}`, { field: parsed.field, input: 'cloudtrail-event' });
    }
    if (parsed.status === 'ignored') {
      logger.info('event ignored', { reason: parsed.reason, detail: parsed.detail, eventId: parsed.eventId });
      return { routed: [], skipped: parsed.reason };
    }
    const change = parsed.change;
    // Checked again by on-change; skipping here saves a describe call and a message per revert step.
    if (isOwnChange(change.actor, env[ENV.ownRoleNames])) return { routed: [], skipped: 'own-change' };
    const queueUrl = env[ENV.changeQueueUrl];
    if (queueUrl === undefined) throw new InputValidationError(`${ENV.changeQueueUrl} is not set`, { field: ENV.changeQueueUrl, input: 'environment' });
    const routes = await routeChange(change, rt.elbv2For(change.accountId, change.region).reader);
    for (const route of routes) {
      const message: ChangeMessage = { loadBalancerArn: route.loadBalancerArn, event };
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify(message),
          MessageGroupId: route.messageGroupId,
          MessageDeduplicationId: route.deduplicationId,
        }),
      );
    }
    logger.info('change routed', { eventId: change.eventId, eventName: change.eventName, loadBalancers: routes.map((r) => r.loadBalancerArn) });
    return { routed: routes.map((route) => route.loadBalancerArn) };
  };
}

/** The Lambda entry point. */
export const handler = createRouteChangeHandler(lazyRuntime(() => createRouteChangeRuntime(process.env)));

/** The same handler for a local runner (`sim/runner`), under the names every handler bundle exports. */
export const localEntry = { createHandler: createRouteChangeHandler, createRuntime: createRouteChangeRuntime };
