/**
 * One concrete HTTP request as an ALB listener rule sees it: the fields its conditions test. Header
 * names are lower case (HTTP header names are case-insensitive); query parameters keep their order.
 *
 * @example
 * { "host": "api.example.com", "path": "/api/orders", "method": "GET", "sourceIp": "192.0.2.10",
 *   "headers": { "x-canary": "true" }, "query": [["version", "2"]] }
 */
export interface HttpRequest {
  readonly host: string;
  /** Starts with `/`; without the query string. */
  readonly path: string;
  readonly method: string;
  /** The client's address as ELB sees it (not X-Forwarded-For). */
  readonly sourceIp: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly query?: readonly (readonly [string, string])[];
}

/** The values a request has where a listener's conditions say nothing. */
export const PLAIN_REQUEST: HttpRequest = { host: 'www.example.com', path: '/', method: 'GET', sourceIp: '192.0.2.10' };
