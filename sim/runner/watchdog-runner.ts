import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { ElbWatchdogProps } from '../../lib/elb-watchdog';
import { HANDLER_TAG } from '../../lib/watchdog-function';
import { ENV, type LogLevel } from '../../lambdas/core/config/watchdog-environment';
import type { StandIn, Watcher } from '../launcher/stand-in';
import { asyncInvocation } from './async-invocation';
import { CrashInjector, type CrashRecord, type CrashRule, type CrashSpec } from './crash-injector';
import { deployTemplate, type DeployedResources } from './deploy-template';
import { RunnerStoppedError } from './errors';
import type { ExecutionEnvironment } from './execution-environment';
import { HANDLER_EXPORT, handlerModule } from './handler-registry';
import { lambdaEnvironment } from './lambda-environment';
import { LocalFunction, type LocalFunctionStats } from './local-function';
import { RuleScheduler, scheduledEvent, type ScheduledEvent, type ScheduledRun } from './rule-scheduler';
import { SqsEventSource, type SqsEventSourceOptions } from './sqs-event-source';
import { synthWatchdogTemplate } from './synth-watchdog';
import { readTemplate, type TemplateFunction, type TemplateModel } from './template-model';

/** Options of the local runner. */
export interface WatchdogRunnerOptions {
  /** The construct's props (mode, policy, scope, ...), as a user would pass them to `ElbWatchdog`. */
  readonly watchdog?: ElbWatchdogProps;
  /**
   * Seconds before a failed change is retried. Lambda waits for the queue's visibility timeout (6 min);
   * locally that would make a redrive to the DLQ take half an hour.
   * @default 1
   */
  readonly retryDelaySeconds?: number;
  /** Log level of the handlers (`WATCHDOG_LOG_LEVEL`). @default 'SILENT' */
  readonly logLevel?: LogLevel;
  /** Scheduled functions to run once at start, as the first schedule after a deployment would. @default ['audit', 'sync-alarms'] */
  readonly initialRuns?: readonly string[];
  /**
   * Functions whose execution environments start at deployment instead of at their first invocations: as
   * many as the function's reserved concurrency (on-change's 2), else one, as provisioned concurrency would.
   * A cold start here (a worker thread loading the handler bundle) takes several times what it takes in
   * Lambda, more on a busy host, and the change path's latency is what the tests and benches measure.
   * @default ['route-change', 'on-change']
   */
  readonly prewarm?: readonly string[];
  /**
   * Run the template's scheduled rules (audit, alarm sync) when the stand-in's sim clock passes their
   * times, as EventBridge would.
   * @default true
   */
  readonly schedules?: boolean;
  /**
   * SDK settings for the functions over what the template gives them, e.g. `{ AWS_MAX_ATTEMPTS: '2' }`
   * so a test of an unavailable service fails fast.
   */
  readonly sdkEnvironment?: Readonly<Record<string, string>>;
  /** Told about errors of the pollers and failed invocations. */
  readonly onError?: (error: Error, where: string) => void;
}

/** The prefix of the access keys of the functions' environments (`elb-watchdog.on-change.2`). */
export const WATCHDOG_ACCESS_KEY = 'elb-watchdog';

/** A deployed rule's ARN (the runner names rules by logical id). */
const ruleArn = (standIn: StandIn, logicalId: string): string => `arn:aws:events:${standIn.region}:${standIn.accountId}:rule/${logicalId}`;

/** Batches of asynchronous invocations (EventBridge targets, schedules) handled at once per function. */
const ASYNC_BATCHES = 10;
/** The most batches one SQS event source mapping handles at once (Lambda's limit per mapping). */
const MAPPING_BATCHES = 1000;

/**
 * Plays the Lambda service for the watchdog on the stand-in: deploys what the construct's template
 * declares (queues, table, topic, rules), runs each function in execution environments (worker threads,
 * one invocation at a time each, reused while warm, each with its own credentials of the function's role),
 * polls SQS event sources with the mapping's batch size and maximum concurrency, invokes the rules'
 * targets asynchronously, fires scheduled rules on the sim clock, and injects crashes on request.
 */
