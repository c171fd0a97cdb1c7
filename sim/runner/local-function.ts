import { RunnerStoppedError } from './errors';
import { ExecutionEnvironment, type EnvironmentSpec } from './execution-environment';

/** One function as the runner deploys it. */
export interface LocalFunctionSpec {
  /** Its handler name (`on-change`): how tests and crash specs name it. */
  readonly name: string;
  readonly modulePath: string;
  readonly handlerExport: string;
  /** The function's environment variables, resolved, plus what Lambda adds (region, endpoint). */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly memoryLimitInMB: number;
  /** At most this many environments at once (reserved concurrency); more invocations wait. */
  readonly reservedConcurrency?: number;
  /** Credentials for a new environment: its own access key, registered by the caller as the function's role. */
  readonly credentialsFor: (index: number) => { readonly accessKeyId: string };
}

/** Figures of a function's environments, for measurements and tests. */
export interface LocalFunctionStats {
  readonly name: string;
  readonly invocations: number;
  /** Environments started (cold starts), and how long each took to load the handler module. */
  readonly coldStarts: number;
  readonly initMs: readonly number[];
  /** Environments killed by an injected crash or a timeout. */
  readonly killed: number;
  readonly running: number;
  readonly peakConcurrency: number;
}

/** The account's default concurrency quota: the ceiling of a function without reserved concurrency. */
const ACCOUNT_CONCURRENCY = 1000;

/**
 * A function's execution environments, as Lambda keeps them: an invocation takes a warm idle one, or
 * starts a new one (cold start) while the function is under its concurrency; otherwise it waits for one
 * to be free (a throttled invocation that the caller retries). A dead environment is never reused.
 */
export class LocalFunction {
  private readonly environments = new Set<ExecutionEnvironment>();
  /** Environments taken by an invocation (from acquiring to its end): never handed out twice. */
  private readonly leased = new Set<ExecutionEnvironment>();
  private readonly waiting: (() => void)[] = [];
  private starting = 0;
  /** Environments `warm()` is starting: a first invocation waits for one rather than starting another. */
  private readonly warming = new Set<Promise<ExecutionEnvironment>>();
  private index = 0;
  private stopped = false;
  private counts = { invocations: 0, coldStarts: 0, killed: 0, peakConcurrency: 0 };
  private readonly initMs: number[] = [];

  constructor(readonly spec: LocalFunctionSpec) {}

  /** Invokes the function once, in a warm environment or a new one. */
  async invoke(event: unknown): Promise<unknown> {
    const environment = await this.acquire();
    this.counts.invocations++;
    try {
      return await environment.invoke(event);
    } finally {
      this.leased.delete(environment);
      if (environment.dead) {
        this.environments.delete(environment);
        if (!this.stopped) this.counts.killed++;
      }
      this.wakeOne();
    }
  }

  /**
   * Starts environments ahead of the first invocations until `count` exist (as provisioned concurrency of
   * `count` would), so cold starts on this machine do not count in the first events' latency.
   */
  warm(count = 1): Promise<void> {
    const starts: Promise<ExecutionEnvironment>[] = [];
    for (let n = this.environments.size + this.starting; n < Math.min(count, this.limit); n++) {
      const warming: Promise<ExecutionEnvironment> = this.startEnvironment().finally(() => {
        this.warming.delete(warming);
        this.wakeOne();
      });
      this.warming.add(warming);
      starts.push(warming);
    }
    return Promise.all(starts).then(() => undefined);
  }

  /** The environment whose calls carry this access key. */
  environmentByKey(accessKeyId: string | undefined): ExecutionEnvironment | undefined {
    return [...this.environments].find((environment) => environment.spec.accessKeyId === accessKeyId);
  }

  /**
   * Stops every environment; invocations under way fail at once. The threads finish tearing down on
   * their own (they never keep the process alive): waiting for it would only delay a stopping stand-in.
   */
  stop(): void {
    this.stopped = true;
    for (const environment of this.environments) void environment.kill(new RunnerStoppedError(`${environment.id} stopped with the runner`, this.spec.name));
    this.environments.clear();
    this.leased.clear();
    for (const wake of this.waiting.splice(0)) wake();
  }

  /** Figures so far. */
  stats(): LocalFunctionStats {
    return { name: this.spec.name, ...this.counts, initMs: [...this.initMs], running: this.environments.size };
  }

  private get limit(): number {
    return this.spec.reservedConcurrency ?? ACCOUNT_CONCURRENCY;
  }

  private async acquire(): Promise<ExecutionEnvironment> {
    for (;;) {
      if (this.stopped) throw new RunnerStoppedError(`${this.spec.name} is stopped`, this.spec.name);
      // An environment that died between invocations (it exited) frees its place.
      for (const environment of this.environments) if (environment.dead && !this.leased.has(environment)) this.environments.delete(environment);
      const warm = [...this.environments].reverse().find((environment) => environment.idle && !this.leased.has(environment));
      if (warm !== undefined) return this.lease(warm);
      if (this.warming.size > 0) {
        await Promise.race([...this.warming].map((warming) => warming.catch(() => undefined)));
        continue;
      }
      if (this.environments.size + this.starting < this.limit) return this.lease(await this.startEnvironment());
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private async startEnvironment(): Promise<ExecutionEnvironment> {
    const index = ++this.index;
    const { accessKeyId } = this.spec.credentialsFor(index);
    const spec: EnvironmentSpec = {
      functionName: this.spec.name,
      index,
      modulePath: this.spec.modulePath,
      handlerExport: this.spec.handlerExport,
      env: { ...this.spec.env, AWS_ACCESS_KEY_ID: accessKeyId },
      accessKeyId,
      timeoutMs: this.spec.timeoutMs,
      memoryLimitInMB: this.spec.memoryLimitInMB,
    };
    this.starting++;
    try {
      const environment = await ExecutionEnvironment.start(spec);
      if (this.stopped) {
        await environment.kill(new RunnerStoppedError(`${environment.id} stopped with the runner`, this.spec.name));
        throw new RunnerStoppedError(`${this.spec.name} is stopped`, this.spec.name);
      }
      this.counts.coldStarts++;
      this.initMs.push(environment.initMs);
      this.environments.add(environment);
      return environment;
    } finally {
      this.starting--;
    }
  }

  private lease(environment: ExecutionEnvironment): ExecutionEnvironment {
    this.leased.add(environment);
    this.counts.peakConcurrency = Math.max(this.counts.peakConcurrency, this.leased.size);
    return environment;
  }

  private wakeOne(): void {
    this.waiting.shift()?.();
  }
}
