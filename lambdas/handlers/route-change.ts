import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
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
 * EventBridge → the incoming queue → here → the change FIFO queue, one message per load balancer the change
 * affects, grouped by load balancer. A rule's SQS target can only set a fixed MessageGroupId, and target-group
 * events do not even name their load balancer; this small hop computes the group. Events arrive in batches
 * (a burst of 20 flips is two invocations, not 20 cold starts) and are routed in the batch's order; an event
 * that fails (invalid, or its routing call failed) is reported alone, so the queue retries it and then moves
 * it to the failed-events queue for a person to read.
 */
export function createRouteChangeHandler(runtime: () => RouteChangeRuntime) {
  return async (batch: SQSEvent): Promise<SQSBatchResponse> => {
    const rt = runtime();
    const batchItemFailures: SQSBatchItemFailure[] = [];
    for (const record of batch.Records) {
      try {
        await routeOne(rt, parseBody(record));
      } catch (error) {
        rt.logger.error('change not routed', { messageId: record.messageId, error: error as Error });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}

function parseBody(record: SQSRecord): unknown {
  try {
    return JSON.parse(record.body) as unknown;
  } catch {
    throw new InputValidationError('the message body is not JSON', { field: 'body', input: 'cloudtrail-event' });
  }
}

/** Routes one EventBridge event; throws when it is invalid or cannot be routed now. */
async function routeOne(rt: RouteChangeRuntime, event: unknown): Promise<void> {
  const { env, sqs, logger } = rt;
  const parsed = parseChangeEvent(event);
  if (parsed.status === 'invalid') {
    throw new InputValidationError(`invalid change event at ${parsed.field}: ${parsed.message}`, { field: parsed.field, input: 'cloudtrail-event' });
  }
  if (parsed.status === 'ignored') {
    logger.info('event ignored', { reason: parsed.reason, detail: parsed.detail, eventId: parsed.eventId });
    return;
  }
  const change = parsed.change;
  // Checked again by on-change; skipping here saves a describe call and a message per revert step.
  if (isOwnChange(change.actor, env[ENV.ownRoleNames])) return;
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
}

/** The Lambda entry point. */
export const handler = createRouteChangeHandler(lazyRuntime(() => createRouteChangeRuntime(process.env)));

/** The same handler for a local runner (`sim/runner`), under the names every handler bundle exports. */
export const localEntry = { createHandler: createRouteChangeHandler, createRuntime: createRouteChangeRuntime };