export class WatchdogRunner implements Watcher {
  public readonly name = 'elb-watchdog';
  private model: TemplateModel | undefined;
  private standIn: StandIn | undefined;
  private resources: DeployedResources | undefined;
  private sources: SqsEventSource[] = [];
  private sqs: SQSClient | undefined;
  private readonly functions = new Map<string, LocalFunction>();
  private readonly crashInjector = new CrashInjector();
  private scheduler: RuleScheduler | undefined;
  private detach: (() => void)[] = [];
  private retired: LocalFunctionStats[] = [];

  public constructor(private readonly options: WatchdogRunnerOptions = {}) {}

  /** Synthesizes (once) and deploys into the stand-in, then starts polling. */
  public async start(standIn: StandIn): Promise<void> {
    this.standIn = standIn;
    this.model ??= readTemplate(synthWatchdogTemplate(this.options.watchdog ?? {}), HANDLER_TAG);
    await this.deploy();
  }

  /** Stops polling and every execution environment (invocations under way fail). */
  public async stop(): Promise<void> {
    for (const detach of this.detach.splice(0)) detach();
    for (const source of this.sources) source.halt();
    for (const fn of this.functions.values()) this.retired.push(fn.stats());
    for (const fn of this.functions.values()) fn.stop();
    await Promise.all(this.sources.map((source) => source.stop()));
    this.sources = [];
    this.sqs?.destroy();
    this.functions.clear();
    this.scheduler = undefined;
  }

  /** Before the stand-in empties its backend: nothing may run against the old deployment meanwhile. */
  public async pause(): Promise<void> {
    await this.stop();
  }

  /** After the stand-in reset its backend: a fresh deployment (new environments; crash rules and records cleared). */
  public async reset(): Promise<void> {
    await this.stop();
    this.crashInjector.clear();
    this.retired = [];
    await this.deploy();
  }

  /** The deployed resources (queue URLs, table name, topic ARN, role names). */
  public get deployed(): DeployedResources {
    if (this.resources === undefined) throw new Error('the watchdog runner has not started');
    return this.resources;
  }

  /** The role name the watchdog's ELBv2 calls carry (its "own role"). */
  public get ownRoleName(): string {
    const judge = this.model?.functions.find((f) => f.handler === 'on-change');
    return this.deployed.resolve(judge?.environment[ENV.ownRoleNames] ?? '');
  }

  /** True when no event source is handling a batch. */
  public get idle(): boolean {
    return this.sources.every((source) => !source.busy);
  }

  /** Runs a function with a scheduled event now, as its schedule would, and returns its result. */
  public async invokeScheduled(handler: string): Promise<unknown> {
    const fn = this.functions.get(handler);
    if (fn === undefined) throw new Error(`no function runs handler ${handler}`);
    return fn.invoke(this.scheduledEventNow([]));
  }

  /**
   * Fires a scheduled rule now (the first whose logical id contains `rule`, e.g. `DrainOutbox`), invoking
   * each target function with what EventBridge sends it (the target's constant input, else the scheduled
   * event) and waiting for them: a run whose sim clock stays put plays a schedule in real time with this.
   */
  public async invokeRule(rule: string): Promise<unknown[]> {
    const model = this.model as TemplateModel;
    const found = model.rules.find((r) => r.schedule !== undefined && r.logicalId.includes(rule));
    if (found === undefined) throw new Error(`no scheduled rule ${rule}`);
    const standIn = this.standIn as StandIn;
    const event = this.scheduledEventNow([ruleArn(standIn, found.logicalId)]);
    return Promise.all(
      found.targets.map((target) => {
        const handler = model.functions.find((f) => f.logicalId === target.functionLogicalId)?.handler;
        const fn = handler === undefined ? undefined : this.functions.get(handler);
        if (fn === undefined) throw new Error(`rule ${found.logicalId} targets no function the runner runs`);
        return fn.invoke(target.input ?? event);
      }),
    );
  }

