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

  it('refuses an invalid configuration naming the field', () => {
    expect(() => new DeliveryFaults().configure({ rules: [{ dropRate: 2 }] })).toThrow(/dropRate/);
    expect(() => new DeliveryFaults().configure({ script: [{ dorp: true }] })).toThrow(/dorp/);
  });
});
