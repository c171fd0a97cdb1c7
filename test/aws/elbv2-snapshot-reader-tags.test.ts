import { Elbv2SnapshotReader } from '../../lambdas/aws/elbv2-snapshot-reader';
import { politeElbv2Client } from '../../lambdas/aws/polite-elbv2-client';
import type { LoadBalancerSnapshot } from '../../lambdas/core/model/snapshot';
import { emptyScope } from '../../lambdas/core/workflow/read-scope';
import { fleetName } from '../../sim/worlds/fleet-world';
import { useStandIn } from '../sim/helpers/stand-in-fixture';

/**
 * One reader serves the judges of a batch's load balancers (up to 10 at once): their tag reads go together,
 * up to 20 ARNs a DescribeTags call, as AWS allows
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeTags.html: ResourceArns,
 * "You can specify up to 20 resources in a single call"). Counted at the stand-in's front.
 */
describe('Class: Elbv2SnapshotReader, tags', () => {
  const fixture = useStandIn({ world: 'fleet-20' });
  const arnOf = (i: number) => fixture.standIn.world.resources[`loadBalancer:${fleetName(i)}`] as string;

  async function setUp(key: string) {
    const client = politeElbv2Client(
      { endpoint: fixture.standIn.url, region: fixture.standIn.region, credentials: { accessKeyId: key, secretAccessKey: 'x' } },
      // One call at once, then one every second: requests pile up behind a call waiting for its token.
      { share: { capacity: 1, refillPerSecond: 1 } },
    );
    const reader = new Elbv2SnapshotReader(client);
    const bases: LoadBalancerSnapshot[] = [];
    for (let i = 1; i <= 10; i++) bases.push(structuredClone(await new Elbv2SnapshotReader(politeElbv2Client({ endpoint: fixture.standIn.url, region: fixture.standIn.region, credentials: { accessKeyId: `${key}-setup`, secretAccessKey: 'x' } })).readSnapshot(arnOf(i))));
    const tagsScope = { ...emptyScope(), loadBalancerTags: true };
    const calls = () => fixture.standIn.calls.list({ accessKeyId: key, action: 'DescribeTags' }).totals.answered;
    return { client, reader, bases, tagsScope, calls };
  }

  it('reads the tags of 10 load balancers with fewer DescribeTags calls than load balancers, each its own', async () => {
    const { client, reader, bases, tagsScope, calls } = await setUp('tags-a');

    const refreshed = await Promise.all(bases.map((base) => reader.refresh(base, tagsScope)));

    expect(refreshed.map((s) => s.loadBalancer.tags)).toEqual(bases.map((b) => b.loadBalancer.tags));
    expect(calls()).toBeLessThan(10);
    expect(calls()).toBeGreaterThan(0);
    client.destroy();
  }, 60_000);
});
