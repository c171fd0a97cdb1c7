import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { CloudWatchAlarmStore } from '../aws/cloudwatch-alarm-store';
import { CloudWatchMetricsReader } from '../aws/cloudwatch-metrics-reader';
import { DynamoDbStateStore } from '../aws/dynamodb-state-store';
import { KmsBaselineMac } from '../aws/kms-baseline-mac';
import { Elbv2PlanApplier } from '../aws/elbv2-plan-applier';
import { Elbv2SnapshotReader } from '../aws/elbv2-snapshot-reader';
import { elbv2RetriesFrom, politeElbv2Client } from '../aws/polite-elbv2-client';
import { SnsNotifier } from '../aws/sns-notifier';
import { memberRoleArn } from '../core/config/member-role';
import { ENV, WatchdogEnvironmentSchema, type WatchdogEnvironment } from '../core/config/watchdog-environment';
import { InputValidationError } from '../core/errors';
import { DEFAULT_POLICY } from '../core/policy/default-policy';
import type { Policy } from '../core/policy/policy-schema';
import { validatePolicy } from '../core/policy/validate-policy';
import { EmfMetrics } from './telemetry/emf-metrics';
import { StructuredLogger } from './telemetry/structured-logger';

/*
 * The pieces a handler's runtime is made of. Each handler composes only the parts it calls, so its bundle
 * carries only those SDK clients (esbuild drops the imports of the parts a handler does not use: the SDK
 * packages declare no side effects). SDK clients get default configuration, so the standard variables
 * configure them: `AWS_ENDPOINT_URL[_<SERVICE>]` redirects them (the local stand-in uses exactly that)
 * and `AWS_RETRY_MODE` / `AWS_MAX_ATTEMPTS` set retries (the construct sets adaptive retries with 10
 * attempts). ELBv2 clients are the exception: `politeElbv2Client` paces them with a client-side token bucket
 * (a revert's writes first) and retries with jitter sized to ELBv2's buckets, which the whole account shares.
 */

/** Something with connections to close. */
interface Closeable {
  destroy(): void;
}

/** What every handler has: its validated environment and policy, logger, metrics and clock. */
export interface BaseRuntime {
  /** The variables the runtime was built from (Lambda's: `process.env`). */
  readonly environment: Readonly<NodeJS.ProcessEnv>;
  readonly env: WatchdogEnvironment;
  readonly policy: Policy;
  readonly logger: StructuredLogger;
  readonly metrics: EmfMetrics;
  readonly now: () => Date;
  /** Closes every client's connections (Lambda never needs it; a local runner or a CLI does). */
  destroy(): void;
}

/** A base runtime and the clients its parts created, which `destroy` closes. */
interface RuntimeBuilder {
  readonly base: BaseRuntime;
  readonly clients: Closeable[];
}

function parseEnvironment(environment: NodeJS.ProcessEnv): WatchdogEnvironment {
  const parsed = WatchdogEnvironmentSchema.safeParse(environment);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputValidationError(`environment ${issue.path.join('.')}: ${issue.message}`, { field: issue.path.join('.'), input: 'environment' });
  }
  return parsed.data;
}

/** One runtime per container, built on first use so that whoever loads the module can set the environment first. */
export function lazyRuntime<R>(build: () => R): () => R {
  let runtime: R | undefined;
  return () => (runtime ??= build());
}

/** Starts a runtime from the environment; add parts with the functions below. */
export function runtimeBuilder(environment: NodeJS.ProcessEnv): RuntimeBuilder {
  const env = parseEnvironment(environment);
  const policyText = env[ENV.policy];
  const clients: Closeable[] = [];
  const base: BaseRuntime = {
    environment,
    env,
    policy: policyText === undefined || policyText === '' ? DEFAULT_POLICY : validatePolicy(JSON.parse(policyText)),
    logger: new StructuredLogger({ serviceName: env[ENV.serviceName], logLevel: env[ENV.logLevel], environment }),
    metrics: new EmfMetrics({ namespace: env[ENV.metricsNamespace], serviceName: env[ENV.serviceName], disabled: env[ENV.metricsDisabled] }),
    now: () => new Date(),
    destroy: () => clients.splice(0).forEach((client) => client.destroy()),
  };
  return { base, clients };
}

