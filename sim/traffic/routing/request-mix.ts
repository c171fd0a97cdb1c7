import * as z from 'zod';
import type { SimRequest } from './condition-matcher';

/**
 * One kind of request in a load balancer's mix: what the request carries (fields left out are unknown, and a
 * rule condition on an unknown field does not match) and its share of the load balancer's requests.
 * @example { "host": "www.example.com", "path": "/api/orders", "share": 0.3 }
 */
export const RequestKindSchema = z
  .object({
    host: z.string().min(1).max(255).optional(),
    /** The URL path without its query string. */
    path: z.string().startsWith('/').max(1024).refine((p) => !p.includes('?'), 'give the query string as `query`, not in the path').optional(),
    method: z.string().regex(/^[A-Za-z_-]{1,40}$/).optional(),
    headers: z.record(z.string().min(1).max(40), z.string().max(1024)).optional(),
    query: z.record(z.string().max(128), z.string().max(1024)).optional(),
    sourceIp: z.union([z.ipv4(), z.ipv6()]).optional(),
    /** The listener port the request arrives on; omitted: spread evenly over the load balancer's listeners. */
    port: z.number().int().min(1).max(65535).optional(),
    share: z.number().gt(0).max(1),
  })
  .strict();

/**
 * A load balancer's request mix. Shares add up to at most 1; the rest are requests no rule condition can
 * match (no host, no path), which take the default rule, as all requests did before mixes existed.
 * @example [{ "host": "www.example.com", "path": "/api/orders", "share": 0.3 }, { "path": "/static/logo.png", "share": 0.5 }]
 */
export const RequestMixSchema = z
  .array(RequestKindSchema)
  .max(100)
  .refine((mix) => mix.reduce((sum, k) => sum + k.share, 0) <= 1 + 1e-9, 'the shares add up to more than 1');

/** One kind of request. */
export type RequestKind = z.infer<typeof RequestKindSchema>;

/** A request kind ready to route: the request, its share, and where it comes in. */
export interface WeightedRequest {
  readonly request: SimRequest;
  readonly share: number;
  readonly port?: number;
  /** Index in the configured mix; undefined for the remainder. */
  readonly entry?: number;
}

/** The mix as weighted requests, with the remainder (if any) as a request that carries nothing rules match on. */
export function expandMix(mix: readonly RequestKind[] | undefined): WeightedRequest[] {
  const kinds = mix ?? [];
  const out: WeightedRequest[] = kinds.map((k, entry) => {
    const { share, port, ...request } = k;
    return { request, share, entry, ...(port !== undefined ? { port } : {}) };
  });
  const rest = 1 - kinds.reduce((sum, k) => sum + k.share, 0);
  if (rest > 1e-9) out.push({ request: {}, share: rest });
  return out;
}
