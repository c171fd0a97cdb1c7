import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import type { WireAnswer } from './codec';

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

// Hop-by-hop headers are the connection's business, not the message's.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'content-length']);

/** The parts of an incoming request the forwarder replays. */
export interface ForwardRequest {
  readonly method: string;
  /** Path and query string, as received. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/**
 * Replays a request on the backend and buffers its answer. The Host header is kept, so URLs the backend
 * builds from it (SQS queue URLs) point back at the front, as clients expect.
 */
export function forward(baseUrl: string, req: ForwardRequest, timeoutMs = 120_000): Promise<WireAnswer> {
  const target = new URL(req.path, baseUrl);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
  }
  headers['content-length'] = String(req.body.length);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { hostname: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers, agent },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () => {
          const out: Record<string, string> = {};
          for (const [name, value] of Object.entries(incoming.headers)) {
            if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({ status: incoming.statusCode ?? 502, headers: out, body: Buffer.concat(chunks) });
        });
      },
    );
    outgoing.setTimeout(timeoutMs, () => outgoing.destroy(new Error(`backend did not answer within ${timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}
