import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { KMSClient } from '@aws-sdk/client-kms';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { CloudWatchAlarmStore } from '../aws/cloudwatch-alarm-store';
import { DynamoDbStateStore } from '../aws/dynamodb-state-store';
import { Elbv2PlanApplier } from '../aws/elbv2-plan-applier';
import { Elbv2SnapshotReader } from '../aws/elbv2-snapshot-reader';
import { KmsBaselineMac } from '../aws/kms-baseline-mac';
import { SnsNotifier } from '../aws/sns-notifier';
import { memberRoleArn } from '../core/config/member-role';
import { ENV, WatchdogEnvironmentSchema, type WatchdogEnvironment } from '../core/config/watchdog-environment';
import { InputValidationError } from '../core/errors';
import { DEFAULT_POLICY } from '../core/policy/default-policy';
import type { Policy } from '../core/policy/policy-schema';
import { validatePolicy } from '../core/policy/validate-policy';

/** Everything a handler uses, built once per Lambda container from its environment. */
export interface WatchdogRuntime {
  readonly env: WatchdogEnvironment;
  readonly policy: Policy;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly sqs: SQSClient;
  readonly reader: Elbv2SnapshotReader;
  readonly applier: Elbv2PlanApplier;
  readonly store: DynamoDbStateStore;
  readonly notifier: SnsNotifier;
  readonly alarms: CloudWatchAlarmStore;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly now: () => Date;
  /**
   * The reader and applier for a change in `accountId`: its own clients, or (multi-account) clients with
   * the member account's revert role, assumed on first use and cached per account.
   */
  elbv2For(accountId: string, region: string): { readonly reader: Elbv2SnapshotReader; readonly applier: Elbv2PlanApplier };
  /** Closes every client's connections (Lambda never needs it; a local runner or a CLI does). */
  destroy(): void;
}

function parseEnvironment(environment: NodeJS.ProcessEnv): WatchdogEnvironment {
  const parsed = WatchdogEnvironmentSchema.safeParse(environment);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputValidationError(`environment ${issue.path.join('.')}: ${issue.message}`, { field: issue.path.join('.'), input: 'environment' });
  }
  return parsed.data;
}

/**
 * Builds the adapters from the environment. SDK clients get default configuration, so the standard
 * variables configure them: `AWS_ENDPOINT_URL[_<SERVICE>]` redirects them (the local stand-in uses exactly
 * that) and `AWS_RETRY_MODE` / `AWS_MAX_ATTEMPTS` set retries (the construct sets adaptive retries with
 * 10 attempts: ELBv2's Describe* bucket is shared with the whole account).
 */
export function createRuntime(environment: NodeJS.ProcessEnv = process.env): WatchdogRuntime {
  const env = parseEnvironment(environment);
  const policyText = env[ENV.policy];
  const policy = policyText === undefined || policyText === '' ? DEFAULT_POLICY : validatePolicy(JSON.parse(policyText));
  const elbv2 = new ElasticLoadBalancingV2Client({});
  const sqs = new SQSClient({});
  const dynamodb = new DynamoDBClient({});
  const sns = new SNSClient({});
  const cloudwatch = new CloudWatchClient({});
  const kms = new KMSClient({});
  const now = () => new Date();
  const own = { reader: new Elbv2SnapshotReader(elbv2, now), applier: new Elbv2PlanApplier(elbv2) };
  const members = new Map<string, { client: ElasticLoadBalancingV2Client; reader: Elbv2SnapshotReader; applier: Elbv2PlanApplier }>();
  const elbv2For = (accountId: string, region: string) => {
    const roleArn = memberRoleArn(accountId, region, { ownAccountId: env[ENV.accountId], memberRoleName: env[ENV.memberRoleName] });
    if (roleArn === undefined) return own;
    let member = members.get(roleArn);
    if (member === undefined) {
      const client = new ElasticLoadBalancingV2Client({
        region,
        credentials: fromTemporaryCredentials({ params: { RoleArn: roleArn, RoleSessionName: 'elb-watchdog' }, clientConfig: { region } }),
      });
      member = { client, reader: new Elbv2SnapshotReader(client, now), applier: new Elbv2PlanApplier(client) };
      members.set(roleArn, member);
    }
    return member;
  };
  return {
    env,
    policy,
    elbv2,
    sqs,
    reader: own.reader,
    applier: own.applier,
    store: new DynamoDbStateStore(dynamodb, env[ENV.tableName], now, new KmsBaselineMac(kms, env[ENV.baselineKeyArn])),
    notifier: new SnsNotifier(sns, env[ENV.topicArn]),
    alarms: new CloudWatchAlarmStore(cloudwatch),
    // POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE (set per function by the construct) win.
    logger: new Logger({ serviceName: environment.POWERTOOLS_SERVICE_NAME ?? 'elb-watchdog', logLevel: environment.POWERTOOLS_LOG_LEVEL as 'INFO' | undefined }),
    metrics: new Metrics({ namespace: environment.POWERTOOLS_METRICS_NAMESPACE ?? 'ElbWatchdog', serviceName: environment.POWERTOOLS_SERVICE_NAME ?? 'elb-watchdog' }),
    now,
    elbv2For,
    destroy: () => [elbv2, sqs, dynamodb, sns, cloudwatch, kms, ...[...members.values()].map((m) => m.client)].forEach((client) => client.destroy()),
  };
}

/** One runtime per container, built on first use so that whoever loads the module can set the environment first. */
export function lazyRuntime(): () => WatchdogRuntime {
  let runtime: WatchdogRuntime | undefined;
  return () => (runtime ??= createRuntime(process.env));
}