/** ELBv2: read and revert, in this account or (multi-account) a member's. */
export interface Elbv2Part {
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly reader: Elbv2SnapshotReader;
  readonly applier: Elbv2PlanApplier;
  /**
   * The reader and applier for a change in `accountId`: its own clients, or (multi-account) clients with
   * the member account's revert role, assumed on first use and cached per account.
   */
  elbv2For(accountId: string, region: string): { readonly reader: Elbv2SnapshotReader; readonly applier: Elbv2PlanApplier };
}

/** The ELBv2 part. */
export function elbv2Part({ base, clients }: RuntimeBuilder): Elbv2Part {
  const politeness = { retries: elbv2RetriesFrom(base.environment) };
  const elbv2 = politeElbv2Client({}, politeness);
  clients.push(elbv2);
  const own = { reader: new Elbv2SnapshotReader(elbv2, base.now), applier: new Elbv2PlanApplier(elbv2) };
  const members = new Map<string, { reader: Elbv2SnapshotReader; applier: Elbv2PlanApplier }>();
  const elbv2For = (accountId: string, region: string) => {
    const roleArn = memberRoleArn(accountId, region, { ownAccountId: base.env[ENV.accountId], memberRoleName: base.env[ENV.memberRoleName] });
    if (roleArn === undefined) return own;
    let member = members.get(roleArn);
    if (member === undefined) {
      const client = politeElbv2Client({
        region,
        credentials: fromTemporaryCredentials({ params: { RoleArn: roleArn, RoleSessionName: 'elb-watchdog' }, clientConfig: { region } }),
      }, politeness);
      clients.push(client);
      member = { reader: new Elbv2SnapshotReader(client, base.now), applier: new Elbv2PlanApplier(client) };
      members.set(roleArn, member);
    }
    return member;
  };
  return { elbv2, reader: own.reader, applier: own.applier, elbv2For };
}

/** DynamoDB: the state table. */
export interface StatePart {
  readonly store: DynamoDbStateStore;
}

/** The state part. */
export function statePart({ base, clients }: RuntimeBuilder): StatePart {
  const dynamodb = new DynamoDBClient({});
  const kms = new KMSClient({});
  clients.push(dynamodb, kms);
  return { store: new DynamoDbStateStore(dynamodb, base.env[ENV.tableName], base.now, new KmsBaselineMac(kms, base.env[ENV.baselineKeyArn])) };
}

/** SNS: the notification topic. */
export interface NotifierPart {
  readonly notifier: SnsNotifier;
}

/** The notifier part. */
export function notifierPart({ base, clients }: RuntimeBuilder): NotifierPart {
  const sns = new SNSClient({});
  clients.push(sns);
  return { notifier: new SnsNotifier(sns, base.env[ENV.topicArn]) };
}

/** SQS: the change queue the router sends to. */
export interface QueuePart {
  readonly sqs: SQSClient;
}

/** The queue part. */
export function queuePart({ clients }: RuntimeBuilder): QueuePart {
  const sqs = new SQSClient({});
  clients.push(sqs);
  return { sqs };
}

/** CloudWatch: the alarms the watchdog keeps. */
export interface AlarmsPart {
  readonly alarms: CloudWatchAlarmStore;
}

/** The alarms part. */
export function alarmsPart({ clients }: RuntimeBuilder): AlarmsPart {
  const cloudwatch = new CloudWatchClient({});
  clients.push(cloudwatch);
  return { alarms: new CloudWatchAlarmStore(cloudwatch) };
}

/** CloudWatch GetMetricData: the load a change moves and the capacity groups have proven. */
export interface MetricsPart {
  readonly trafficMetrics: CloudWatchMetricsReader;
}

/**
 * The metrics part. Two attempts at most, whatever `AWS_MAX_ATTEMPTS` says: on the hot path a throttled
 * metrics call is not worth waiting for (the verdict falls back to shares and says so).
 */
export function metricsPart({ clients }: RuntimeBuilder): MetricsPart {
  const cloudwatch = new CloudWatchClient({ maxAttempts: 2 });
  clients.push(cloudwatch);
  return { trafficMetrics: new CloudWatchMetricsReader(cloudwatch) };
}
