import { gunzipSync, gzipSync } from 'node:zlib';
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { ConcurrentUpdateError } from '../core/errors';
import { LoadBalancerSnapshotSchema, type LoadBalancerSnapshot } from '../core/model/snapshot';
import type { Policy } from '../core/policy/policy-schema';
import { validatePolicy } from '../core/policy/validate-policy';
import type { BreakGlass } from '../core/policy/verdict';
import type { AuditRecord, ClaimResult, DeployedPolicy, StateStore, StoredSnapshot } from '../core/ports';
import { callAws } from './aws-error';

/** How long audit records and completed idempotency records are kept (DynamoDB TTL deletes them). */
const AUDIT_RETENTION_SECONDS = 90 * 24 * 3600;
const EVENT_RETENTION_SECONDS = 7 * 24 * 3600;

const lbKey = (arn: string): string => `LB#${arn}`;
const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);
/** The key of the deployed policy's item. */
const POLICY_KEY = { pk: 'POLICY', sk: 'DEPLOYED' };

// Plain JavaScript values to DynamoDB's attribute values and back (what lib-dynamodb's document client
// does, without its 6 KB in every Lambda bundle).
type Item = Record<string, unknown>;
const toAttributes = (values: Item): Record<string, AttributeValue> => marshall(values, { removeUndefinedValues: true });
const fromAttributes = (attributes: Record<string, AttributeValue> | undefined): Item | undefined => (attributes === undefined ? undefined : unmarshall(attributes));

/**
 * The watchdog's state in one DynamoDB table (`pk`, `sk`, TTL on `expiresAt`):
 * - `LB#<arn>` / `LKG`: last known good snapshot, gzip-compressed (10,000 targets stay far below the
 *   400 KB item limit), with a version for conditional writes;
 * - `LB#<arn>` / `AUDIT#<time>#<eventId>`: the audit log, newest last;
 * - `LB#<arn>` / `BREAKGLASS`: an active break-glass;
 * - `EVENT#<eventId>` / `EVENT`: idempotency claims (in progress with a lease, or done);
 * - `ONCE#<key>` / `ONCE`: facts reported once;
 * - `POLICY` / `DEPLOYED`: the policy the watchdog runs with, its hash, since and last recorded.
 */
export class DynamoDbStateStore implements StateStore {
  public constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  public async getLastKnownGood(loadBalancerArn: string): Promise<StoredSnapshot | undefined> {
    const item = await this.getItem({ pk: lbKey(loadBalancerArn), sk: 'LKG' }, loadBalancerArn);
    if (item === undefined) return undefined;
    const json = gunzipSync(item.snapshot as Uint8Array).toString('utf8');
    return {
      snapshot: LoadBalancerSnapshotSchema.parse(JSON.parse(json)),
      version: item.version as number,
      storedAt: item.storedAt as string,
      eventId: item.eventId as string | undefined,
    };
  }

