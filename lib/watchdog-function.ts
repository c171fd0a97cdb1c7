import { Duration, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV, type LogLevel } from '../lambdas/core/config/watchdog-environment';
import { handlerBundleDirectory, type WatchdogHandlerName } from './handler-bundles';
import { acknowledgeWildcards } from './nag-acknowledgements';

export { WATCHDOG_HANDLER_NAMES, type WatchdogHandlerName } from './handler-bundles';

/** The tag naming which handler a function runs (read by `sim/runner` from the synthesized template). */
export const HANDLER_TAG = 'elb-watchdog:handler';

/** Log levels of the handlers' logger (`SILENT` is the local runner's, not a deployed function's). */
export type WatchdogLogLevel = Exclude<LogLevel, 'SILENT'>;

/** Settings every watchdog function shares. */
export interface WatchdogFunctionSettings {
  /**
   * How long the function's logs are kept.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Log level of the handlers (`WATCHDOG_LOG_LEVEL`).
   * @default 'INFO'
   */
  readonly logLevel?: WatchdogLogLevel;
  /**
   * Active X-Ray tracing.
   * @default false
   */
  readonly tracing?: boolean;
  /**
   * Namespace of the handlers' own metrics (`WATCHDOG_METRICS_NAMESPACE`).
   * @default 'ElbWatchdog'
   */
  readonly metricsNamespace?: string;
}

/** Just the shared settings out of a part's props (which carry more than a function takes). */
export function functionSettingsOf(props: WatchdogFunctionSettings): WatchdogFunctionSettings {
  return { logRetention: props.logRetention, logLevel: props.logLevel, tracing: props.tracing, metricsNamespace: props.metricsNamespace };
}

/** Props of one watchdog function. */
export interface WatchdogFunctionProps extends WatchdogFunctionSettings {
  /** Which handler runs: its prebuilt bundle is the function's code. */
  readonly handlerName: WatchdogHandlerName;
  /** The environment from `WatchdogEnvironmentSchema` (the telemetry variables are added here). */
  readonly environment: Record<string, string>;
  /**
   * Timeout of one invocation.
   * @default Duration.seconds(60)
   */
  readonly timeout?: Duration;
  /**
   * Memory; the handlers are I/O bound, but CPU (and thus SDK latency) scales with memory.
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * For functions invoked asynchronously (EventBridge): where events go after the retries are spent.
   * @default - no on-failure destination (synchronous or polled invocation)
   */
  readonly onFailure?: sqs.IQueue;
  /**
   * Environments reserved for this function: at most this many run at once, and other functions can never
   * take them.
   * @default none (the account's unreserved pool)
   */
  readonly reservedConcurrency?: number;
}

/**
 * One of the watchdog's Lambda functions: Node.js 24 on arm64 running the handler's prebuilt bundle (built
 * by `npm run build` and published in the package: a user's `cdk synth` needs neither esbuild nor Docker,
 * and the code deployed is the code the end-to-end tests ran), its own log group with a retention, and its
 * own role whose only baseline permission is writing to that log group (no managed policy).
 */
export class WatchdogFunction extends Construct {
  /** The function. */
  public readonly function: lambda.Function;
  /** Its role: grants go here. */
  public readonly role: iam.Role;
  /** Its log group. */
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: WatchdogFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      // The audit trail lives in DynamoDB; logs expire by retention and are kept after `cdk destroy` for
      // whoever investigates.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `ELB Watchdog ${props.handlerName} (${Stack.of(this).stackName})`,
    });
    // What AWSLambdaBasicExecutionRole grants, on this function's log group only.
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.function = new lambda.Function(this, 'Function', {
      // The bundle with its source map: one minified file with the AWS SDK clients the handler calls inside.
      code: lambda.Code.fromAsset(handlerBundleDirectory(props.handlerName)),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(60),
      role: this.role,
      logGroup: this.logGroup,
      tracing: props.tracing === true ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      ...(props.reservedConcurrency === undefined ? {} : { reservedConcurrentExecutions: props.reservedConcurrency }),
      description: `ELB Watchdog: ${props.handlerName}`,
      environment: {
        ...props.environment,
        [ENV.serviceName]: `elb-watchdog-${props.handlerName}`,
        [ENV.metricsNamespace]: props.metricsNamespace ?? 'ElbWatchdog',
        [ENV.logLevel]: props.logLevel ?? 'INFO',
        // Retries of the SDK clients but ELBv2's (DynamoDB, SNS, KMS, CloudWatch, SQS); ELBv2 clients pace and
        // retry themselves (lambdas/aws/polite-elbv2-client.ts), sized on the account's ELB API buckets.
        AWS_RETRY_MODE: 'adaptive',
        AWS_MAX_ATTEMPTS: '10',
        // Stack traces through the bundled source maps.
        NODE_OPTIONS: '--enable-source-maps',
      },
      ...(props.onFailure === undefined
        ? {}
        : { onFailure: new destinations.SqsDestination(props.onFailure), retryAttempts: 2, maxEventAge: Duration.hours(6) }),
    });
    // Names the handler in the template, for people and for the local runner that plays Lambda.
    Tags.of(this.function).add(HANDLER_TAG, props.handlerName);
    if (props.tracing === true) {
      acknowledgeWildcards(
        this.role,
        new iam.PolicyStatement({ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] }),
        'X-Ray trace segment uploads support no resource-level permissions: AWS requires Resource "*".',
      );
    }
  }
}
