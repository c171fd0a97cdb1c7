import { DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { Elbv2SnapshotReader } from '../../lambdas/aws/elbv2-snapshot-reader';
import { politeElbv2Client } from '../../lambdas/aws/polite-elbv2-client';
import type { CallContext } from '../../sim/front/interceptor';
import { useStandIn } from '../sim/helpers/stand-in-fixture';

/**
 * The watchdog's ELBv2 client at the wire, on the stand-in (a load balancer with 50 path rules), counted by
 * the front per caller. ELBv2 throttles per account with token buckets: Describe 40 tokens refilling 10/s,
 * and an account-level bucket of the same size every call also draws on
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-api-throttling.html).
 */
const fixture = useStandIn({ world: 'rules-50' });
const made: ElasticLoadBalancingV2Client[] = [];
afterAll(() => made.forEach((c) => c.destroy()));

function client(key: string, share?: { capacity: number; refillPerSecond: number }): ElasticLoadBalancingV2Client {
  const config = { endpoint: fixture.standIn.url, region: fixture.standIn.region, credentials: { accessKeyId: key, secretAccessKey: 'x' } };
  const made1 = share === undefined ? new ElasticLoadBalancingV2Client({ ...config, maxAttempts: 10 }) : politeElbv2Client(config, { share });
  made.push(made1);
  return made1;
}

const wire = (key: string) => fixture.standIn.calls.list({ accessKeyId: key, service: 'elasticloadbalancing' }).totals;

describe('Function: politeElbv2Client', () => {
  it('reads a listener\'s 50 rules with one DescribeRules (pages of 400, AWS\'s largest)', async () => {
    // Prepare
    const reader = new Elbv2SnapshotReader(client('reader', { capacity: 40, refillPerSecond: 10 }));

    // Act
    const snapshot = await reader.readSnapshot(fixture.standIn.world.resources['loadBalancer:shop']);

    // Assess
    expect(snapshot.listeners[0].rules).toHaveLength(50);
    expect(fixture.standIn.calls.list({ accessKeyId: 'reader', action: 'DescribeRules' }).totals.answered).toBe(1);
  });

  it('gets through 50% throttling: every call succeeds, each throttled answer retried once more', async () => {
    // Prepare: half of the ELBv2 calls answered Throttling
    fixture.standIn.faults.configure({ rules: [{ service: 'elasticloadbalancing', throttleRate: 0.5 }], seed: 7 });
    const polite = client('polite-a', { capacity: 40, refillPerSecond: 10 });

    // Act
    const answers = await Promise.all(Array.from({ length: 30 }, () => polite.send(new DescribeTargetGroupsCommand({}))));

    // Assess: 30 successes at the wire, and as many extra calls as throttles
    expect(answers.every((a) => (a.TargetGroups ?? []).length === 52)).toBe(true);
    const counted = wire('polite-a');
    expect(counted.ok).toBe(30);
    expect(counted.throttled).toBeGreaterThan(0);
    expect(counted.answered).toBe(30 + counted.throttled);
  });

  it('spends no share on throttled attempts: 50% throttling takes no longer to be let through than the successes need', async () => {
    // Prepare: half the calls throttled; a share of 10 tokens with a refill too slow to matter in this test
    fixture.standIn.faults.configure({ rules: [{ service: 'elasticloadbalancing', throttleRate: 0.5 }], seed: 11 });
    const polite = client('polite-c', { capacity: 10, refillPerSecond: 0.01 });

    // Act: 10 calls, as many as the share's tokens
    const answers = await Promise.all(Array.from({ length: 10 }, () => polite.send(new DescribeTargetGroupsCommand({ PageSize: 1 }))));

    // Assess: all 10 got through on the 10 tokens, throttled attempts (which AWS took no token for) included;
    // had each throttled attempt spent a token, the retries would wait minutes for the refill
    expect(answers).toHaveLength(10);
    const counted = wire('polite-c');
    expect(counted.ok).toBe(10);
    expect(counted.throttled).toBeGreaterThan(0);
  }, 60_000);

  it('with AWS\'s buckets enforced, keeps a burst within its share and is never throttled', async () => {
    // Prepare: the account's buckets on; a client given half of them; when each of its calls reached the front
    fixture.standIn.faults.configure({ rules: [], elbApiBuckets: true });
    const share = { capacity: 20, refillPerSecond: 5 };
    const polite = client('polite-b', share);
    const arrivals: number[] = [];
    const stop = fixture.standIn.callHooks.add({ before: ({ call }: CallContext) => void (call.accessKeyId === 'polite-b' && arrivals.push(performance.now())) });

    // Act: 60 Describe calls at once
    await Promise.all(Array.from({ length: 60 }, () => polite.send(new DescribeTargetGroupsCommand({ PageSize: 1 })))).finally(stop);

    // Assess: never more calls in a stretch of time than the bucket allows (one call of slack for the way
    // to the front), and none throttled
    for (let i = 0; i < arrivals.length; i++) {
      for (let j = i; j < arrivals.length; j++) expect(j - i + 1).toBeLessThanOrEqual(share.capacity + 1 + (share.refillPerSecond * (arrivals[j] - arrivals[i])) / 1000);
    }
    expect(wire('polite-b')).toMatchObject({ ok: 60, throttled: 0 });
  }, 60_000);
});
