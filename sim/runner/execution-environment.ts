import { randomUUID } from 'node:crypto';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { InvokeMessage, WorkerMessage } from './environment-worker';
import { EnvironmentFailedError, FunctionError, FunctionTimeoutError, InvocationError } from './errors';

/** What one execution environment runs, and as whom. */
export interface EnvironmentSpec {
  /** The function (its handler name), for errors and records. */
  readonly functionName: string;
  /** Which environment of the function this is (1, 2, ...). */
  readonly index: number;
  /** The handler module (`handlerModule()`) and its export Lambda calls. */
  readonly modulePath: string;
  readonly handlerExport: string;
  /** The whole `process.env` of the environment: the function's variables, region, endpoint, credentials. */
  readonly env: Readonly<Record<string, string>>;
  /** The access key in `env`: how the stand-in's front tells this environment's calls apart. */
  readonly accessKeyId: string;
  readonly timeoutMs: number;
  readonly memoryLimitInMB: number;
}

/** Where the worker's code is, and whether the TypeScript loader must come first (running from sources). */
const WORKER_FILE = join(__dirname, `environment-worker${extname(__filename)}`);
const TS_LOADER = extname(__filename) === '.ts' ? require.resolve('tsx/cjs/api') : undefined;
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
if (workerData.tsLoader) require(workerData.tsLoader).register();
require(workerData.workerFile);
`;

type State = 'idle' | 'busy' | 'dead';

/**
 * One Lambda execution environment: a worker thread with its own module state and `process.env`, started
 * on first need (the cold start, measured in `initMs`), reused for one invocation at a time while warm,
 * and killed (`worker.terminate()`) by a crash or a timeout, after which nothing more of it runs. Killing
 * it closes its connections, so a call it had in flight is never answered.
 */
export class ExecutionEnvironment {
  /** `on-change#2`. */
  readonly id: string;
  /** Milliseconds from starting the thread to the handler module loaded. */
  readonly initMs: number;
  private state: State = 'idle';
  private current: { id: number; requestId: string; resolve: (value: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout } | undefined;
  private sequence = 0;
  private deathCause: Error | undefined;

  private constructor(
    readonly spec: EnvironmentSpec,
    private readonly worker: Worker,
    initMs: number,
  ) {
    this.id = `${spec.functionName}#${spec.index}`;
    this.initMs = initMs;
    worker.on('message', (message: WorkerMessage) => this.onMessage(message));
    worker.on('error', (error) => this.die(new EnvironmentFailedError(`${this.id} failed: ${error.message}`, spec.functionName, { cause: error })));
    worker.on('exit', (code) => this.die(new EnvironmentFailedError(`${this.id} exited with code ${code}`, spec.functionName)));
  }

  /** Starts an environment and loads the handler module (the init phase). */
  static async start(spec: EnvironmentSpec): Promise<ExecutionEnvironment> {
    const started = performance.now();
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      env: { ...spec.env },
      workerData: {
        tsLoader: TS_LOADER,
        workerFile: WORKER_FILE,
        modulePath: spec.modulePath,
        handlerExport: spec.handlerExport,
        functionName: spec.functionName,
        memoryLimitInMB: spec.memoryLimitInMB,
      },
    });
    const ready = await new Promise<WorkerMessage | Error>((resolve) => {
      const onExit = (code: number) => done(new Error(`exited with code ${code} during init`));
      const done = (outcome: WorkerMessage | Error) => {
        // Only our own listeners: the Worker keeps internal ones that start and stop its message port.
        worker.off('message', done).off('error', done).off('exit', onExit);
        resolve(outcome);
      };
      worker.on('message', done).on('error', done).on('exit', onExit);
    });
    if (ready instanceof Error || ready.type !== 'ready') {
      await worker.terminate();
      const why = ready instanceof Error ? ready.message : ready.type === 'init-error' ? `${ready.error.errorType}: ${ready.error.errorMessage}` : 'no ready message';
      throw new EnvironmentFailedError(`${spec.functionName}#${spec.index} could not load ${spec.modulePath}: ${why}`, spec.functionName);
    }
    // An idle environment never keeps the process alive (a stopping runner does not wait for its threads
    // to tear down); one running an invocation does, as anything awaited would.
    worker.unref();
    return new ExecutionEnvironment(spec, worker, performance.now() - started);
  }

  /** True while it can take an invocation. */
  get idle(): boolean {
    return this.state === 'idle';
  }

  /** True once killed or exited. */
  get dead(): boolean {
    return this.state === 'dead';
  }

  /** The Lambda request id of the invocation under way, if any. */
  get invocation(): string | undefined {
    return this.current?.requestId;
  }

  /** Runs one invocation; rejects with an `InvocationError` when the handler throws or the environment dies. */
  invoke(event: unknown): Promise<unknown> {
    if (this.state !== 'idle') return Promise.reject(new InvocationError(`${this.id} is ${this.state}`, this.spec.functionName));
    this.state = 'busy';
    const id = ++this.sequence;
    const requestId = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        void this.kill(new FunctionTimeoutError(`${this.id}: Task timed out after ${(this.spec.timeoutMs / 1000).toFixed(2)} seconds`, this.spec.functionName));
      }, this.spec.timeoutMs);
      timer.unref();
      this.current = { id, requestId, resolve, reject, timer };
      this.worker.ref();
      const message: InvokeMessage = { type: 'invoke', id, event, deadline: Date.now() + this.spec.timeoutMs, requestId };
      this.worker.postMessage(message);
    });
  }

  /** Kills the environment: the thread stops where it is; the invocation under way fails with `cause`. */
  async kill(cause: Error): Promise<void> {
    this.die(cause);
    await this.worker.terminate();
  }

  private onMessage(message: WorkerMessage): void {
    const current = this.current;
    if (message.type !== 'result' || current === undefined || message.id !== current.id) return;
    clearTimeout(current.timer);
    this.current = undefined;
    this.state = 'idle';
    this.worker.unref();
    if (message.ok) current.resolve(message.value);
    else current.reject(new FunctionError(this.spec.functionName, message.error.errorType, message.error.errorMessage, message.error.trace));
  }

  private die(cause: Error): void {
    if (this.state === 'dead') return;
    this.state = 'dead';
    this.deathCause = cause;
    const current = this.current;
    this.current = undefined;
    this.worker.unref();
    if (current !== undefined) {
      clearTimeout(current.timer);
      current.reject(cause);
    }
  }

  /** Why it died, once dead. */
  get cause(): Error | undefined {
    return this.deathCause;
  }
}
