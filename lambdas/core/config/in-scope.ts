import type { Scope } from './watchdog-environment';

/** True when the watchdog guards this load balancer. */
export function inScope(scope: Scope, loadBalancer: { readonly arn: string; readonly tags: Readonly<Record<string, string>> }): boolean {
  switch (scope.type) {
    case 'all':
      return true;
    case 'arns':
      return scope.arns.includes(loadBalancer.arn);
    case 'tag': {
      const value = loadBalancer.tags[scope.key];
      return value !== undefined && (scope.value === undefined || value === scope.value);
    }
  }
}
