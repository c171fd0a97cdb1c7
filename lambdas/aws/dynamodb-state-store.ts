import { gunzipSync, gzipSync } from 'node:zlib';
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConcurrentUpdateError } from '../core/errors';
import { LoadBalancerSnapshotSchema, type LoadBalancerSnapshot } from '../core/model/snapshot';
import type { BreakGlass } from '../core/policy/verdict';
import type { AuditRecord, ClaimResult, StateStore, StoredSnapshot } from '../core/ports';
import { callAws } from './aws-error';

/** How long audit records and completed idempotency records are kept (DynamoDB TTL deletes them). */
const AUDIT_RETENTION_SECONDS = 90 * 24 * 3600;
const EVENT_RETENTION_SECONDS = 7 * 24 * 3600;

const lbKey = (arn: string): string => `LB#${arn}`;
const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/**
 * The watchdog's state in one DynamoDB table (`pk`, `sk`, TTL on `expiresAt`):
 * - `LB#<arn>` / `LKG`: last known good snapshot, gzip-compressed (10,000 targets stay far below the
 *   400 KB item limit), with a version for conditional writes;
 * - `LB#<arn>` / `AUDIT#<time>#<eventId>`: the audit log, newest last;
 * - `LB#<arn>` / `BREAKGLASS`: an active break-glass;
 * - `EVENT#<eventId>` / `EVENT`: idempotency claims (in progress with a lease, or done);
 * - `ONCE#<key>` / `ONCE`: facts reported once.
 */
export class DynamoDbStateStore implements StateStore {
  private readonly documents: DynamoDBDocumentClient;

  public constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  public async getLastKnownGood(loadBalancerArn: string): Promise<StoredSnapshot | undefined> {
    const result = await callAws('GetItem', loadBalancerArn, () =>
      this.documents.send(
        new GetCommand({ TableName: this.tableName, Key: { pk: lbKey(loadBalancerArn), sk: 'LKG' }, ConsistentRead: true }),
      ),
    );
    const item = result.Item;
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
        : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': options.expectedVersion } };
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: lbKey(arn),
            sk: 'LKG',
            version,
            storedAt,
            eventId: options.eventId,
            snapshot: gzipSync(JSON.stringify(snapshot)),
          },
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
    await callAws('PutItem', record.loadBalancerArn, () =>
      this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: lbKey(record.loadBalancerArn),
            sk: `AUDIT#${record.at}#${record.eventId}`,
            record: JSON.stringify(record),
            expiresAt: epochSeconds(this.now()) + AUDIT_RETENTION_SECONDS,
          },
        }),
      ),
    );
  }

  public async listAudit(loadBalancerArn: string, options: { limit?: number; since?: string } = {}): Promise<AuditRecord[]> {
    const records: AuditRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    const limit = options.limit ?? 50;
    do {
      const page = await callAws('Query', loadBalancerArn, () =>
        this.documents.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':pk': lbKey(loadBalancerArn), ':from': `AUDIT#${options.since ?? ''}`, ':to': 'AUDIT#~' },
            ScanIndexForward: false,
            Limit: limit - records.length,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      for (const item of page.Items ?? []) records.push(JSON.parse(item.record as string) as AuditRecord);
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined && records.length < limit);
    return records.reverse();
  }

  public async claimEvent(eventId: string, leaseSeconds: number): Promise<ClaimResult> {
    const now = epochSeconds(this.now());
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: `EVENT#${eventId}`, sk: 'EVENT', status: 'in-progress', leaseUntil: now + leaseSeconds, expiresAt: now + EVENT_RETENTION_SECONDS },
          // A claim whose lease ran out belongs to a run that crashed: take it over.
          ConditionExpression: 'attribute_not_exists(pk) OR (#status = :inProgress AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':inProgress': 'in-progress', ':now': now },
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) return callAws('PutItem', eventId, () => Promise.reject(error));
    }
    const existing = await callAws('GetItem', eventId, () =>
      this.documents.send(new GetCommand({ TableName: this.tableName, Key: { pk: `EVENT#${eventId}`, sk: 'EVENT' }, ConsistentRead: true })),
    );
    return existing.Item?.status === 'done' ? 'already-done' : 'in-progress';
  }

  public async completeEvent(eventId: string): Promise<void> {
    await callAws('UpdateItem', eventId, () =>
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: `EVENT#${eventId}`, sk: 'EVENT' },
          UpdateExpression: 'SET #status = :done REMOVE leaseUntil',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':done': 'done' },
        }),
      ),
    );
  }

  public async releaseEvent(eventId: string): Promise<void> {
    await callAws('DeleteItem', eventId, () =>
      this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: `EVENT#${eventId}`, sk: 'EVENT' } })),
    );
  }

  public async getBreakGlass(loadBalancerArn: string): Promise<BreakGlass | undefined> {
    const result = await callAws('GetItem', loadBalancerArn, () =>
      this.documents.send(
        new GetCommand({ TableName: this.tableName, Key: { pk: lbKey(loadBalancerArn), sk: 'BREAKGLASS' }, ConsistentRead: true }),
      ),
    );
    const item = result.Item;
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
    await callAws('PutItem', entry.loadBalancerArn, () =>
      this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: lbKey(entry.loadBalancerArn),
            sk: 'BREAKGLASS',
            startedAt: entry.startedAt,
            expiresAtIso: entry.expiresAt,
            reason: entry.reason,
            by: entry.by,
            // TTL removes the item some time after expiry; readers compare expiresAtIso themselves.
            expiresAt: epochSeconds(new Date(entry.expiresAt)) + 24 * 3600,
          },
        }),
      ),
    );
  }

  public async endBreakGlass(loadBalancerArn: string): Promise<void> {
    await callAws('DeleteItem', loadBalancerArn, () =>
      this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: lbKey(loadBalancerArn), sk: 'BREAKGLASS' } })),
    );
  }

  public async rememberOnce(key: string): Promise<boolean> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: `ONCE#${key}`, sk: 'ONCE', at: this.now().toISOString() },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      return callAws('PutItem', key, () => Promise.reject(error));
    }
  }
}
