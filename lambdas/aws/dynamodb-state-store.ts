import { createHash } from 'node:crypto';
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
import { BREAK_GLASS_KEY_PREFIX } from '../core/config/state-layout';
import { ConcurrentUpdateError, WatchdogError } from '../core/errors';
import { LoadBalancerSnapshotSchema, type LoadBalancerSnapshot } from '../core/model/snapshot';
import type { Policy } from '../core/policy/policy-schema';
import { validatePolicy } from '../core/policy/validate-policy';
import type { BreakGlass } from '../core/policy/verdict';
import { ProvenCapacitySchema, type ProvenCapacity } from '../core/capacity/load-types';
import type { AuditRecord, BaselineMac, CapacityStore, ClaimResult, DeployedPolicy, LeaseHolder, PendingVerdict, StateStore, StoredSnapshot, UntrustedBaseline } from '../core/ports';
import type { FightState } from '../core/workflow/fights';
import { baselineMacMessage } from '../core/trust/baseline-mac-message';
import { capacityMacMessage } from '../core/trust/capacity-mac-message';
import { callAws } from './aws-error';

/** How long audit records and completed idempotency records are kept (DynamoDB TTL deletes them). */
const AUDIT_RETENTION_SECONDS = 90 * 24 * 3600;
const EVENT_RETENTION_SECONDS = 7 * 24 * 3600;

/** HMAC-SHA-256 MACs are 32 bytes. */
const MAC_BYTES = 32;

const lbKey = (arn: string): string => `LB#${arn}`;
/**
 * Break-glass items live in a partition of their own: IAM can restrict writes by partition key only
 * (`dynamodb:LeadingKeys`), and operators may write break-glass items and nothing else.
 */
