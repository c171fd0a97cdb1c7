import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ENV } from '../core/config/watchdog-environment';
import { auditLoadBalancers, type LoadBalancerAudit } from '../core/workflow/audit-load-balancers';
import { lazyRuntime, type WatchdogRuntime } from './watchdog-runtime';

/** The scheduled audit of every load balancer in scope. */
export function createAuditHandler(runtime: () => WatchdogRuntime) {
  return async (_event: unknown): Promise<LoadBalancerAudit[]> => {
    const rt = runtime();
    try {
      const results = await auditLoadBalancers({ reader: rt.reader, store: rt.store, notifier: rt.notifier, policy: rt.policy, scope: rt.env[ENV.scope] });
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
export const handler = createAuditHandler(lazyRuntime());