  public async putLastKnownGood(
    snapshot: LoadBalancerSnapshot,
    options: { expectedVersion: number | undefined; eventId?: string },
  ): Promise<StoredSnapshot> {
    const arn = snapshot.loadBalancer.arn;
    const version = (options.expectedVersion ?? 0) + 1;
    const storedAt = this.now().toISOString();
    const condition =
      options.expectedVersion === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: toAttributes({ ':expected': options.expectedVersion }) };
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toAttributes({ pk: lbKey(arn), sk: 'LKG', version, storedAt, eventId: options.eventId, snapshot: gzipSync(JSON.stringify(snapshot)) }),
          ...condition,
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConcurrentUpdateError(`last known good of ${arn} changed since version ${options.expectedVersion ?? 'none'}`, {
          key: lbKey(arn),
          cause: error,
        });
      }
      return callAws('PutItem', arn, () => Promise.reject(error));
    }
    return { snapshot, version, storedAt, eventId: options.eventId };
  }

  public async appendAudit(record: AuditRecord): Promise<void> {
    await this.putItem(
      {
        pk: lbKey(record.loadBalancerArn),
        sk: `AUDIT#${record.at}#${record.eventId}`,
        record: JSON.stringify(record),
        expiresAt: epochSeconds(this.now()) + AUDIT_RETENTION_SECONDS,
      },
      record.loadBalancerArn,
    );
  }

  public async listAudit(loadBalancerArn: string, options: { limit?: number; since?: string } = {}): Promise<AuditRecord[]> {
    const records: AuditRecord[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    const limit = options.limit ?? 50;
    do {
      const page = await callAws('Query', loadBalancerArn, () =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: toAttributes({ ':pk': lbKey(loadBalancerArn), ':from': `AUDIT#${options.since ?? ''}`, ':to': 'AUDIT#~' }),
            ScanIndexForward: false,
            Limit: limit - records.length,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      for (const item of page.Items ?? []) records.push(JSON.parse(unmarshall(item).record as string) as AuditRecord);
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined && records.length < limit);
    return records.reverse();
  }

  public async claimEvent(eventId: string, leaseSeconds: number): Promise<ClaimResult> {
    const now = epochSeconds(this.now());
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toAttributes({ pk: `EVENT#${eventId}`, sk: 'EVENT', status: 'in-progress', leaseUntil: now + leaseSeconds, expiresAt: now + EVENT_RETENTION_SECONDS }),
          // A claim whose lease ran out belongs to a run that crashed: take it over.
          ConditionExpression: 'attribute_not_exists(pk) OR (#status = :inProgress AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: toAttributes({ ':inProgress': 'in-progress', ':now': now }),
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) return callAws('PutItem', eventId, () => Promise.reject(error));
    }
    const existing = await this.getItem({ pk: `EVENT#${eventId}`, sk: 'EVENT' }, eventId);
    return existing?.status === 'done' ? 'already-done' : 'in-progress';
  }

  public async completeEvent(eventId: string): Promise<void> {
    await callAws('UpdateItem', eventId, () =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: toAttributes({ pk: `EVENT#${eventId}`, sk: 'EVENT' }),
          UpdateExpression: 'SET #status = :done REMOVE leaseUntil',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: toAttributes({ ':done': 'done' }),
        }),
      ),
    );
  }

  public async releaseEvent(eventId: string): Promise<void> {
    await this.deleteItem({ pk: `EVENT#${eventId}`, sk: 'EVENT' }, eventId);
  }

  public async getBreakGlass(loadBalancerArn: string): Promise<BreakGlass | undefined> {
    const item = await this.getItem({ pk: lbKey(loadBalancerArn), sk: 'BREAKGLASS' }, loadBalancerArn);
    if (item === undefined) return undefined;
    return {
      loadBalancerArn,
      startedAt: item.startedAt as string,
      expiresAt: item.expiresAtIso as string,
      reason: item.reason as string,
      by: item.by as string,
    };
  }

  public async putBreakGlass(entry: BreakGlass): Promise<void> {
    await this.putItem(
      {
        pk: lbKey(entry.loadBalancerArn),
        sk: 'BREAKGLASS',
        startedAt: entry.startedAt,
        expiresAtIso: entry.expiresAt,
        reason: entry.reason,
        by: entry.by,
        // TTL removes the item some time after expiry; readers compare expiresAtIso themselves.
        expiresAt: epochSeconds(new Date(entry.expiresAt)) + 24 * 3600,
      },
      entry.loadBalancerArn,
    );
  }

  public async endBreakGlass(loadBalancerArn: string): Promise<void> {
    await this.deleteItem({ pk: lbKey(loadBalancerArn), sk: 'BREAKGLASS' }, loadBalancerArn);
  }

  public async rememberOnce(key: string): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toAttributes({ pk: `ONCE#${key}`, sk: 'ONCE', at: this.now().toISOString() }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      return callAws('PutItem', key, () => Promise.reject(error));
    }
  }

  public async recordDeployedPolicy(policy: Policy, hash: string): Promise<DeployedPolicy> {
    const recordedAt = this.now().toISOString();
    try {
      // The same policy as last time (the hourly case): only the time it was last seen moves.
      const updated = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: toAttributes(POLICY_KEY),
          UpdateExpression: 'SET recordedAt = :recordedAt',
          ConditionExpression: '#hash = :hash',
          ExpressionAttributeNames: { '#hash': 'hash' },
          ExpressionAttributeValues: toAttributes({ ':recordedAt': recordedAt, ':hash': hash }),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { policy, hash, since: fromAttributes(updated.Attributes)?.since as string, recordedAt };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) return callAws('UpdateItem', 'deployed policy', () => Promise.reject(error));
    }
    // None recorded yet, or a different one: this deployment's policy, from now on.
    await this.putItem({ ...POLICY_KEY, policy: JSON.stringify(policy), hash, since: recordedAt, recordedAt }, 'deployed policy');
    return { policy, hash, since: recordedAt, recordedAt };
  }

  public async getDeployedPolicy(): Promise<DeployedPolicy | undefined> {
    const item = await this.getItem(POLICY_KEY, 'deployed policy');
    return item === undefined ? undefined : this.deployedPolicyOf(item);
  }

  private deployedPolicyOf(item: Item): DeployedPolicy {
    return {
      // Validated again: a newer watchdog may have written a policy this code does not understand.
      policy: validatePolicy(JSON.parse(item.policy as string), `the deployed policy in ${this.tableName}`),
      hash: item.hash as string,
      since: item.since as string,
      recordedAt: item.recordedAt as string,
    };
  }

  private async getItem(key: { pk: string; sk: string }, resource: string): Promise<Item | undefined> {
    const result = await callAws('GetItem', resource, () =>
      this.client.send(new GetItemCommand({ TableName: this.tableName, Key: toAttributes(key), ConsistentRead: true })),
    );
    return fromAttributes(result.Item);
  }

  private async putItem(item: Item, resource: string): Promise<void> {
    await callAws('PutItem', resource, () => this.client.send(new PutItemCommand({ TableName: this.tableName, Item: toAttributes(item) })));
  }

  private async deleteItem(key: { pk: string; sk: string }, resource: string): Promise<void> {
    await callAws('DeleteItem', resource, () => this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: toAttributes(key) })));
  }
}
