import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ENV } from '../core/config/watchdog-environment';
import { InputValidationError } from '../core/errors';
import { parseChangeEvent } from '../core/events';
import type { Change } from '../core/events/change';
import { judgeChanges } from '../core/workflow/judge-change';
import * as z from '../core/zod';
import {
  elbv2Part,
  lazyRuntime,
  metricsPart,
  notifierPart,
  runtimeBuilder,
  statePart,
  type BaseRuntime,
  type Elbv2Part,
  type MetricsPart,
  type NotifierPart,
  type StatePart,
} from './runtime-parts';
import { MetricUnit } from './telemetry/emf-metrics';

const ChangeMessageSchema = z.object({ loadBalancerArn: z.string().check(z.minLength(1)), event: z.unknown() });

/** What `on-change` uses: only these clients end up in its bundle. */
export type OnChangeRuntime = BaseRuntime & Elbv2Part & StatePart & NotifierPart & MetricsPart;

/** Its runtime, from the function's environment. */
export function createOnChangeRuntime(environment: NodeJS.ProcessEnv): OnChangeRuntime {
  const builder = runtimeBuilder(environment);
  return { ...builder.base, ...elbv2Part(builder), ...statePart(builder), ...notifierPart(builder), ...metricsPart(builder) };
}

/** One message of the batch, read. */
interface ChangeMessage {
  readonly record: SQSRecord;
  readonly loadBalancerArn: string;
  readonly change?: Change;
}

function readMessage(record: SQSRecord): ChangeMessage {
  const body = ChangeMessageSchema.safeParse(JSON.parse(record.body));
  if (!body.success) throw new InputValidationError(`change message ${record.messageId}: ${body.error.issues[0].message}`, { input: 'change-message' });
  const parsed = parseChangeEvent(body.data.event);
  return { record, loadBalancerArn: body.data.loadBalancerArn, ...(parsed.status === 'change' && { change: parsed.change }) };
}

/**
 * The change queue's consumer. A batch may hold several FIFO message groups (one per load balancer);
 * they are judged concurrently, each group's changes together with one read of the final state, in order
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html: "each batch may contain messages
 * from more than one message group, but the order of the messages is maintained"). A group that fails is
 * reported as batch item failures, every record of it, so SQS redelivers them in order and finally moves
 * them to the DLQ: nothing is dropped silently, and other groups are not held back.
 */
export function createOnChangeHandler(runtime: () => OnChangeRuntime) {
  const judgeGroup = async (messages: readonly ChangeMessage[]): Promise<void> => {
    const rt = runtime();
    const changes = messages.flatMap((m) => (m.change === undefined ? [] : [m.change]));
    for (const m of messages) if (m.change === undefined) rt.logger.warn('message without a change', { messageId: m.record.messageId });
    if (changes.length === 0) return;
    const loadBalancerArn = messages[0].loadBalancerArn;
    // A member account's change is read and reverted with that account's role (multi-account).
    const { reader, applier } = rt.elbv2For(changes[0].accountId, changes[0].region);
    const deps = { reader, store: rt.store, applier, notifier: rt.notifier, policy: rt.policy, scope: rt.env[ENV.scope], ownRoleNames: rt.env[ENV.ownRoleNames], now: rt.now, leaseHolder: 'judge' as const, metrics: rt.trafficMetrics, capacity: rt.store };
    try {
      const outcomes = await judgeChanges(deps, changes, loadBalancerArn);
      outcomes.forEach((outcome, i) => {
        const change = changes[i];
        if (outcome.status === 'skipped') {
          rt.logger.info('change skipped', { eventId: change.eventId, loadBalancerArn, reason: outcome.reason });
          rt.metrics.addMetric(`Skipped_${outcome.reason}`, MetricUnit.Count, 1);
          return;
        }
        const audit = outcome.record;
        rt.logger.info('change judged', { eventId: change.eventId, loadBalancerArn, eventName: change.eventName, actor: change.actor.displayName, decision: audit.decision, action: audit.action, outcome: audit.outcome, latencyMs: audit.latencyMs });
        rt.metrics.addMetric(`Verdict_${audit.decision}`, MetricUnit.Count, 1);
        if (audit.outcome === 'reverted') rt.metrics.addMetric('Reverts', MetricUnit.Count, 1);
        if ((audit.fight?.round ?? 0) >= 3 && audit.cause === 'caused') rt.metrics.addMetric('FightRounds', MetricUnit.Count, 1);
        if (audit.latencyMs !== undefined) rt.metrics.addMetric('CallToActionLatency', MetricUnit.Milliseconds, audit.latencyMs);
      });
      if (changes.length > 1) rt.metrics.addMetric('CoalescedChanges', MetricUnit.Count, changes.length);
    } catch (error) {
      rt.logger.error('changes not handled; they will be retried', { loadBalancerArn, error: error as Error });
      rt.metrics.addMetric('Failures', MetricUnit.Count, 1);
      throw error;
    }
  };

  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const rt = runtime();
    const failures: { itemIdentifier: string }[] = [];
    try {
      const groups = new Map<string, ChangeMessage[]>();
      for (const record of event.Records) {
        const group = record.attributes.MessageGroupId ?? record.messageId;
        try {
          groups.set(group, [...(groups.get(group) ?? []), readMessage(record)]);
        } catch (error) {
          // An unreadable message fails on its own; it goes to the DLQ after its retries.
          rt.logger.error('unreadable change message', { messageId: record.messageId, error: error as Error });
          failures.push({ itemIdentifier: record.messageId });
        }
      }
      // One group per load balancer, but a group's messages could name several (a target group's change
      // is routed per load balancer): judge each load balancer's run of messages in order.
      await Promise.all(
        [...groups.values()].map(async (messages) => {
          let at = 0;
          while (at < messages.length) {
            let end = at + 1;
            while (end < messages.length && messages[end].loadBalancerArn === messages[at].loadBalancerArn) end += 1;
            const run = messages.slice(at, end);
            try {
              await judgeGroup(run);
            } catch {
              // This run and everything after it in the group are retried, in order.
              failures.push(...messages.slice(at).map((m) => ({ itemIdentifier: m.record.messageId })));
              return;
            }
            at += run.length;
          }
        }),
      );
      return { batchItemFailures: failures };
    } finally {
      rt.metrics.publishStoredMetrics();
    }
  };
}

/** The Lambda entry point. */
export const handler = createOnChangeHandler(lazyRuntime(() => createOnChangeRuntime(process.env)));

/** The same handler for a local runner (`sim/runner`), under the names every handler bundle exports. */
export const localEntry = { createHandler: createOnChangeHandler, createRuntime: createOnChangeRuntime };
