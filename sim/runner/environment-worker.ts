import { parentPort, workerData } from 'node:worker_threads';
import * as z from 'zod';

/**
 * The inside of one execution environment (a worker thread), as Lambda's runtime interface client is
 * the inside of a real one: loads the handler module once (the init phase: module scope, SDK clients
 * built lazily on first use), then runs one invocation at a time and posts its result or error back.
 * Its `process.env` is the function's environment only; killing the thread is killing the environment.
 */

/** What the runner tells the worker at start. */
export const EnvironmentWorkerDataSchema = z.object({
  modulePath: z.string().min(1),
  handlerExport: z.string().min(1),
  functionName: z.string().min(1),
  memoryLimitInMB: z.number().int().positive(),
});

/** An invocation request. */
export interface InvokeMessage {
  readonly type: 'invoke';
  readonly id: number;
  readonly event: unknown;
  /** Wall-clock time (ms since epoch) at which Lambda would stop the invocation. */
  readonly deadline: number;
  readonly requestId: string;
}

/** An error as Lambda reports it (`errorType`, `errorMessage`, `trace`). */
export interface SerializedError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace: readonly string[];
}

/** What the worker posts back. */
export type WorkerMessage =
  | { readonly type: 'ready'; readonly initMs: number }
  | { readonly type: 'init-error'; readonly error: SerializedError }
  | { readonly type: 'result'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly type: 'result'; readonly id: number; readonly ok: false; readonly error: SerializedError };

function serialize(error: unknown): SerializedError {
  const e = error instanceof Error ? error : new Error(String(error));
  return { errorType: e.name, errorMessage: e.message, trace: (e.stack ?? '').split('\n') };
}

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

function main(): void {
  const port = parentPort;
  if (port === null) throw new Error('environment-worker runs only as a worker thread');
  const data = EnvironmentWorkerDataSchema.parse(workerData);
  const started = performance.now();
  let handler: Handler;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module path is known only at run time, as in Lambda.
    const loaded = require(data.modulePath) as Record<string, unknown>;
    const exported = loaded[data.handlerExport];
    if (typeof exported !== 'function') throw new TypeError(`${data.modulePath} exports no function ${data.handlerExport}`);
    handler = exported as Handler;
  } catch (error) {
    port.postMessage({ type: 'init-error', error: serialize(error) } satisfies WorkerMessage);
    return;
  }
  port.postMessage({ type: 'ready', initMs: performance.now() - started } satisfies WorkerMessage);
  port.on('message', (message: InvokeMessage) => {
    const context = {
      awsRequestId: message.requestId,
      functionName: data.functionName,
      functionVersion: '$LATEST',
      memoryLimitInMB: String(data.memoryLimitInMB),
      getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
    };
    void (async () => {
      let reply: WorkerMessage;
      try {
        reply = { type: 'result', id: message.id, ok: true, value: await handler(message.event, context) };
      } catch (error) {
        reply = { type: 'result', id: message.id, ok: false, error: serialize(error) };
      }
      try {
        port.postMessage(reply);
      } catch (error) {
        // A result that cannot be cloned is Lambda's "response is not JSON serializable".
        port.postMessage({ type: 'result', id: message.id, ok: false, error: serialize(error) } satisfies WorkerMessage);
      }
    })();
  });
}

main();