const breakGlassKey = (arn: string): string => `${BREAK_GLASS_KEY_PREFIX}${arn}`;
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const isBreakGlassRecord = (record: AuditRecord): boolean => record.eventName === 'BreakGlass' || record.eventName === 'BreakGlassEnded';
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
 *   400 KB item limit), with a version for conditional writes and a MAC (KMS HMAC) over the key, the
 *   version, the time, the event and the compressed bytes;
 * - `LB#<arn>` / `AUDIT#<time>#<eventId>`: the audit log, newest last;
 * - `BREAKGLASS#<arn>` / `BREAKGLASS`: an active break-glass; `BREAKGLASS#<arn>` / `AUDIT#…`: when break-glass
 *   was started and ended (written by operators, who may write nothing else);
 * - `EVENT#<eventId>` / `EVENT`: idempotency claims (in progress with a lease, or done);
 * - `ONCE#<key>` / `ONCE`: facts reported once;
 * - `POLICY` / `DEPLOYED`: the policy the watchdog runs with, its hash, since and last recorded;
 * - `OUTBOX` / `<arn>#<id>`: verdicts not yet told (gzip-compressed: a revert's baseline rides along);
 * - `LB#<arn>` / `FIGHT`: the last reverted configuration and its rounds;
 * - `LB#<arn>` / `CAPACITY`: the proven capacity of its groups (the audit's), with a MAC like a baseline's.
 */
export class DynamoDbStateStore implements StateStore, CapacityStore {
  public constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
    /**
     * The MAC key's client: required to store baselines; without it (the operator CLI) baselines are read
     * `unverified`.
     */
    private readonly mac?: BaselineMac,
  ) {}

  public async getLastKnownGood(loadBalancerArn: string): Promise<StoredSnapshot | UntrustedBaseline | undefined> {
    const item = await this.getItem({ pk: lbKey(loadBalancerArn), sk: 'LKG' }, loadBalancerArn);
    if (item === undefined) return undefined;
    const version = Number.isSafeInteger(item.version) && (item.version as number) >= 0 ? (item.version as number) : undefined;
    const storedAt = typeof item.storedAt === 'string' ? item.storedAt : undefined;
    const eventId = typeof item.eventId === 'string' ? item.eventId : undefined;
    if (item.mac === undefined) return { untrusted: 'mac-missing', version, storedAt };
    // Nothing of an item is read before its MAC is checked: not even its compressed bytes are inflated.
    const bytes = item.snapshot;
    if (!(bytes instanceof Uint8Array) || !(item.mac instanceof Uint8Array) || version === undefined || storedAt === undefined) {
      return { untrusted: 'mac-invalid', version, storedAt };
    }
    if (this.mac === undefined) return { ...this.parse(bytes, version, storedAt, eventId), unverified: true };
    const message = baselineMacMessage({ loadBalancerArn, version, storedAt, eventId, snapshotSha256: sha256(bytes) });
    // A MAC of the wrong length is not worth a KMS call (and KMS would refuse it as invalid input).
    if (item.mac.length !== MAC_BYTES || !(await this.mac.verify(message, item.mac))) return { untrusted: 'mac-invalid', version, storedAt };
    return this.parse(bytes, version, storedAt, eventId);
  }

  public async putLastKnownGood(
    snapshot: LoadBalancerSnapshot,
    options: { expectedVersion: number | undefined; eventId?: string; replacing?: { readonly version?: number } },
  ): Promise<StoredSnapshot> {
    const arn = snapshot.loadBalancer.arn;
    if (this.mac === undefined) throw new WatchdogError(`cannot store the baseline of ${arn}: this state store holds no MAC key`);
    const previous = options.replacing === undefined ? options.expectedVersion : options.replacing.version;
    const version = (previous ?? 0) + 1;
    const storedAt = this.now().toISOString();
    const bytes = gzipSync(JSON.stringify(snapshot));
    const mac = await this.mac.generate(baselineMacMessage({ loadBalancerArn: arn, version, storedAt, eventId: options.eventId, snapshotSha256: sha256(bytes) }));
    const condition =
      options.replacing !== undefined
        ? {
            // The rejected item as read, or gone; a number other than the version read means a newer write.
            ConditionExpression: 'attribute_not_exists(pk) OR NOT attribute_type(version, :number) OR version = :expected',
            ExpressionAttributeValues: toAttributes({ ':number': 'N', ':expected': options.replacing.version ?? -1 }),
          }
        : options.expectedVersion === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: toAttributes({ ':expected': options.expectedVersion }) };
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toAttributes({ pk: lbKey(arn), sk: 'LKG', version, storedAt, eventId: options.eventId, snapshot: bytes, mac }),
          ...condition,
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConcurrentUpdateError(`last known good of ${arn} changed since version ${previous ?? 'none'}`, {
          key: lbKey(arn),
          cause: error,
        });
      }
      return callAws('PutItem', arn, () => Promise.reject(error));
    }
    return { snapshot, version, storedAt, eventId: options.eventId };
  }

  /** Inflates and validates a snapshot whose MAC was checked (or could not be: `unverified`). */
  private parse(bytes: Uint8Array, version: number, storedAt: string, eventId: string | undefined): StoredSnapshot {
    const json = gunzipSync(bytes).toString('utf8');
    return { snapshot: LoadBalancerSnapshotSchema.parse(JSON.parse(json)), version, storedAt, ...(eventId !== undefined && { eventId }) };
  }

  public async appendAudit(record: AuditRecord): Promise<void> {
    await this.putItem(
      {
        pk: isBreakGlassRecord(record) ? breakGlassKey(record.loadBalancerArn) : lbKey(record.loadBalancerArn),
        sk: `AUDIT#${record.at}#${record.eventId}`,
        record: JSON.stringify(record),
        expiresAt: epochSeconds(this.now()) + AUDIT_RETENTION_SECONDS,
      },
      record.loadBalancerArn,
    );
  }

  public async listAudit(loadBalancerArn: string, options: { limit?: number; since?: string } = {}): Promise<AuditRecord[]> {
    const limit = options.limit ?? 50;
    // Judged changes and break-glass entries live in two partitions: the newest `limit` of both, oldest first.
    const [changes, breakGlass] = await Promise.all([
      this.queryAudit(lbKey(loadBalancerArn), loadBalancerArn, limit, options.since),
      this.queryAudit(breakGlassKey(loadBalancerArn), loadBalancerArn, limit, options.since),
    ]);
    const newestFirst = [...changes, ...breakGlass].sort((a, b) => b.sk.localeCompare(a.sk)).slice(0, limit);
    return newestFirst.reverse().map((item) => item.record);
  }

  /** The newest `limit` audit records of one partition, newest first, with their sort keys. */
  private async queryAudit(pk: string, loadBalancerArn: string, limit: number, since: string | undefined): Promise<{ sk: string; record: AuditRecord }[]> {
    const found: { sk: string; record: AuditRecord }[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await callAws('Query', loadBalancerArn, () =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: toAttributes({ ':pk': pk, ':from': `AUDIT#${since ?? ''}`, ':to': 'AUDIT#~' }),
            ScanIndexForward: false,
            Limit: limit - found.length,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      for (const raw of page.Items ?? []) {
        const item = unmarshall(raw);
        found.push({ sk: item.sk as string, record: JSON.parse(item.record as string) as AuditRecord });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined && found.length < limit);
    return found;
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
    const item = await this.getItem({ pk: breakGlassKey(loadBalancerArn), sk: 'BREAKGLASS' }, loadBalancerArn);
    if (item === undefined) return undefined;
    return {
      loadBalancerArn,
      startedAt: item.startedAt as string,
      expiresAt: item.expiresAtIso as string,
      reason: item.reason as string,
      by: item.by as string,
      ...(typeof item.note === 'string' && { note: item.note }),
    };
  }

  public async putBreakGlass(entry: BreakGlass): Promise<void> {
    await this.putItem(
      {
        pk: breakGlassKey(entry.loadBalancerArn),
        sk: 'BREAKGLASS',
        startedAt: entry.startedAt,
        expiresAtIso: entry.expiresAt,
        reason: entry.reason,
        by: entry.by,
        note: entry.note,
        // TTL removes the item some time after expiry; readers compare expiresAtIso themselves.
        expiresAt: epochSeconds(new Date(entry.expiresAt)) + 24 * 3600,
      },
      entry.loadBalancerArn,
    );
  }

  public async endBreakGlass(loadBalancerArn: string): Promise<void> {
    await this.deleteItem({ pk: breakGlassKey(loadBalancerArn), sk: 'BREAKGLASS' }, loadBalancerArn);
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

  public async putPending(pending: PendingVerdict, leaseSeconds: number, holder?: LeaseHolder): Promise<void> {
    await this.putItem(
      {
        pk: 'OUTBOX',
        sk: `${pending.loadBalancerArn}#${pending.id}`,
        createdAt: pending.createdAt,
        leaseUntil: epochSeconds(this.now()) + leaseSeconds,
        ...(holder !== undefined && { leaseHolder: holder }),
        body: gzipSync(JSON.stringify(pending)),
      },
      pending.loadBalancerArn,
    );
  }

  public async leasePending(loadBalancerArn: string, id: string, leaseSeconds: number, holder?: LeaseHolder): Promise<boolean> {
    const now = epochSeconds(this.now());
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: toAttributes({ pk: 'OUTBOX', sk: `${loadBalancerArn}#${id}` }),
          UpdateExpression: holder === undefined ? 'SET leaseUntil = :until REMOVE leaseHolder' : 'SET leaseUntil = :until, leaseHolder = :holder',
          ConditionExpression:
            holder === undefined
              ? 'attribute_exists(pk) AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)'
              : 'attribute_exists(pk) AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leaseHolder = :holder)',
          ExpressionAttributeValues: toAttributes({ ':until': now + leaseSeconds, ':now': now, ...(holder !== undefined && { ':holder': holder }) }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      return callAws('UpdateItem', loadBalancerArn, () => Promise.reject(error));
    }
  }

  public async releasePending(loadBalancerArn: string, id: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: toAttributes({ pk: 'OUTBOX', sk: `${loadBalancerArn}#${id}` }),
          UpdateExpression: 'REMOVE leaseUntil',
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
    } catch (error) {
      // Already told and deleted: nothing to give back.
      if (error instanceof ConditionalCheckFailedException) return;
      await callAws('UpdateItem', loadBalancerArn, () => Promise.reject(error));
    }
  }

  public async listPending(loadBalancerArn?: string): Promise<PendingVerdict[]> {
    const found: PendingVerdict[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await callAws('Query', loadBalancerArn ?? 'outbox', () =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: loadBalancerArn === undefined ? 'pk = :pk' : 'pk = :pk AND begins_with(sk, :lb)',
            ExpressionAttributeValues: toAttributes({ ':pk': 'OUTBOX', ...(loadBalancerArn !== undefined && { ':lb': `${loadBalancerArn}#` }) }),
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      for (const raw of page.Items ?? []) found.push(JSON.parse(gunzipSync(unmarshall(raw).body as Uint8Array).toString('utf8')) as PendingVerdict);
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return found.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  public async deletePending(loadBalancerArn: string, id: string): Promise<void> {
    await this.deleteItem({ pk: 'OUTBOX', sk: `${loadBalancerArn}#${id}` }, loadBalancerArn);
  }

  public async getFight(loadBalancerArn: string): Promise<FightState | undefined> {
    const item = await this.getItem({ pk: lbKey(loadBalancerArn), sk: 'FIGHT' }, loadBalancerArn);
    return item === undefined ? undefined : (JSON.parse(item.state as string) as FightState);
  }

  public async putFight(loadBalancerArn: string, state: FightState): Promise<void> {
    // Fights end when the window passes; the item outlives it by a day for `history`.
    await this.putItem({ pk: lbKey(loadBalancerArn), sk: 'FIGHT', state: JSON.stringify(state), expiresAt: epochSeconds(new Date(state.lastAt)) + 24 * 3600 }, loadBalancerArn);
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

  public async getProvenCapacity(loadBalancerArn: string): Promise<ProvenCapacity | undefined> {
    const item = await this.getItem({ pk: lbKey(loadBalancerArn), sk: 'CAPACITY' }, loadBalancerArn);
    if (item === undefined || typeof item.capacity !== 'string' || !(item.mac instanceof Uint8Array)) return undefined;
    // Unsigned or signed by someone else: no capacity at all (it could lower share blocks).
    if (this.mac !== undefined) {
      const message = capacityMacMessage(loadBalancerArn, sha256(new TextEncoder().encode(item.capacity)));
      if (item.mac.length !== MAC_BYTES || !(await this.mac.verify(message, item.mac))) return undefined;
    }
    const parsed = ProvenCapacitySchema.safeParse(JSON.parse(item.capacity));
    return parsed.success && parsed.data.loadBalancerArn === loadBalancerArn ? parsed.data : undefined;
  }

  public async putProvenCapacity(capacity: ProvenCapacity): Promise<void> {
    const arn = capacity.loadBalancerArn;
    if (this.mac === undefined) throw new WatchdogError(`cannot store the proven capacity of ${arn}: this state store holds no MAC key`);
    const json = JSON.stringify(capacity);
    const mac = await this.mac.generate(capacityMacMessage(arn, sha256(new TextEncoder().encode(json))));
    await this.putItem({ pk: lbKey(arn), sk: 'CAPACITY', capacity: json, mac }, arn);
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
