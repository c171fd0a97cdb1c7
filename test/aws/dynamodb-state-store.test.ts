import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { CreateTableCommand, DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { DynamoDbStateStore } from '../../lambdas/aws/dynamodb-state-store';
import { ConcurrentUpdateError, InputValidationError } from '../../lambdas/core/errors';
import { DEFAULT_POLICY, policyHash, validatePolicy } from '../../lambdas/core/policy';
import type { LoadBalancerSnapshot } from '../../lambdas/core/model/snapshot';
import type { AuditRecord } from '../../lambdas/core/ports';

const LB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188';

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
    store = new DynamoDbStateStore(client, tableName, () => clock);
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
      expect(read?.version).toBe(2);
      expect(read?.snapshot.targetGroups[0].targets).toHaveLength(10_000);
    });

    it('throws ConcurrentUpdateError when another writer got there first', async () => {
      await store.putLastKnownGood(snapshotWith(1), { expectedVersion: undefined });
      await expect(store.putLastKnownGood(snapshotWith(2), { expectedVersion: undefined })).rejects.toBeInstanceOf(ConcurrentUpdateError);
      await store.putLastKnownGood(snapshotWith(2), { expectedVersion: 1 });
      await expect(store.putLastKnownGood(snapshotWith(3), { expectedVersion: 1 })).rejects.toBeInstanceOf(ConcurrentUpdateError);
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
    it('stores, reads and ends an entry', async () => {
      const entry = { loadBalancerArn: LB, startedAt: '2026-05-19T14:00:00.000Z', expiresAt: '2026-05-19T14:30:00.000Z', reason: 'incident 42', by: 'alice' };
      await store.putBreakGlass(entry);
      expect(await store.getBreakGlass(LB)).toEqual(entry);
      await store.endBreakGlass(LB);
      expect(await store.getBreakGlass(LB)).toBeUndefined();
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
