import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { CreateTableCommand, DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { DynamoDbStateStore } from '../../lambdas/aws/dynamodb-state-store';
import { ConcurrentUpdateError, InputValidationError } from '../../lambdas/core/errors';
import { DEFAULT_POLICY, policyHash, validatePolicy } from '../../lambdas/core/policy';
import type { LoadBalancerSnapshot } from '../../lambdas/core/model/snapshot';
import { isUntrustedBaseline, type AuditRecord, type StoredSnapshot, type UntrustedBaseline } from '../../lambdas/core/ports';
import { LocalHmac } from '../helpers/local-hmac';

const LB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188';
const OTHER_LB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/api/73e2d6bc24d8a067';

/** The stored baseline, narrowed to a trusted one (fails the test otherwise). */
function trusted(read: StoredSnapshot | UntrustedBaseline | undefined): StoredSnapshot {
  if (read === undefined || isUntrustedBaseline(read)) throw new Error(`expected a trusted baseline, got ${JSON.stringify(read)}`);
  return read;
}

function snapshotWith(targets: number): LoadBalancerSnapshot {
  return {
    schemaVersion: 1,
    capturedAt: '2026-05-19T14:00:00.000Z',
    loadBalancer: { arn: LB, name: 'web', type: 'application', crossZoneEnabled: true, availabilityZones: [], attributes: {}, tags: {} },
    listeners: [],
    targetGroups: [
      {
        arn: 'arn:tg/big',
        name: 'big',
        targetType: 'ip',
        loadBalancerArns: [LB],
        crossZone: 'inherit',
        attributes: {},
        tags: {},
        targets: Array.from({ length: targets }, (_, i) => ({ id: `10.0.${Math.floor(i / 250)}.${i % 250}`, port: 80, health: 'healthy' as const })),
      },
    ],
  };
}

function auditRecord(at: string, eventId: string): AuditRecord {
  return {
    loadBalancerArn: LB,
    at,
    eventId,
    eventName: 'ModifyListener',
    eventTime: at,
    actor: { type: 'IAMUser', displayName: 'alice' },
    mode: 'enforce',
    decision: 'block',
    action: 'revert',
    outcome: 'reverted',
    findings: [],
    shareDiff: [],
  };
}

describe('Class: DynamoDbStateStore', () => {
  let server: Server;
  let client: DynamoDBClient;
  let store: DynamoDbStateStore;
  let mac: LocalHmac;
  let clock = new Date('2026-05-19T14:00:00Z');
  let tableCount = 0;
  let tableName = '';

  beforeAll(async () => {
    server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  });

  beforeEach(async () => {
    // A fresh table per test keeps tests independent without restarting dynalite.
    tableName = `state-${++tableCount}`;
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
    clock = new Date('2026-05-19T14:00:00Z');
    mac = new LocalHmac();
    store = new DynamoDbStateStore(client, tableName, () => clock, mac);
  });

  afterAll(async () => {
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  describe('Method: putLastKnownGood', () => {
    it('stores versions conditionally and round-trips a 10,000-target snapshot', async () => {
      // Prepare
      const big = snapshotWith(10_000);

      // Act
      const first = await store.putLastKnownGood(big, { expectedVersion: undefined, eventId: 'e1' });
      const second = await store.putLastKnownGood(big, { expectedVersion: 1 });
      const read = await store.getLastKnownGood(LB);

      // Assess
      expect(first.version).toBe(1);
      expect(second.version).toBe(2);
      expect(trusted(read).version).toBe(2);
      expect(trusted(read).snapshot.targetGroups[0].targets).toHaveLength(10_000);
    });

    it('throws ConcurrentUpdateError when another writer got there first', async () => {
      await store.putLastKnownGood(snapshotWith(1), { expectedVersion: undefined });
      await expect(store.putLastKnownGood(snapshotWith(2), { expectedVersion: undefined })).rejects.toBeInstanceOf(ConcurrentUpdateError);
      await store.putLastKnownGood(snapshotWith(2), { expectedVersion: 1 });
      await expect(store.putLastKnownGood(snapshotWith(3), { expectedVersion: 1 })).rejects.toBeInstanceOf(ConcurrentUpdateError);
    });
  });

  describe('Method: getLastKnownGood (MAC verification)', () => {
    const key = (arn: string) => ({ pk: { S: `LB#${arn}` }, sk: { S: 'LKG' } });

    /** The item as stored, in DynamoDB's wire shape, for a test to edit as an attacker would. */
    async function rawItem(arn = LB) {
      const item = (await client.send(new GetItemCommand({ TableName: tableName, Key: key(arn) }))).Item;
      if (item === undefined) throw new Error('no item');
      return item;
    }

    it('trusts a baseline it signed itself, and computes one MAC per write and one check per read', async () => {
      await store.putLastKnownGood(snapshotWith(2), { expectedVersion: undefined, eventId: 'e1' });

      const read = trusted(await store.getLastKnownGood(LB));

      expect({ version: read.version, eventId: read.eventId, targets: read.snapshot.targetGroups[0].targets.length }).toEqual({ version: 1, eventId: 'e1', targets: 2 });
      expect({ generated: mac.generated, verified: mac.verified }).toEqual({ generated: 1, verified: 1 });
    });

    it('rejects a baseline whose body was edited (the issue\'s attack: "web-green 100")', async () => {
      // Prepare: the watchdog stores a baseline; someone with PutItem on the table rewrites its snapshot.
      await store.putLastKnownGood(snapshotWith(4), { expectedVersion: undefined });
      const item = await rawItem();
      const edited = gzipSync(JSON.stringify(snapshotWith(1)));

      // Act
      await client.send(new PutItemCommand({ TableName: tableName, Item: { ...item, snapshot: { B: edited } } }));
      const read = await store.getLastKnownGood(LB);

      // Assess: rejected, with the stored version so the audit can replace exactly this item.
      expect(read).toEqual({ untrusted: 'mac-invalid', version: 1, storedAt: '2026-05-19T14:00:00.000Z' });
    });

    it('rejects a baseline whose version was edited', async () => {
      await store.putLastKnownGood(snapshotWith(4), { expectedVersion: undefined });

      await client.send(
        new UpdateItemCommand({ TableName: tableName, Key: key(LB), UpdateExpression: 'SET version = :v', ExpressionAttributeValues: { ':v': { N: '7' } } }),
      );

      expect(await store.getLastKnownGood(LB)).toMatchObject({ untrusted: 'mac-invalid', version: 7 });
    });

    it('rejects the signed baseline of another load balancer copied over this one', async () => {
      // Prepare: a genuine, signed baseline of `api`, copied with its MAC to the key of `web`.
      await store.putLastKnownGood({ ...snapshotWith(1), loadBalancer: { ...snapshotWith(1).loadBalancer, arn: OTHER_LB, name: 'api' } }, { expectedVersion: undefined });
      const copied = { ...(await rawItem(OTHER_LB)), ...key(LB) };

      // Act
      await client.send(new PutItemCommand({ TableName: tableName, Item: copied }));

      // Assess: the MAC covers the key it was written under.
      expect(await store.getLastKnownGood(LB)).toMatchObject({ untrusted: 'mac-invalid' });
      expect(trusted(await store.getLastKnownGood(OTHER_LB)).snapshot.loadBalancer.name).toBe('api');
    });

    it('reports a baseline without a MAC (stored before baselines were signed) as missing it, without a KMS call', async () => {
      // Prepare: an item as versions before this one wrote it.
      const before = { pk: { S: `LB#${LB}` }, sk: { S: 'LKG' }, version: { N: '3' }, storedAt: { S: '2026-05-01T00:00:00.000Z' }, snapshot: { B: gzipSync(JSON.stringify(snapshotWith(1))) } };
      await client.send(new PutItemCommand({ TableName: tableName, Item: before }));

      const read = await store.getLastKnownGood(LB);

      expect(read).toEqual({ untrusted: 'mac-missing', version: 3, storedAt: '2026-05-01T00:00:00.000Z' });
      expect(mac.verified).toBe(0);
    });

    it('rejects garbage without inflating it: a MAC of the wrong length, a snapshot that is not bytes', async () => {
      await store.putLastKnownGood(snapshotWith(1), { expectedVersion: undefined });
      const item = await rawItem();

      await client.send(new PutItemCommand({ TableName: tableName, Item: { ...item, mac: { B: new Uint8Array(3) } } }));
      const shortMac = await store.getLastKnownGood(LB);
      await client.send(new PutItemCommand({ TableName: tableName, Item: { ...item, snapshot: { S: 'not gzip' } } }));
      const notBytes = await store.getLastKnownGood(LB);

      expect([shortMac, notBytes]).toEqual([expect.objectContaining({ untrusted: 'mac-invalid' }), expect.objectContaining({ untrusted: 'mac-invalid' })]);
      expect(mac.verified).toBe(0);
    });

    it('replaces a rejected baseline with a signed one whose version follows it, unless someone wrote meanwhile', async () => {
      // Prepare: a tampered item at version 7.
      await store.putLastKnownGood(snapshotWith(4), { expectedVersion: undefined });
      await client.send(new UpdateItemCommand({ TableName: tableName, Key: key(LB), UpdateExpression: 'SET version = :v', ExpressionAttributeValues: { ':v': { N: '7' } } }));
      const rejected = (await store.getLastKnownGood(LB)) as UntrustedBaseline;

      // Act
      const replaced = await store.putLastKnownGood(snapshotWith(4), { expectedVersion: undefined, replacing: rejected });
      const again = store.putLastKnownGood(snapshotWith(4), { expectedVersion: undefined, replacing: rejected });

      // Assess
      expect(replaced.version).toBe(8);
      expect(trusted(await store.getLastKnownGood(LB)).version).toBe(8);
      await expect(again).rejects.toBeInstanceOf(ConcurrentUpdateError);
    });

    it('replaces a rejected baseline whose version is not even a number, or that was deleted meanwhile', async () => {
      await store.putLastKnownGood(snapshotWith(4), { expectedVersion: undefined });
      await client.send(new UpdateItemCommand({ TableName: tableName, Key: key(LB), UpdateExpression: 'SET version = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } }));
      const rejected = (await store.getLastKnownGood(LB)) as UntrustedBaseline;
      expect(rejected).toMatchObject({ untrusted: 'mac-invalid', version: undefined });

      expect((await store.putLastKnownGood(snapshotWith(4), { expectedVersion: undefined, replacing: rejected })).version).toBe(1);
      await client.send(new DeleteItemCommand({ TableName: tableName, Key: key(LB) }));
      expect((await store.putLastKnownGood(snapshotWith(4), { expectedVersion: undefined, replacing: rejected })).version).toBe(1);
    });

    it('without a MAC key reads baselines as unverified and refuses to store one', async () => {
      await store.putLastKnownGood(snapshotWith(1), { expectedVersion: undefined });
      const reader = new DynamoDbStateStore(client, tableName, () => clock);

      expect(trusted(await reader.getLastKnownGood(LB)).unverified).toBe(true);
      await expect(reader.putLastKnownGood(snapshotWith(1), { expectedVersion: 1 })).rejects.toThrow(/holds no MAC key/);
    });
  });

  describe('Method: claimEvent', () => {
    it('claims once, reports in-progress and done, and takes over an expired lease', async () => {
      expect(await store.claimEvent('e1', 60)).toBe('claimed');
      expect(await store.claimEvent('e1', 60)).toBe('in-progress');

      clock = new Date(clock.getTime() + 61_000);
      expect(await store.claimEvent('e1', 60)).toBe('claimed');

      await store.completeEvent('e1');
      clock = new Date(clock.getTime() + 3600_000);
      expect(await store.claimEvent('e1', 60)).toBe('already-done');
    });

    it('lets a released event be claimed again', async () => {
      expect(await store.claimEvent('e2', 60)).toBe('claimed');
      await store.releaseEvent('e2');
      expect(await store.claimEvent('e2', 60)).toBe('claimed');
    });
  });

  describe('Method: leasePending', () => {
    it('lets a judge take over a judge\'s lease at once; others wait until it ends', async () => {
      // Prepare: a verdict in the outbox, leased by a judge for 90 s
      await store.putPending({ id: 'n1', loadBalancerArn: LB, createdAt: clock.toISOString(), stage: 'to-publish', claimKeys: [], records: [] }, 90, 'judge');

      // Act
      const byAudit = await store.leasePending(LB, 'n1', 90);
      const byJudge = await store.leasePending(LB, 'n1', 90, 'judge');
      clock = new Date(clock.getTime() + 91_000);
      const byAuditLater = await store.leasePending(LB, 'n1', 90);
      const byJudgeAfterAudit = await store.leasePending(LB, 'n1', 90, 'judge');

      // Assess
      expect([byAudit, byJudge, byAuditLater, byJudgeAfterAudit]).toEqual([false, true, true, false]);
    });
  });

  describe('Method: listAudit', () => {
    it('returns the newest records in time order, limited and filtered by since', async () => {
      for (let minute = 0; minute < 5; minute++) {
        await store.appendAudit(auditRecord(`2026-05-19T14:0${minute}:00.000Z`, `e${minute}`));
      }

      const lastThree = await store.listAudit(LB, { limit: 3 });
      const sinceTwo = await store.listAudit(LB, { since: '2026-05-19T14:02' });

      expect(lastThree.map((r) => r.eventId)).toEqual(['e2', 'e3', 'e4']);
      expect(sinceTwo.map((r) => r.eventId)).toEqual(['e2', 'e3', 'e4']);
    });
  });

  describe('Method: break-glass', () => {
    it('stores, reads and ends an entry, in a partition of its own (the only one operators may write)', async () => {
      const entry = {
        loadBalancerArn: LB,
        startedAt: '2026-05-19T14:00:00.000Z',
        expiresAt: '2026-05-19T14:30:00.000Z',
        reason: 'incident 42',
        by: 'arn:aws:iam::123456789012:user/carol',
        note: 'for the INC-42 bridge',
      };
      await store.putBreakGlass(entry);
      expect(await store.getBreakGlass(LB)).toEqual(entry);
      const stored = await client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: `BREAKGLASS#${LB}` }, sk: { S: 'BREAKGLASS' } } }));
      expect(stored.Item?.by).toEqual({ S: entry.by });
      await store.endBreakGlass(LB);
      expect(await store.getBreakGlass(LB)).toBeUndefined();
    });

    it('keeps break-glass audit records in that partition and lists them with the judged changes, in time order', async () => {
      await store.appendAudit(auditRecord('2026-05-19T14:00:00.000Z', 'e0'));
      await store.appendAudit({ ...auditRecord('2026-05-19T14:01:00.000Z', 'bg'), eventName: 'BreakGlass' });
      await store.appendAudit(auditRecord('2026-05-19T14:02:00.000Z', 'e2'));

      const all = await store.listAudit(LB);
      const lastTwo = await store.listAudit(LB, { limit: 2 });
      const partition = await client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: `BREAKGLASS#${LB}` }, sk: { S: 'AUDIT#2026-05-19T14:01:00.000Z#bg' } } }));

      expect(all.map((r) => r.eventId)).toEqual(['e0', 'bg', 'e2']);
      expect(lastTwo.map((r) => r.eventId)).toEqual(['bg', 'e2']);
      expect(partition.Item).toBeDefined();
    });
  });

  describe('Method: rememberOnce', () => {
    it('is true only the first time', async () => {
      expect(await store.rememberOnce('risk:web:single-target')).toBe(true);
      expect(await store.rememberOnce('risk:web:single-target')).toBe(false);
    });
  });

  describe('Method: recordDeployedPolicy', () => {
    const enforcing = validatePolicy({ mode: 'enforce', overrides: [{ name: 'dev', match: { tags: { env: 'dev' } }, mode: 'dry-run' }] });

    it('records the policy; the same one again moves only the time it was last recorded, another starts over', async () => {
      // Act: deployed, audited an hour later, then redeployed with another policy.
      const first = await store.recordDeployedPolicy(enforcing, policyHash(enforcing));
      clock = new Date('2026-05-19T15:00:00Z');
      const again = await store.recordDeployedPolicy(enforcing, policyHash(enforcing));
      const readAgain = await store.getDeployedPolicy();
      clock = new Date('2026-05-19T16:00:00Z');
      const other = await store.recordDeployedPolicy(DEFAULT_POLICY, policyHash(DEFAULT_POLICY));

      // Assess
      expect(first).toEqual({ policy: enforcing, hash: policyHash(enforcing), since: '2026-05-19T14:00:00.000Z', recordedAt: '2026-05-19T14:00:00.000Z' });
      expect(again).toEqual({ ...first, recordedAt: '2026-05-19T15:00:00.000Z' });
      expect(readAgain).toEqual(again);
      expect(other).toEqual({ policy: DEFAULT_POLICY, hash: policyHash(DEFAULT_POLICY), since: '2026-05-19T16:00:00.000Z', recordedAt: '2026-05-19T16:00:00.000Z' });
      expect(await store.getDeployedPolicy()).toEqual(other);
    });

    it('reads none before the first record', async () => {
      expect(await store.getDeployedPolicy()).toBeUndefined();
    });

    it('refuses a recorded policy this version cannot read, naming the table and the field', async () => {
      // Prepare: a policy written by a newer watchdog, with a rule this one does not know.
      await store.recordDeployedPolicy(enforcing, policyHash(enforcing));
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { pk: { S: 'POLICY' }, sk: { S: 'DEPLOYED' } },
          UpdateExpression: 'SET #policy = :policy',
          ExpressionAttributeNames: { '#policy': 'policy' },
          ExpressionAttributeValues: { ':policy': { S: JSON.stringify({ ...enforcing, rules: { 'future-rule': {} } }) } },
        }),
      );

      // Act
      const read = store.getDeployedPolicy();

      // Assess
      await expect(read).rejects.toBeInstanceOf(InputValidationError);
      await expect(read).rejects.toThrow(`the deployed policy in ${tableName}: rules.future-rule:`);
    });
  });
});
