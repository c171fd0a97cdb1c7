import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forward } from './forwarder';
import { handleAwsRequest, MAX_BODY_BYTES, type PipelineDeps } from './call-pipeline';
import type { SimRouter } from './sim-router';

/** Options for {@link startFront}. */
export interface FrontOptions extends PipelineDeps {
  /** Port on 127.0.0.1; 0 picks a free one. */
  readonly port: number;
  readonly router: SimRouter;
  /** Called when something reaches moto outside the pipeline (`/moto-api/*`), e.g. to drop caches. */
  readonly onBackendBypass?: () => void;
}

/** The running front. */
export interface Front {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

// Past this, a body is not even read to the end: the socket is dropped after the error answer.
const DISCARD_LIMIT = 16 * MAX_BODY_BYTES;

/** Starts the one HTTP endpoint every client uses: `/_sim/*` routes, and AWS calls forwarded to the backend. */
export async function startFront(options: FrontOptions): Promise<Front> {
  const server = createServer((req, res) => {
    void serve(options, req, res).catch((error: unknown) => {
      process.emitWarning(`stand-in front: ${String(error)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'InternalError' }));
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, port, close: () => closeServer(server) };
}

async function serve(options: FrontOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { body, tooLarge } = await readBody(req);
  const path = req.url ?? '/';
  if (path.startsWith('/_sim')) {
    const answer = await options.router.handle(req.method ?? 'GET', new URL(path, 'http://front.invalid'), body);
    send(res, answer.status, { 'content-type': 'application/json' }, Buffer.from(JSON.stringify(answer.json)), tooLarge);
    return;
  }
  if (path.startsWith('/moto-api/')) {
    options.onBackendBypass?.();
    const answer = await forward(options.backendUrl(), { method: req.method ?? 'GET', path, headers: req.headers, body });
    send(res, answer.status, answer.headers, answer.body, false);
    return;
  }
  const answer = await handleAwsRequest(options, req, body, tooLarge);
  send(res, answer.status, answer.headers, answer.body, tooLarge);
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer, close: boolean): void {
  res.writeHead(status, { ...headers, 'content-length': String(body.length), ...(close ? { connection: 'close' } : {}) });
  res.end(body);
}

/** Reads the body up to the limit; beyond it keeps draining (so the client sees the answer), then gives up. */
function readBody(req: IncomingMessage): Promise<{ body: Buffer; tooLarge: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      const tooLarge = size > MAX_BODY_BYTES;
      resolve({ body: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge });
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (size > DISCARD_LIMIT) {
        req.pause();
        finish();
      }
    });
    req.on('end', finish);
    req.on('error', finish);
    req.on('close', finish);
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    // Long polls (SQS ReceiveMessage) would hold close() open: cut them after a grace period.
    setTimeout(() => server.closeAllConnections(), 500).unref();
  });
}
