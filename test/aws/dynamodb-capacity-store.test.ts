import { CreateTableCommand, DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import type { AddressInfo } from 'node:net';
import { DynamoDbStateStore } from '../../lambdas/aws/dynamodb-state-store';
import type { ProvenCapacity } from '../../lambdas/core/capacity/load-types';
import { LocalHmac } from '../helpers/local-hmac';

/**
 * The proven capacity beside the baseline: stored with a MAC like a baseline, because a capacity written by
 * someone else could lower share blocks; a tampered or unsigned one reads as none.
 */
const LB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188';
const CAPACITY: ProvenCapacity = {
  loadBalancerArn: LB,
  computedAt: '2026-12-07T04:00:00.000Z',
  lookbackHours: 336,
  periodMinutes: 5,
  metric: 'RequestCount',
  groups: { 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-blue/0123456789abcdef': { groupName: 'web-blue', perTargetPerMinute: 1050, sustainedMinutes: 5, at: '2026-12-01T18:05:00.000Z' } },
};

describe('Class: DynamoDbStateStore (proven capacity)', () => {
  let server: ReturnType<typeof dynalite>;
  let client: DynamoDBClient;
  let table = 0;
  beforeAll(async () => {
    server = dynalite({ createTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new DynamoDBClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  });
  afterAll(async () => {
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const freshTable = async (): Promise<string> => {
    table += 1;
    const name = `state-${table}`;
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      }),
    );
    return name;
  };

  it('reads back what it stored, MAC checked', async () => {
    const store = new DynamoDbStateStore(client, await freshTable(), () => new Date(), new LocalHmac());
    await store.putProvenCapacity(CAPACITY);
    await expect(store.getProvenCapacity(LB)).resolves.toEqual(CAPACITY);
  });

  it('reads a capacity edited in the table as none', async () => {
    const name = await freshTable();
    const store = new DynamoDbStateStore(client, name, () => new Date(), new LocalHmac());
    await store.putProvenCapacity(CAPACITY);
    const inflated = JSON.stringify({ ...CAPACITY, groups: { x: { groupName: 'web-blue', perTargetPerMinute: 99999, sustainedMinutes: 5, at: CAPACITY.computedAt } } });
    await client.send(new UpdateItemCommand({ TableName: name, Key: { pk: { S: `LB#${LB}` }, sk: { S: 'CAPACITY' } }, UpdateExpression: 'SET #c = :c', ExpressionAttributeNames: { '#c': 'capacity' }, ExpressionAttributeValues: { ':c': { S: inflated } } }));
    await expect(store.getProvenCapacity(LB)).resolves.toBeUndefined();
  });

  it('reads nothing stored as none', async () => {
    const store = new DynamoDbStateStore(client, await freshTable(), () => new Date(), new LocalHmac());
    await expect(store.getProvenCapacity(LB)).resolves.toBeUndefined();
  });
});
