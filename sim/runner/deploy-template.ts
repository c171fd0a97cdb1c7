import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateKeyCommand, KMSClient, type KeySpec, type KeyUsageType } from '@aws-sdk/client-kms';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { TemplateModel, TemplateValue } from './template-model';

/** Where the runner's own setup calls go, and as whom. */
export interface DeployTarget {
  readonly endpoint: string;
  readonly region: string;
  readonly accountId: string;
}

/** A queue created in the stand-in. */
export interface DeployedQueue {
  readonly url: string;
  readonly arn: string;
}

/** A KMS key created in the stand-in. */
export interface DeployedKey {
  readonly keyId: string;
  readonly arn: string;
}

/** What the runner created, by logical id, and how to resolve the template's intrinsics against it. */
export interface DeployedResources {
  readonly keys: ReadonlyMap<string, DeployedKey>;
  readonly queues: ReadonlyMap<string, DeployedQueue>;
  readonly tableNames: ReadonlyMap<string, string>;
  readonly topicArns: ReadonlyMap<string, string>;
  readonly roleNames: ReadonlyMap<string, string>;
  /** The queue standing in for each function's asynchronous invocations (the rules' Lambda targets). */
  readonly invocationQueues: ReadonlyMap<string, DeployedQueue>;
  resolve(value: TemplateValue): string;
}

/** The deployer's access key: its calls (queues, rules, a table) are not ELBv2 changes anyone judges. */
const DEPLOYER_KEY = 'elb-watchdog-deployer';

/**
 * Creates in the stand-in what the template declares, as CloudFormation would (names derive from logical
 * ids): the KMS keys (with their key spec and usage: the baselines' HMAC key), the table, the topic, the
 * queues with their redrive policies, and the EventBridge rules. A rule's Lambda target becomes a standard
 * queue the runner polls, since the stand-in has no Lambda service; scheduled rules get that queue too (the
 * runner's scheduler fills it on the sim clock). Policies (key policies, the table's resource policy) are not
 * deployed: the stand-in enforces no IAM; test/helpers/iam-simulator.ts shows them.
 */
