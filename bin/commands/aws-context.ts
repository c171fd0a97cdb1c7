import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchMetricsReader } from '../../lambdas/aws/cloudwatch-metrics-reader';
import { DescribeTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { paginateListTopics, SNSClient } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { InvalidArgumentError, type Command } from 'commander';
import { callAws } from '../../lambdas/aws/aws-error';
import { DynamoDbStateStore } from '../../lambdas/aws/dynamodb-state-store';
import { SnsNotifier } from '../../lambdas/aws/sns-notifier';
import type { CallerIdentity } from '../../lambdas/core/events/actor';
import { Elbv2SnapshotReader } from '../../lambdas/aws/elbv2-snapshot-reader';
import { ResourceNotFoundError } from '../../lambdas/core/errors';
import { isClassicLoadBalancerArn, loadBalancerArnOf, parseElbArn } from '../../lambdas/core/events/arn';
import { checkProfile, regionToUse } from './aws-settings';
import { UsageError } from './exit-codes';

/** The AWS options every operator command takes. */
export interface AwsOptions {
  readonly region?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
  /** The watchdog's state table; only commands that read or write state offer it. */
  readonly table?: string;
  /** The watchdog's notification topic; only commands that announce something offer it. */
  readonly topic?: string;
}

/** The environment variable that names the state table (the stack's `StateTableName` output). */
export const TABLE_ENV = 'ELB_WATCHDOG_TABLE';
/** The environment variable that names the notification topic (the stack's `TopicArn` output). */
export const TOPIC_ENV = 'ELB_WATCHDOG_TOPIC_ARN';
/** A topic is the watchdog's when its name says so (the construct's `Notifications/Topic`, by CloudFormation or the local runner). */
const TOPIC_NAME = 'NotificationsTopic';

/** A state table is ours when its name says so (the stack and the local runner both name it so) and its key is pk/sk. */
const STATE_TABLE_NAME = 'StateTable';

const ARN_EXAMPLE = 'arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/app/NAME/ID';

/**
 * True for "that resource does not exist". The SDK names ELBv2's not-found errors with an `Exception`
 * suffix (`LoadBalancerNotFoundException`), which the adapters' mapping may leave as an `AwsCallError`.
 */
export function isNotFound(error: unknown): boolean {
  return error instanceof ResourceNotFoundError;
}

/** Commander parser for one ELBv2 load balancer ARN. */
export function loadBalancerArn(value: string): string {
  if (isClassicLoadBalancerArn(value)) throw new InvalidArgumentError('a Classic Load Balancer ARN: ELB Watchdog guards ELBv2 (application, network, gateway) only');
  if (loadBalancerArnOf(value) !== value) throw new InvalidArgumentError(`expected an ELBv2 load balancer ARN like ${ARN_EXAMPLE}`);
  return value;
}

/** Commander parser for a repeatable `--lb ARN...` (`--lb A B` or `--lb A --lb B`); duplicates count once. */
export function loadBalancerArns(value: string, previous: string[] | undefined): string[] {
  const arn = loadBalancerArn(value);
  return previous?.includes(arn) ? previous : [...(previous ?? []), arn];
}

function endpointUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('expected a URL like http://127.0.0.1:4566');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError('expected an http:// or https:// URL');
  return value;
}

/** Adds `--region`, `--profile`, `--endpoint-url` (and `--table`, `--topic` when the command uses them). */
export function withAwsOptions(command: Command, options: { table?: boolean; topic?: boolean } = {}): Command {
  command
    .option('--region <region>', 'AWS Region (default: AWS_REGION, else AWS_DEFAULT_REGION, else the profile\'s)')
    .option('--profile <name>', 'named profile of ~/.aws/config (default: AWS_PROFILE)')
    .option('--endpoint-url <url>', 'send every AWS call here, e.g. the stand-in of `elb-watchdog sim` (default: AWS_ENDPOINT_URL)', endpointUrl);
  if (options.table) command.option('--table <name>', `the watchdog's state table (default: ${TABLE_ENV}, else the one table named *StateTable* with key pk/sk)`);
  if (options.topic) command.option('--topic <arn>', `the watchdog's notification topic (default: ${TOPIC_ENV}, else the one topic named *${TOPIC_NAME}*)`);
  return command;
}

