import { deliveryIdentity } from '../../../sim/cloudtrail/delivery-identity';
import { DeliveryFaults } from '../../../sim/faults/delivery-faults';

const NAMES = ['ModifyListener', 'CreateRule', 'RegisterTargets', 'ModifyListener', 'DeleteRule', 'ModifyRule'];

function decideAll(faults: DeliveryFaults, names: readonly string[] = NAMES, times = 10) {
  return Array.from({ length: times }, () => names).flat().map((n) => faults.decide(n));
}

describe('Faults: DeliveryFaults', () => {
  it('decides the same fates for the same seed and events, and different ones for another seed', () => {
    const run = (seed: number) => {
      const f = new DeliveryFaults();
      f.configure({ rules: [{ dropRate: 0.2, duplicateRate: 0.2, delayRate: 0.2, delayMs: 100, reorderRate: 0.2 }], seed });
      return decideAll(f).map(({ drop, duplicates, delayMs, reorder }) => ({ drop, duplicates, delayMs, reorder }));
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
    const fates = run(7);
    for (const key of ['drop', 'reorder'] as const) expect(fates.some((f) => f[key])).toBe(true);
    expect(fates.some((f) => f.duplicates > 0)).toBe(true);
    expect(fates.some((f) => f.delayMs === 100)).toBe(true);
    // A dropped event has no other fate.
    expect(fates.filter((f) => f.drop).every((f) => f.duplicates === 0 && f.delayMs === 0 && !f.reorder)).toBe(true);
  });

  it('applies a rule only to its eventName', () => {
    const f = new DeliveryFaults();
    f.configure({ rules: [{ eventName: 'CreateRule', dropRate: 1 }] });
    const decided = decideAll(f, NAMES, 1);
    expect(decided.filter((d) => d.drop).map((d) => d.eventName)).toEqual(['CreateRule']);
    expect(f.describe().stats).toMatchObject({ decided: 6, dropped: 1 });
  });

  it('replays a recorded decision list exactly, then follows the rules; a different event at a position is a mismatch', () => {
    // Prepare: record a run.
    const recorder = new DeliveryFaults();
    recorder.configure({ rules: [{ dropRate: 0.3, reorderRate: 0.3, duplicateRate: 0.3 }], seed: 99 });
    decideAll(recorder, NAMES, 2);
    const recorded = recorder.describe().decisions;
    // Act: replay with rules that would decide differently.
    const replay = new DeliveryFaults();
    replay.configure({ script: recorded, rules: [{ dropRate: 1 }] });
    const replayed = decideAll(replay, NAMES, 2);
    // Assess
    const fate = ({ drop, duplicates, delayMs, reorder }: { drop: boolean; duplicates: number; delayMs: number; reorder: boolean }) => ({ drop, duplicates, delayMs, reorder });
    expect(replayed.map(fate)).toEqual(recorded.map(fate));
    expect(replayed.every((d) => d.source === 'script')).toBe(true);
    expect(replay.decide('ModifyListener')).toMatchObject({ drop: true, source: 'rules', seq: 13 });
    const other = new DeliveryFaults();
    other.configure({ script: recorded });
    other.decide('DeleteTargetGroup');
    expect(other.describe().stats.scriptMismatches).toBe(1);
    expect(other.describe().decisions[0]).toMatchObject({ mismatch: true, eventName: 'DeleteTargetGroup' });
  });

  it('replays a recorded run by key: each event meets its own fate in any order, an event the run did not have is plain', () => {
    // Prepare: a run of six calls by two callers, recorded with their keys; one fate of each kind, by rules
    const calls = [
      ['alice ModifyListener aa', 'ModifyListener'],
      ['alice ModifyListener aa', 'ModifyListener'],
      ['role/on-change ModifyListener bb', 'ModifyListener'],
      ['bob CreateRule cc', 'CreateRule'],
      ['alice DeleteRule dd', 'DeleteRule'],
      ['bob ModifyRule ee', 'ModifyRule'],
    ] as const;
    const recorder = new DeliveryFaults();
    recorder.configure({ rules: [{ dropRate: 0.3, reorderRate: 0.3, duplicateRate: 0.3, delayRate: 0.3, delayMs: 50 }], seed: 5 });
    const recorded = calls.map(([identity, name]) => recorder.decide(name, undefined, identity));
    expect(recorded.map((d) => d.key)).toEqual(['alice ModifyListener aa #1', 'alice ModifyListener aa #2', 'role/on-change ModifyListener bb #1', 'bob CreateRule cc #1', 'alice DeleteRule dd #1', 'bob ModifyRule ee #1']);

    // Act: replay with the calls in reverse order, one the run did not have first
    const replay = new DeliveryFaults();
    replay.configure({ script: recorder.describe().decisions, rules: [{ dropRate: 1 }] });
    const extra = replay.decide('ModifyListener', undefined, 'role/on-change ModifyListener ff');
    const replayed = [...calls].reverse().map(([identity, name]) => replay.decide(name, undefined, identity));

    // Assess: every recorded key met its fate, whatever its position (equal calls are told apart by their
    // order among themselves: the n-th equal call gets the n-th's fate); the extra event plain, not the rules' drop
    const byKey = (decisions: readonly { key?: string; drop: boolean; duplicates: number; delayMs: number; reorder: boolean }[]) =>
      Object.fromEntries(decisions.map(({ key, drop, duplicates, delayMs, reorder }) => [key, { drop, duplicates, delayMs, reorder }]));
    expect(byKey(replayed)).toEqual(byKey(recorded));
    expect(recorded.some((d) => d.drop || d.duplicates > 0 || d.delayMs > 0 || d.reorder)).toBe(true);
    expect(extra).toMatchObject({ drop: false, duplicates: 0, delayMs: 0, reorder: false, mismatch: true });
    expect(replay.describe().stats.scriptMismatches).toBe(1);
  });

  it('names a call the same way in a fresh world: resource and instance IDs left out, the role instead of the access key', () => {
    const event = (lb: string, instance: string, accessKeyId: string) => ({
      eventName: 'RegisterTargets',
      userIdentity: { type: 'AssumedRole', accessKeyId, arn: 'arn:aws:sts::123456789012:assumed-role/judge/WatchdogJudge', sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::123456789012:role/judge' } } },
      requestParameters: { targetGroupArn: `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-green/${lb}`, targets: [{ id: instance, port: 80 }] },
    });

    const first = deliveryIdentity(event('943f017f100becff', 'i-0a1b2c3d4e5f60718', 'elb-watchdog.on-change.1'));
    const again = deliveryIdentity(event('50dc6c495c0c9188', 'i-09f8e7d6c5b4a3921', 'elb-watchdog.on-change.2'));
    const otherGroup = deliveryIdentity({ ...event('943f017f100becff', 'i-0a1b2c3d4e5f60718', 'x'), requestParameters: { targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-blue/943f017f100becff' } });

    expect(again).toBe(first);
    expect(first).toMatch(/^arn:aws:iam::123456789012:role\/judge RegisterTargets [0-9a-f]{16}$/);
    expect(otherGroup).not.toBe(first);
  });

  it('refuses an invalid configuration naming the field', () => {
    expect(() => new DeliveryFaults().configure({ rules: [{ dropRate: 2 }] })).toThrow(/dropRate/);
    expect(() => new DeliveryFaults().configure({ script: [{ dorp: true }] })).toThrow(/dorp/);
  });
});
