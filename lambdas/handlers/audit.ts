import { ENV } from '../core/config/watchdog-environment';
import { auditTaskOf } from '../core/events/audit-task';
import { policyHash } from '../core/policy/policy-hash';
import { auditLoadBalancers, type LoadBalancerAudit } from '../core/workflow/audit-load-balancers';
import { drainPending } from '../core/workflow/tell-verdict';
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

/** What `audit` uses: only these clients end up in its bundle. */
export type AuditRuntime = BaseRuntime & Elbv2Part & StatePart & NotifierPart & MetricsPart;

/** Its runtime, from the function's environment. */
export function createAuditRuntime(environment: NodeJS.ProcessEnv): AuditRuntime {
  const builder = runtimeBuilder(environment);
  return { ...builder.base, ...elbv2Part(builder), ...statePart(builder), ...notifierPart(builder), ...metricsPart(builder) };
}

/** The drain's result: how many verdicts of the outbox it told. */
export interface OutboxDrain {
  readonly told: number;
}

/** The scheduled audit of every load balancer in scope, or (`{ "task": "drain-outbox" }`) only the outbox. */
export function createAuditHandler(runtime: () => AuditRuntime) {
  return async (event: unknown): Promise<LoadBalancerAudit[] | OutboxDrain> => {
    const task = auditTaskOf(event);
    const rt = runtime();
    try {
      if (task === 'audit') {
        // What is deployed, for `status`, `audit` and `preview`: the first audit runs when the stack finishes deploying.
        await rt.store.recordDeployedPolicy(rt.policy, policyHash(rt.policy));
      }
      // Verdicts an on-change run could not finish telling (SNS down, a crash), and held ones whose wait is over.
      const told = await drainPending({ reader: rt.reader, applier: rt.applier, store: rt.store, notifier: rt.notifier, now: rt.now }).catch((error: unknown) => {
        rt.logger.error('pending verdicts not told yet; the next run tries again', error as Error);
        return 0;
      });
      if (told > 0) rt.metrics.addMetric('PendingVerdictsTold', MetricUnit.Count, told);
      if (task === 'drain-outbox') return { told };
      const results = await auditLoadBalancers({ reader: rt.reader, store: rt.store, notifier: rt.notifier, policy: rt.policy, scope: rt.env[ENV.scope], applier: rt.applier, metrics: rt.trafficMetrics, capacity: rt.store, now: rt.now });
      for (const result of results) rt.logger.info('load balancer audited', { ...result });
      rt.metrics.addMetric('AuditedLoadBalancers', MetricUnit.Count, results.length);
      rt.metrics.addMetric('UnsafeDrift', MetricUnit.Count, results.filter((r) => r.status === 'unsafe-drift').length);
      rt.metrics.addMetric('AuditErrors', MetricUnit.Count, results.filter((r) => r.status === 'error').length);
      return results;
    } finally {
      rt.metrics.publishStoredMetrics();
    }
  };
}

/** The Lambda entry point. */
export const handler = createAuditHandler(lazyRuntime(() => createAuditRuntime(process.env)));

/** The same handler for a local runner (`sim/runner`), under the names every handler bundle exports. */
export const localEntry = { createHandler: createAuditHandler, createRuntime: createAuditRuntime };