/**
 * The AWS side of an operator command: SDK clients with default configuration (so `AWS_PROFILE`,
 * `AWS_REGION`, `AWS_ENDPOINT_URL` and credentials work as for the AWS CLI; `AWS_DEFAULT_REGION` too,
 * which the JS SDK alone does not read) narrowed by the command's options, the watchdog's own adapters
 * over them, and the state table, found when not named.
 */
export class AwsContext {
  public readonly elbv2: ElasticLoadBalancingV2Client;
  public readonly dynamodb: DynamoDBClient;
  public readonly reader: Elbv2SnapshotReader;
  private readonly sts: STSClient;
  private readonly sns: SNSClient;
  private readonly cloudwatch: CloudWatchClient;
  private table: Promise<string> | undefined;
  private topic: Promise<string> | undefined;

  private constructor(
    private readonly options: AwsOptions,
    public readonly region: string,
    config: Record<string, string>,
  ) {
    this.elbv2 = new ElasticLoadBalancingV2Client(config);
    this.dynamodb = new DynamoDBClient(config);
    this.sts = new STSClient(config);
    this.sns = new SNSClient(config);
    this.cloudwatch = new CloudWatchClient(config);
    this.reader = new Elbv2SnapshotReader(this.elbv2);
  }

  /** Who the credentials authenticate as (STS GetCallerIdentity: needs no permission and cannot be denied). */
  public async caller(): Promise<CallerIdentity> {
    const identity = await callAws('GetCallerIdentity', undefined, () => this.sts.send(new GetCallerIdentityCommand({})));
    if (identity.Arn === undefined) throw new Error('STS GetCallerIdentity returned no ARN');
    return { arn: identity.Arn, ...(identity.UserId !== undefined && { userId: identity.UserId }), ...(identity.Account !== undefined && { account: identity.Account }) };
  }

  /** The watchdog's notification topic: `--topic`, `ELB_WATCHDOG_TOPIC_ARN`, or the one found in the account and Region. */
  public topicArn(): Promise<string> {
    this.topic ??= this.findTopic();
    return this.topic;
  }

  /** Publishes to the watchdog's topic, through the handlers' adapter. */
  public async notifier(): Promise<SnsNotifier> {
    return new SnsNotifier(this.sns, await this.topicArn());
  }

  /** Builds the clients and resolves the Region now, so a missing one is a clear error before any call. */
  public static async create(options: AwsOptions): Promise<AwsContext> {
    // The error hints (describeError) name the endpoint and the profile from the standard variables: keep them in step.
    if (options.endpointUrl !== undefined) process.env.AWS_ENDPOINT_URL = options.endpointUrl;
    if (options.profile !== undefined) process.env.AWS_PROFILE = options.profile;
    await checkProfile(process.env.AWS_PROFILE);
    const explicitRegion = regionToUse(options.region);
    const config: Record<string, string> = {
      ...(explicitRegion !== undefined && { region: explicitRegion }),
      ...(options.profile !== undefined && { profile: options.profile }),
      ...(options.endpointUrl !== undefined && { endpoint: options.endpointUrl }),
    };
    const probe = new ElasticLoadBalancingV2Client(config);
    let region: string;
    try {
      region = await probe.config.region();
    } catch (error) {
      throw new UsageError('no AWS Region: pass --region or set AWS_REGION or AWS_DEFAULT_REGION (the stand-in plays us-east-1)', { cause: error });
    } finally {
      probe.destroy();
    }
    return new AwsContext(options, region, { ...config, region });
  }