  /** The event a scheduled rule sends, at the sim clock's time. */
  private scheduledEventNow(resources: string[]): ScheduledEvent {
    const standIn = this.standIn as StandIn;
    return scheduledEvent({ account: standIn.accountId, region: standIn.region }, standIn.clock.now(), resources);
  }

  /**
   * Kills the function's execution environment at a call the stand-in sees from it (`before` it reaches
   * AWS, or `after` AWS answered), as a crashed Lambda: nothing after that point runs, the invocation
   * fails (its batch returns to the queue), the next invocation starts a fresh environment.
   * @example runner.crashWhen({ function: 'on-change', service: 'sns', action: 'Publish', phase: 'before' })
   */
  public crashWhen(spec: CrashSpec): CrashRule {
    return this.crashInjector.add(spec);
  }

  /** The crashes injected since the last reset, oldest first. */
  public crashes(): CrashRecord[] {
    return this.crashInjector.list();
  }

  /** The scheduled rules fired on the sim clock since the deployment, oldest first. */
  public scheduledRuns(): ScheduledRun[] {
    return this.scheduler?.fired() ?? [];
  }

  /** Per function: invocations, cold starts with their init times, environments killed, peak concurrency. */
  public stats(): LocalFunctionStats[] {
    return [...this.retired, ...[...this.functions.values()].map((fn) => fn.stats())];
  }

  private environmentByKey(accessKeyId: string | undefined): ExecutionEnvironment | undefined {
    for (const fn of this.functions.values()) {
      const environment = fn.environmentByKey(accessKeyId);
      if (environment !== undefined) return environment;
    }
    return undefined;
  }

  private async deploy(): Promise<void> {
    const standIn = this.standIn as StandIn;
    const model = this.model as TemplateModel;
    this.resources = await deployTemplate(model, { endpoint: standIn.url, region: standIn.region, accountId: standIn.accountId });
    for (const fn of model.functions) this.functions.set(fn.handler, this.localFunction(fn, standIn));
    this.detach.push(standIn.callHooks.add(this.crashInjector.hook((key) => this.environmentByKey(key))));
    this.startPolling(model, standIn);
    if (this.options.schedules !== false) this.startSchedules(model, standIn);
    // Warm-ups go on in the background (a first invocation waits for its function's); the first scheduled
    // runs after a deployment run side by side, as in AWS.
    for (const name of this.options.prewarm ?? ['route-change', 'on-change']) {
      const fn = this.functions.get(name);
      fn?.warm(fn.spec.reservedConcurrency ?? 1).catch((error: Error) => {
        if (!(error instanceof RunnerStoppedError)) this.options.onError?.(error, name);
      });
    }
    const initialRuns = (this.options.initialRuns ?? ['audit', 'sync-alarms']).filter((name) => this.functions.has(name));
    await Promise.all(initialRuns.map((name) => this.invokeScheduled(name)));
  }

  /** A function as Lambda runs it: its resolved environment, what Lambda adds, and its role's identity. */
  private localFunction(fn: TemplateFunction, standIn: StandIn): LocalFunction {
    const resources = this.deployed;
    const env = lambdaEnvironment(fn, resources, { endpoint: standIn.url, region: standIn.region, logLevel: this.options.logLevel, extra: this.options.sdkEnvironment });
    const roleName = (fn.roleLogicalId === undefined ? undefined : resources.roleNames.get(fn.roleLogicalId)) ?? this.ownRoleName;
    // Lambda's role session is named after the function.
    const sessionName = fn.logicalId.slice(0, 64);
    return new LocalFunction({
      name: fn.handler,
      modulePath: handlerModule(fn.handler),
      handlerExport: HANDLER_EXPORT,
      env,
      timeoutMs: fn.timeoutSeconds * 1000,
      memoryLimitInMB: fn.memorySize,
      reservedConcurrency: fn.reservedConcurrency,
      credentialsFor: (index) => {
        const accessKeyId = `${WATCHDOG_ACCESS_KEY}.${fn.handler}.${index}`;
        standIn.identities.register({ accessKeyId, type: 'AssumedRole', roleName, sessionName });
        return { accessKeyId };
      },
    });
  }

