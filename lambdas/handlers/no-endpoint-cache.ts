/**
 * Takes the place of `@aws-sdk/endpoint-cache` in the Lambda bundles (an esbuild alias in
 * `bin/bundle-handlers.ts`). Only DynamoDB's client uses it, for endpoint discovery, which is off unless
 * a client enables it (DynamoDB never requires it) and which the watchdog never enables: the middleware then
 * only asks the cache for an endpoint, finds none and uses the regular one. The real cache is an LRU
 * (mnemonist, ~5 KB) that would stay empty. Should discovery ever be enabled, storing an endpoint says so.
 */
export class EndpointCache {
  public getEndpoint(_key: string): string | undefined {
    return undefined;
  }

  public get(_key: string): undefined {
    return undefined;
  }

  public has(_key: string): boolean {
    return false;
  }

  public set(_key: string, _endpoints: unknown): never {
    throw new Error('endpoint discovery is not bundled in ELB Watchdog handlers (bin/bundle-handlers.ts)');
  }

  public delete(_key: string): void {}

  public clear(): void {}
}