  /** The load balancer's name; a clear `ResourceNotFoundError` when the ARN names none here. */
  public async loadBalancerName(arn: string): Promise<string> {
    try {
      const described = await callAws('DescribeLoadBalancers', arn, () => this.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] })));
      const lb = described.LoadBalancers?.[0];
      if (lb?.LoadBalancerArn === undefined) throw new ResourceNotFoundError(`load balancer ${arn} not found`, { resourceArn: arn });
      return lb.LoadBalancerName ?? arn;
    } catch (error) {
      throw isNotFound(error) ? this.notFound(arn, error) : error;
    }
  }

  /** The error for an ARN that names no load balancer here, with the likely reason when we can tell. */
  public notFound(arn: string, cause?: unknown): ResourceNotFoundError {
    const arnRegion = parseElbArn(arn)?.region;
    const hint = arnRegion && arnRegion !== this.region ? ` (the ARN is in ${arnRegion}: pass --region ${arnRegion})` : ': check the ARN, --region and --profile';
    return new ResourceNotFoundError(`load balancer ${arn} not found in ${this.region}${hint}`, { resourceArn: arn, cause });
  }

  /** The state table's name: `--table`, `ELB_WATCHDOG_TABLE`, or the one found in the account and Region. */
  public stateTable(): Promise<string> {
    this.table ??= this.findStateTable();
    return this.table;
  }

  /** The watchdog's state (last known good, audit log, break-glass) through the handlers' adapter. */
  public async stateStore(): Promise<DynamoDbStateStore> {
    return new DynamoDbStateStore(this.dynamodb, await this.stateTable());
  }

  /** CloudWatch metrics through the handlers' adapter (the load a change would move). */
  public metrics(): CloudWatchMetricsReader {
    return new CloudWatchMetricsReader(this.cloudwatch);
  }

  /** Closes the clients' connections. */
  public destroy(): void {
    for (const client of [this.elbv2, this.dynamodb, this.sts, this.sns, this.cloudwatch]) client.destroy();
  }

  private async findTopic(): Promise<string> {
    const named = this.options.topic ?? process.env[TOPIC_ENV];
    if (named !== undefined && named !== '') return named;
    const found: string[] = [];
    await callAws('ListTopics', undefined, async () => {
      for await (const page of paginateListTopics({ client: this.sns }, {})) {
        for (const topic of page.Topics ?? []) if (topic.TopicArn?.split(':').pop()?.includes(TOPIC_NAME)) found.push(topic.TopicArn);
      }
    });
    if (found.length === 1) return found[0];
    if (found.length === 0) {
      throw new ResourceNotFoundError(`no ELB Watchdog topic in ${this.region}: pass --topic ARN (the stack output TopicArn) or set ${TOPIC_ENV}`, { resourceArn: TOPIC_NAME });
    }
    throw new UsageError(`${found.length} ELB Watchdog topics in ${this.region} (${found.join(', ')}): pass --topic ARN to choose one`);
  }

  private async findStateTable(): Promise<string> {
    const named = this.options.table ?? process.env[TABLE_ENV];
    if (named !== undefined && named !== '') {
      if (!(await this.isStateTable(named))) {
        throw new ResourceNotFoundError(`state table ${named} not found in ${this.region}: check --table or ${TABLE_ENV}`, { resourceArn: named });
      }
      return named;
    }
    const names: string[] = [];
    let start: string | undefined;
    do {
      const page = await callAws('ListTables', undefined, () => this.dynamodb.send(new ListTablesCommand({ ExclusiveStartTableName: start })));
      names.push(...(page.TableNames ?? []));
      start = page.LastEvaluatedTableName;
    } while (start !== undefined);
    const found: string[] = [];
    for (const name of names.filter((n) => n.includes(STATE_TABLE_NAME))) if (await this.isStateTable(name)) found.push(name);
    if (found.length === 1) return found[0];
    if (found.length === 0) {
      throw new ResourceNotFoundError(
        `no ELB Watchdog state table in ${this.region}: pass --table NAME (the stack output StateTableName) or set ${TABLE_ENV}`,
        { resourceArn: STATE_TABLE_NAME },
      );
    }
    throw new UsageError(`${found.length} ELB Watchdog state tables in ${this.region} (${found.join(', ')}): pass --table NAME to choose one`);
  }

  private async isStateTable(name: string): Promise<boolean> {
    try {
      const described = await callAws('DescribeTable', name, () => this.dynamodb.send(new DescribeTableCommand({ TableName: name })));
      const keys = described.Table?.KeySchema ?? [];
      return keys.some((k) => k.AttributeName === 'pk' && k.KeyType === 'HASH') && keys.some((k) => k.AttributeName === 'sk' && k.KeyType === 'RANGE');
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }
}

/** Runs `work` with a context built from the options and always closes its clients. */
export async function withAws<T>(options: AwsOptions, work: (aws: AwsContext) => Promise<T>): Promise<T> {
  const aws = await AwsContext.create(options);
  try {
    return await work(aws);
  } finally {
    aws.destroy();
  }
}
