import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { ENV } from '../core/config/watchdog-environment';
import { InputValidationError } from '../core/errors';
import { parseChangeEvent } from '../core/events';
import { judgeChange } from '../core/workflow/judge-change';
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

const ChangeMessageSchema = z.object({ loadBalancerArn: z.string().min(1), event: z.unknown() });

/** What `on-change` uses: only these clients end up in its bundle. */
export type OnChangeRuntime = BaseRuntime & Elbv2Part & StatePart & NotifierPart;

/** Its runtime, from the function's environment. */
export function createOnChangeRuntime(environment: NodeJS.ProcessEnv): OnChangeRuntime {
  const builder = runtimeBuilder(environment);
  return { ...builder.base, ...elbv2Part(builder), ...statePart(builder), ...notifierPart(builder) };
}

/**
 * The change queue's consumer: each record is one change for one load balancer, judged in order per
 * load balancer (FIFO group). A record that fails is reported as a batch item failure, with every later
 * record of its group, so SQS redelivers them in order and finally moves them to the DLQ: nothing is
 * dropped silently.
 */
export function createOnChangeHandler(runtime: () => OnChangeRuntime) {
  const processRecord = async (record: SQSRecord): Promise<void> => {
    const rt = runtime();
    const body = ChangeMessageSchema.safeParse(JSON.parse(record.body));
    if (!body.success) throw new InputValidationError(`change message ${record.messageId}: ${body.error.issues[0].message}`, { input: 'change-message' });
    const parsed = parseChangeEvent(body.data.event);
    if (parsed.status !== 'change') {
      rt.logger.warn('message without a change', { messageId: record.messageId, parsed });
      return;
    }
    const change = parsed.change;
    rt.logger.appendKeys({ eventId: change.eventId, loadBalancerArn: body.data.loadBalancerArn });
    try {
      // A member account's change is read and reverted with that account's role (multi-account).
      const { reader, applier } = rt.elbv2For(change.accountId, change.region);
      const outcome = await judgeChange(
        {
          reader,
          store: rt.store,
          applier,
          notifier: rt.notifier,
          policy: rt.policy,
          scope: rt.env[ENV.scope],
          ownRoleNames: rt.env[ENV.ownRoleNames],
          now: rt.now,
        },
        change,
        body.data.loadBalancerArn,
      );
      if (outcome.status === 'skipped') {
        rt.logger.info('change skipped', { reason: outcome.reason });
        rt.metrics.addMetric(`Skipped_${outcome.reason}`, MetricUnit.Count, 1);
        return;
      }
      const { record: audit } = outcome;
      rt.logger.info('change judged', { eventName: change.eventName, actor: change.actor.displayName, decision: audit.decision, action: audit.action, outcome: audit.outcome, latencyMs: audit.latencyMs });
      rt.metrics.addMetric(`Verdict_${audit.decision}`, MetricUnit.Count, 1);
      if (audit.outcome === 'reverted') rt.metrics.addMetric('Reverts', MetricUnit.Count, 1);
      if (audit.latencyMs !== undefined) rt.metrics.addMetric('CallToActionLatency', MetricUnit.Milliseconds, audit.latencyMs);
    } catch (error) {
      rt.logger.error('change not handled; it will be retried', error as Error);
      rt.metrics.addMetric('Failures', MetricUnit.Count, 1);
      throw error;
    } finally {
      rt.logger.removeKeys(['eventId', 'loadBalancerArn']);
    }
  };

  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const rt = runtime();
    try {
      return await processPartialResponse(event, processRecord, new SqsFifoPartialProcessorAsync(), { skipGroupOnError: true, throwOnFullBatchFailure: false });
    } finally {
      rt.metrics.publishStoredMetrics();
    }
  };
}

/** The Lambda entry point. */
export const handler = createOnChangeHandler(lazyRuntime(() => createOnChangeRuntime(process.env)));

/** The same handler for a local runner (`sim/runner`), under the names every handler bundle exports. */
export const localEntry = { createHandler: createOnChangeHandler, createRuntime: createOnChangeRuntime };