export async function deployTemplate(model: TemplateModel, target: DeployTarget): Promise<DeployedResources> {
  const config = { endpoint: target.endpoint, region: target.region, credentials: { accessKeyId: DEPLOYER_KEY, secretAccessKey: 'x' } };
  const sqs = new SQSClient(config);
  const sns = new SNSClient(config);
  const dynamodb = new DynamoDBClient(config);
  const events = new EventBridgeClient(config);
  const kms = new KMSClient(config);
  try {
    const keys = new Map<string, DeployedKey>();
    for (const key of model.keys) {
      const created = await kms.send(
        new CreateKeyCommand({ KeySpec: key.keySpec as KeySpec, KeyUsage: key.keyUsage as KeyUsageType, Description: `ELB Watchdog (local): ${key.logicalId}` }),
      );
      keys.set(key.logicalId, { keyId: created.KeyMetadata?.KeyId as string, arn: created.KeyMetadata?.Arn as string });
    }
    const queues = new Map<string, DeployedQueue>();
    const createQueue = async (name: string, attributes: Record<string, string>): Promise<DeployedQueue> => {
      const created = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
      const url = created.QueueUrl as string;
      const described = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
      return { url, arn: described.Attributes?.QueueArn as string };
    };
    // Dead-letter queues first: a redrive policy names its target's ARN.
    const ordered = [...model.queues].sort((a, b) => Number(a.redrive !== undefined) - Number(b.redrive !== undefined));
    for (const queue of ordered) {
      const attributes: Record<string, string> = {};
      if (queue.fifo) attributes.FifoQueue = 'true';
      if (queue.contentBasedDeduplication) attributes.ContentBasedDeduplication = 'true';
      if (queue.visibilityTimeout !== undefined) attributes.VisibilityTimeout = String(queue.visibilityTimeout);
      if (queue.redrive) {
        const dlq = queues.get(queue.redrive.deadLetterQueue);
        if (dlq === undefined) throw new Error(`queue ${queue.logicalId}: dead-letter queue ${queue.redrive.deadLetterQueue} not in the template`);
        attributes.RedrivePolicy = JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: queue.redrive.maxReceiveCount });
      }
      queues.set(queue.logicalId, await createQueue(queue.fifo ? `${queue.logicalId}.fifo` : queue.logicalId, attributes));
    }
    const tableNames = new Map<string, string>();
    for (const table of model.tables) {
      await dynamodb.send(
        new CreateTableCommand({
          TableName: table.logicalId,
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: table.keySchema.map((key) => ({ AttributeName: key.AttributeName, KeyType: key.KeyType as 'HASH' | 'RANGE' })),
          AttributeDefinitions: table.attributes.map((a) => ({ AttributeName: a.AttributeName, AttributeType: a.AttributeType as 'S' | 'N' | 'B' })),
        }),
      );
      tableNames.set(table.logicalId, table.logicalId);
    }
    const topicArns = new Map<string, string>();
    for (const topic of model.topics) {
      const created = await sns.send(new CreateTopicCommand({ Name: topic }));
      topicArns.set(topic, created.TopicArn as string);
    }
    const roleNames = new Map(model.roles.map((role) => [role, role.slice(0, 64)]));
    const invocationQueues = new Map<string, DeployedQueue>();
    for (const rule of model.rules) {
      if (rule.targets.length === 0 && rule.queueTargets.length === 0) continue;
      const targets = [];
      for (const [index, target] of rule.targets.entries()) {
        let queue = invocationQueues.get(target.functionLogicalId);
        if (queue === undefined) {
          queue = await createQueue(`${target.functionLogicalId.slice(0, 70)}-invoke`, {});
          invocationQueues.set(target.functionLogicalId, queue);
        }
        targets.push({ Id: `Target${index}`, Arn: queue.arn });
      }
      for (const logicalId of rule.queueTargets) {
        const queue = queues.get(logicalId);
        if (queue === undefined) throw new Error(`rule ${rule.logicalId}: target queue ${logicalId} not in the template`);
        targets.push({ Id: `Queue${targets.length}`, Arn: queue.arn });
      }
      // moto never fires schedules: the runner's scheduler sends scheduled rules' events on the sim clock.
      if (rule.eventPattern === undefined) continue;
      await events.send(new PutRuleCommand({ Name: rule.logicalId, EventPattern: JSON.stringify(rule.eventPattern), State: 'ENABLED' }));
      await events.send(new PutTargetsCommand({ Rule: rule.logicalId, Targets: targets }));
    }
    const resolve = (value: TemplateValue): string => resolveIntrinsic(value, { keys, queues, tableNames, topicArns, roleNames }, target);
    return { keys, queues, tableNames, topicArns, roleNames, invocationQueues, resolve };
  } finally {
    for (const client of [sqs, sns, dynamodb, events, kms]) client.destroy();
  }
}

/** `Ref`, `Fn::GetAtt` and `Fn::Join` over the resources the runner created; anything else is an error. */
function resolveIntrinsic(
  value: TemplateValue,
  resources: Pick<DeployedResources, 'keys' | 'queues' | 'tableNames' | 'topicArns' | 'roleNames'>,
  target: DeployTarget,
): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  const object = (value ?? {}) as Record<string, unknown>;
  if ('Ref' in object) {
    const id = String(object.Ref);
    const pseudo: Record<string, string> = { 'AWS::AccountId': target.accountId, 'AWS::Region': target.region, 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com' };
    if (pseudo[id] !== undefined) return pseudo[id];
    const found =
      resources.tableNames.get(id) ?? resources.topicArns.get(id) ?? resources.queues.get(id)?.url ?? resources.roleNames.get(id) ?? resources.keys.get(id)?.keyId;
    if (found === undefined) throw new Error(`cannot resolve Ref ${id}`);
    return found;
  }
  if ('Fn::GetAtt' in object) {
    const [id, attribute] = object['Fn::GetAtt'] as [string, string];
    if (attribute === 'Arn' && resources.queues.has(id)) return resources.queues.get(id)?.arn as string;
    if (attribute === 'Arn' && resources.keys.has(id)) return resources.keys.get(id)?.arn as string;
    if (attribute === 'Arn' && resources.roleNames.has(id)) return `arn:aws:iam::${target.accountId}:role/${resources.roleNames.get(id)}`;
    throw new Error(`cannot resolve Fn::GetAtt ${id}.${attribute}`);
  }
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => resolveIntrinsic(part, resources, target)).join(separator);
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}
