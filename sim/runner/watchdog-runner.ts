import { randomUUID } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { ElbWatchdogProps } from '../../lib/elb-watchdog';
import { HANDLER_TAG } from '../../lib/watchdog-function';
import { ENV } from '../../lambdas/core/config/watchdog-environment';
import { createRuntime, type WatchdogRuntime } from '../../lambdas/handlers/watchdog-runtime';
import type { StandIn, Watcher } from '../launcher/stand-in';
import { asyncInvocation } from './async-invocation';
import { deployTemplate, type DeployedResources } from './deploy-template';
import { HANDLER_FACTORIES, type InvocableHandler } from './handler-registry';
import { SqsEventSource, type SqsEventSourceOptions } from './sqs-event-source';
import { synthWatchdogTemplate } from './synth-watchdog';
import { readTemplate, type TemplateModel } from './template-model';

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
  /** Powertools log level of the handlers. @default 'SILENT' */
  readonly logLevel?: string;
  /** Scheduled functions to run once at start, as the first schedule after a deployment would. @default ['audit', 'sync-alarms'] */
  readonly initialRuns?: readonly string[];
  /**
   * SDK settings for the functions over what the template gives them, e.g. `{ AWS_MAX_ATTEMPTS: '2' }`
   * so a test of an unavailable service fails fast.
   */
  readonly sdkEnvironment?: Readonly<Record<string, string>>;
  /** Told about errors of the pollers and failed invocations. */
  readonly onError?: (error: Error, where: string) => void;
}

/** The access key the watchdog's functions use; the stand-in records it as the judge's role. */
export const WATCHDOG_ACCESS_KEY = 'elb-watchdog';

/**
 * Plays the Lambda service for the watchdog on the stand-in: deploys what the construct's template
 * declares (queues, table, topic, rules), builds each function from its handler and its resolved
 * environment, polls SQS event sources and the rules' invocation queues as Lambda would, and runs
 * scheduled functions on demand. SDK clients inside the handlers get default configuration; the runner,
 * like Lambda, provides the environment (`AWS_ENDPOINT_URL`, credentials of the function's role).
 */
export class WatchdogRunner implements Watcher {
  public readonly name = 'elb-watchdog';
  private model: TemplateModel | undefined;
  private standIn: StandIn | undefined;
  private resources: DeployedResources | undefined;
  private sources: SqsEventSource[] = [];
  private sqs: SQSClient | undefined;
  private readonly handlers = new Map<string, InvocableHandler>();
  private readonly runtimes: WatchdogRuntime[] = [];

  public constructor(private readonly options: WatchdogRunnerOptions = {}) {}

  /** Synthesizes (once) and deploys into the stand-in, then starts polling. */
  public async start(standIn: StandIn): Promise<void> {
    this.standIn = standIn;
    this.model ??= readTemplate(synthWatchdogTemplate(this.options.watchdog ?? {}), HANDLER_TAG);
    await this.deploy();
  }

  /** Stops polling. */
  public async stop(): Promise<void> {
    await Promise.all(this.sources.map((source) => source.stop()));
    this.sources = [];
    this.sqs?.destroy();
    for (const runtime of this.runtimes.splice(0)) runtime.destroy();
    this.handlers.clear();
  }

