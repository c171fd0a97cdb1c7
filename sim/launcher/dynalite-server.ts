import type { Server, ServerResponse } from 'node:http';

/** DynamoDB for the stand-in: dynalite in this process (moto's DynamoDB is not used). */
export interface DynamoServer {
  /** Current endpoint; changes on reset, so callers read it per request. */
  readonly url: string;
  /** Drops every table by replacing the in-memory store. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

type DynaliteFactory = (options: Record<string, unknown>) => Server;

/** Options for {@link startDynalite}. */
export interface DynaliteOptions {
  /** How long tables stay CREATING/DELETING/UPDATING; AWS takes seconds, tests want speed. @default 50 */
  readonly tableStateMs?: number;
}

/** How long a closing server waits for requests under way before cutting their connections. */
const DRAIN_MS = 5_000;

/** Starts dynalite on a free loopback port. */
export async function startDynalite(options: DynaliteOptions = {}): Promise<DynamoServer> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dynalite = require('dynalite') as DynaliteFactory;
  const ms = options.tableStateMs ?? 50;
  const open = async (): Promise<{ server: Server; url: string }> => {
    const server = dynalite({ createTableMs: ms, deleteTableMs: ms, updateTableMs: ms });
    track(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return { server, url: `http://127.0.0.1:${port}` };
  };
  // A request in flight when the server closes would meet a closed database (dynalite closes its store with
  // the server) and fail outside any caller: let requests under way finish, then close their connections.
  const track = (server: Server): void => {
    server.on('request', (_request, response: ServerResponse) => {
      // Once closing, a connection whose request has finished closes too.
      response.once('close', () => {
        if (!server.listening) setImmediate(() => server.closeIdleConnections());
      });
    });
  };
  const close = (server: Server): Promise<void> =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      // A client that keeps a request open forever must not keep the stand-in from stopping.
      setTimeout(() => server.closeAllConnections(), DRAIN_MS).unref();
    });
  let current = await open();
  return {
    get url() {
      return current.url;
    },
    async reset() {
      const old = current;
      current = await open();
      await close(old.server);
    },
    stop: () => close(current.server),
  };
}