  private functionOf(logicalId: string): LocalFunction {
    const handler = this.model?.functions.find((f) => f.logicalId === logicalId)?.handler;
    const fn = handler === undefined ? undefined : this.functions.get(handler);
    if (fn === undefined) throw new Error(`no function ${logicalId}`);
    return fn;
  }

  private startPolling(model: TemplateModel, standIn: StandIn): void {
    const resources = this.deployed;
    this.sqs = new SQSClient({ endpoint: standIn.url, region: standIn.region, credentials: { accessKeyId: 'elb-watchdog-lambda-service', secretAccessKey: 'x' } });
    const sqs = this.sqs;
    const poll = (queue: { url: string; arn: string }, where: string, options: Pick<SqsEventSourceOptions, 'batchSize' | 'maxConcurrency' | 'maxBatchingWindowSeconds' | 'retryDelaySeconds' | 'invoke'>) =>
      this.sources.push(new SqsEventSource({ sqs, queueUrl: queue.url, queueArn: queue.arn, region: standIn.region, ...options, onError: (error) => this.options.onError?.(error, where) }));
    for (const mapping of model.eventSources) {
      const queue = resources.queues.get(mapping.queueLogicalId);
      if (queue === undefined) continue;
      const fn = this.functionOf(mapping.functionLogicalId);
      poll(queue, mapping.queueLogicalId, {
        batchSize: mapping.batchSize,
        maxConcurrency: mapping.maxConcurrency ?? MAPPING_BATCHES,
        maxBatchingWindowSeconds: mapping.maxBatchingWindowSeconds,
        retryDelaySeconds: this.options.retryDelaySeconds ?? 1,
        // Without ReportBatchItemFailures, Lambda reads nothing from the response: only an error fails the batch.
        invoke: async (event) => {
          const response = await fn.invoke(event);
          return mapping.reportBatchItemFailures ? (response as never) : undefined;
        },
      });
    }
    for (const [functionLogicalId, queue] of resources.invocationQueues) {
      const config = model.invokeConfigs.get(functionLogicalId);
      const deadLetter = config?.onFailureQueue === undefined ? undefined : resources.queues.get(config.onFailureQueue);
      const fn = this.functionOf(functionLogicalId);
      poll(queue, functionLogicalId, {
        batchSize: 10,
        maxConcurrency: ASYNC_BATCHES,
        invoke: asyncInvocation((event) => fn.invoke(event), {
          retries: config?.retries ?? 2,
          deadLetter: deadLetter === undefined ? undefined : { sqs, queueUrl: deadLetter.url },
          onFailure: (error) => this.options.onError?.(error, functionLogicalId),
        }),
      });
    }
    for (const source of this.sources) source.start();
  }

  /** Scheduled rules fire on the sim clock: their events go to the targets' asynchronous invocations. */
  private startSchedules(model: TemplateModel, standIn: StandIn): void {
    const resources = this.deployed;
    const sqs = this.sqs as SQSClient;
    const rules = model.rules
      .filter((rule) => rule.schedule !== undefined && rule.targets.length > 0)
      .map((rule) => ({
        name: rule.logicalId,
        arn: ruleArn(standIn, rule.logicalId),
        expression: rule.schedule as string,
        deliver: async (event: unknown) => {
          for (const target of rule.targets) {
            const queue = resources.invocationQueues.get(target.functionLogicalId);
            // A target with a constant input gets it instead of the event (EventBridge's Target.Input).
            if (queue !== undefined) await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: JSON.stringify(target.input ?? event) }));
          }
        },
      }));
    const scheduler = new RuleScheduler(rules, standIn.clock.now(), { account: standIn.accountId, region: standIn.region });
    this.scheduler = scheduler;
    this.detach.push(standIn.onMinute((minute) => scheduler.onMinute(minute)));
  }
}
