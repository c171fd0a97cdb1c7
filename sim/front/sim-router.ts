import * as z from 'zod';

/** One introspection or control route under `/_sim/`. */
export interface SimRoute<B = unknown> {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Path after the host, e.g. `/_sim/faults`. */
  readonly path: string;
  /** The JSON body's schema; routes without one ignore the body. */
  readonly body?: z.ZodType<B>;
  handle(input: { readonly body: B; readonly query: URLSearchParams }): unknown;
}

/** Declares a route with its body type inferred from the schema. */
export function simRoute<B>(route: SimRoute<B>): SimRoute<unknown> {
  return route as SimRoute<unknown>;
}

/** A JSON answer of the sim router. */
export interface SimAnswer {
  readonly status: number;
  readonly json: unknown;
}

/** Dispatches `/_sim/*` requests, validating every body; errors come back as `{error, message}` JSON. */
export class SimRouter {
  private readonly routes: SimRoute[] = [];

  /** Adds routes (later features extend the stand-in this way). */
  add(...routes: SimRoute[]): this {
    this.routes.push(...routes);
    return this;
  }

  /** Every route, for `GET /_sim` (a self-description). */
  list(): { method: string; path: string }[] {
    return this.routes.map(({ method, path }) => ({ method, path }));
  }

  /** Handles one request. */
  async handle(method: string, url: URL, rawBody: Buffer): Promise<SimAnswer> {
    const onPath = this.routes.filter((r) => r.path === url.pathname.replace(/\/$/, ''));
    if (onPath.length === 0) return { status: 404, json: { error: 'NotFound', message: `no route ${url.pathname}` } };
    const route = onPath.find((r) => r.method === method);
    if (!route) return { status: 405, json: { error: 'MethodNotAllowed', message: `${method} ${url.pathname}: use ${onPath.map((r) => r.method).join(', ')}` } };
    let body: unknown = undefined;
    if (route.body) {
      let parsed: unknown;
      try {
        const text = rawBody.toString('utf8').trim();
        parsed = text === '' ? {} : JSON.parse(text);
      } catch {
        return { status: 400, json: { error: 'MalformedJson', message: 'the body is not JSON' } };
      }
      const result = route.body.safeParse(parsed);
      if (!result.success) {
        const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        const first = issues[0];
        return { status: 400, json: { error: 'ValidationError', message: first ? `${first.path || 'body'}: ${first.message}` : 'invalid body', issues } };
      }
      body = result.data;
    }
    try {
      return { status: 200, json: (await route.handle({ body, query: url.searchParams })) ?? {} };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { status: 500, json: { error: 'InternalError', message } };
    }
  }
}
