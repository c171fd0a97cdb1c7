import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, GetItemCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeLoadBalancersCommand, ModifyListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateTopicCommand, PublishCommand } from '@aws-sdk/client-sns';
import { MotoMissingError, startStandIn } from '../../sim';
import { startMoto } from '../../sim/launcher/moto-process';
import { alive, eventually, sdkClients, simJson } from './helpers/stand-in-fixture';

describe('Launcher: startStandIn', () => {
  it('names the install command when python3 is missing', async () => {
    await expect(startStandIn({ python: '/nonexistent/python3', world: 'empty' })).rejects.toThrow(MotoMissingError);
    await expect(startStandIn({ python: '/nonexistent/python3', world: 'empty' })).rejects.toThrow("pip install 'moto[server]'");
  });

  it('names the install command when moto is missing from that Python', async () => {
    // A real Python that cannot see site-packages, so `import moto` fails.
    const dir = mkdtempSync(join(tmpdir(), 'no-moto-'));
    const python = join(dir, 'python3');
    writeFileSync(python, '#!/bin/sh\nexec python3 -S "$@"\n');
    chmodSync(python, 0o755);
    const error = await startStandIn({ python, world: 'empty' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MotoMissingError);
    expect((error as Error).message).toMatch(/moto is not installed.*pip install 'moto\[server\]'/);
  });

  it('stops everything it started: no moto process is left', async () => {
    const standIn = await startStandIn({ world: 'empty', clock: { speed: 0 } });
    const { json } = await simJson<{ backend: { pid: number; managed: boolean } }>(standIn.url, '/_sim/health');
    expect(json.backend.managed).toBe(true);
    expect(alive(json.backend.pid)).toBe(true);
    await standIn.stop();
    expect(alive(json.backend.pid)).toBe(false);
    await expect(fetch(`${standIn.url}/_sim/health`)).rejects.toThrow();
    await standIn.stop(); // idempotent
  });

  it('uses an already running backend with backendUrl, and leaves it running', async () => {
    const moto = await startMoto();
    try {
      const standIn = await startStandIn({ backendUrl: moto.url, world: 'demo', clock: { speed: 0 } });
      const c = sdkClients(standIn.url);
      const lbs = await c.elbv2.send(new DescribeLoadBalancersCommand({}));
      expect(lbs.LoadBalancers?.map((l) => l.LoadBalancerName)).toEqual(['web']);
      await standIn.stop();
      Object.values(c).forEach((client: { destroy(): void }) => client.destroy());
      expect(alive(moto.pid)).toBe(true);
    } finally {
      await moto.stop();
    }
  });

  it('serves DynamoDB from dynalite (AWS rules: table names of 3+ characters), emptied by reset; SNS publishes are listed', async () => {
    const standIn = await startStandIn({ world: 'empty', clock: { speed: 0 } });
    const c = sdkClients(standIn.url);
    try {
      await expect(c.dynamodb.send(new CreateTableCommand({ TableName: 'ab', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }))).rejects.toMatchObject({ name: 'ValidationException' });
      await c.dynamodb.send(new CreateTableCommand({ TableName: 'audit', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }));
      // Like AWS, a new table is CREATING for a moment.
      await eventually(async () => ((await c.dynamodb.send(new DescribeTableCommand({ TableName: 'audit' }))).Table?.TableStatus === 'ACTIVE' ? true : undefined));
      await c.dynamodb.send(new PutItemCommand({ TableName: 'audit', Item: { pk: { S: 'change-1' }, verdict: { S: 'block' } } }));
      const item = await c.dynamodb.send(new GetItemCommand({ TableName: 'audit', Key: { pk: { S: 'change-1' } } }));
      expect(item.Item?.verdict?.S).toBe('block');
      const topic = await c.sns.send(new CreateTopicCommand({ Name: 'alerts' }));
      await c.sns.send(new PublishCommand({ TopicArn: topic.TopicArn, Subject: 'Reverted', Message: 'web: weights restored' }));
      const notes = await simJson<{ notifications: unknown[] }>(standIn.url, '/_sim/notifications');
      expect(notes.json.notifications).toEqual([expect.objectContaining({ topicArn: topic.TopicArn, subject: 'Reverted', message: 'web: weights restored', origin: 'api' })]);
      await standIn.reset();
      expect((await c.dynamodb.send(new ListTablesCommand({}))).TableNames).toEqual([]);
      expect((await simJson<{ notifications: unknown[] }>(standIn.url, '/_sim/notifications')).json.notifications).toEqual([]);
    } finally {
      Object.values(c).forEach((client: { destroy(): void }) => client.destroy());
      await standIn.stop();
    }
  });

  it('puts CloudTrail events on the bus after the configured delay', async () => {
    const standIn = await startStandIn({ world: 'demo', clock: { speed: 0 }, cloudTrailDelayMs: 400 });
    const c = sdkClients(standIn.url);
    try {
      await c.elbv2.send(new ModifyListenerCommand({ ListenerArn: standIn.world.resources['listener:web:80'], Port: 8080 }));
      const called = Date.now();
      expect(standIn.events().map((d) => d.status)).toEqual(['pending']);
      await eventually(() => (standIn.events()[0]?.status === 'delivered' ? true : undefined));
      expect(Date.now() - called).toBeGreaterThanOrEqual(350);
    } finally {
      Object.values(c).forEach((client: { destroy(): void }) => client.destroy());
      await standIn.stop();
    }
  });
});