  /** After the stand-in reset its backend: deploy again. */
  public async reset(): Promise<void> {
    await this.stop();
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

  /** Runs a function with a scheduled event, as its schedule would; returns its result. */
  public async invokeScheduled(handler: string): Promise<unknown> {
    const invoke = this.handlers.get(handler);
    if (invoke === undefined) throw new Error(`no function runs handler ${handler}`);
    const standIn = this.standIn as StandIn;
    return invoke({
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: standIn.accountId,
      time: new Date().toISOString(),
      region: standIn.region,
      resources: [],
      detail: {},
    } as never);
  }

  private async deploy(): Promise<void> {
    const standIn = this.standIn as StandIn;
    const model = this.model as TemplateModel;
    this.resources = await deployTemplate(model, { endpoint: standIn.url, region: standIn.region, accountId: standIn.accountId });
    standIn.identities.register({ accessKeyId: WATCHDOG_ACCESS_KEY, type: 'AssumedRole', roleName: this.ownRoleName, sessionName: 'elb-watchdog' });
    // What Lambda gives every function: where AWS is (the stand-in) and the role's credentials.
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: standIn.url,
      AWS_REGION: standIn.region,
      AWS_ACCESS_KEY_ID: WATCHDOG_ACCESS_KEY,
      AWS_SECRET_ACCESS_KEY: 'local',
      POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    });
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    for (const fn of model.functions) {
      const environment: Record<string, string> = {};
      for (const [name, value] of Object.entries(fn.environment)) environment[name] = this.deployed.resolve(value);
      // The SDK reads its settings (retries) from the process environment; every function has the same.
      for (const [name, value] of Object.entries(environment)) if (name.startsWith('AWS_')) process.env[name] = value;
      Object.assign(process.env, this.options.sdkEnvironment);
      environment.POWERTOOLS_LOG_LEVEL = this.options.logLevel ?? 'SILENT';
      let runtime: WatchdogRuntime | undefined;
      const factory = HANDLER_FACTORIES[fn.handler];
      if (factory === undefined) throw new Error(`function ${fn.logicalId} runs unknown handler ${fn.handler}`);
      this.handlers.set(
        fn.handler,
        factory(() => {
          if (runtime === undefined) this.runtimes.push((runtime = createRuntime(environment)));
          return runtime;
        }),
      );
    }
    this.startPolling(model, standIn);
    for (const name of this.options.initialRuns ?? ['audit', 'sync-alarms']) {
      if (this.handlers.has(name)) await this.invokeScheduled(name);
    }
  }

  private startPolling(model: TemplateModel, standIn: StandIn): void {
    const resources = this.deployed;
    this.sqs = new SQSClient({ endpoint: standIn.url, region: standIn.region, credentials: { accessKeyId: 'elb-watchdog-lambda-service', secretAccessKey: 'x' } });
    const handlerOf = (logicalId: string): InvocableHandler => {
      const fn = model.functions.find((f) => f.logicalId === logicalId);
      const handler = fn === undefined ? undefined : this.handlers.get(fn.handler);
      if (handler === undefined) throw new Error(`no handler for function ${logicalId}`);
      return handler;
    };
    const sqs = this.sqs;
    const poll = (queue: { url: string; arn: string }, where: string, options: { batchSize: number; retryDelaySeconds?: number; invoke: SqsEventSourceOptions['invoke'] }) =>
      this.sources.push(
        new SqsEventSource({ sqs, queueUrl: queue.url, queueArn: queue.arn, region: standIn.region, ...options, onError: (error) => this.options.onError?.(error, where) }),
      );
    for (const mapping of model.eventSources) {
      const queue = resources.queues.get(mapping.queueLogicalId);
      if (queue === undefined) continue;
      const handler = handlerOf(mapping.functionLogicalId);
      poll(queue, mapping.queueLogicalId, {
        batchSize: mapping.batchSize,
        retryDelaySeconds: this.options.retryDelaySeconds ?? 1,
        invoke: async (event) => (await handler(event as never)) as never,
      });
    }
    for (const [functionLogicalId, queue] of resources.invocationQueues) {
      const config = model.invokeConfigs.get(functionLogicalId);
      const deadLetter = config?.onFailureQueue === undefined ? undefined : resources.queues.get(config.onFailureQueue);
      poll(queue, functionLogicalId, {
        batchSize: 10,
        invoke: asyncInvocation(handlerOf(functionLogicalId) as (event: unknown) => Promise<unknown>, {
          retries: config?.retries ?? 2,
          deadLetter: deadLetter === undefined ? undefined : { sqs, queueUrl: deadLetter.url },
          onFailure: (error) => this.options.onError?.(error, functionLogicalId),
        }),
      });
    }
    for (const source of this.sources) source.start();
  }
}
