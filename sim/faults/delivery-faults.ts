import { CloudTrailFaultsSchema, type CloudTrailFaults, type DeliveryFate } from './fault-config';
import { mulberry32 } from './prng';

/** A fate as decided for one event, with where it came from. */
export type DeliveryDecision = DeliveryFate & {
  readonly seq: number;
  readonly eventName: string;
  readonly key?: string;
  readonly source: 'script' | 'rules';
  readonly mismatch?: true;
};

/** The fate of an event nothing happens to. */
export const PLAIN_DELIVERY: DeliveryFate = { drop: false, duplicates: 0, delayMs: 0, reorder: false };

// Bounded memory for long sessions; a trace longer than this is replayed in parts.
const MAX_DECISIONS = 100_000;

/**
 * Decides what happens to each CloudTrail event on its way to the bus: from a script (replay), then from
 * seeded rules. Every decision is kept with the event's key, so a run's fates can be posted back as the script
 * of the next run and the same events meet the same fates whatever the timing: runs are concurrent, so the
 * n-th event of a replay is often not the n-th of the run it replays, but an event's key stays the same.
 * A script without keys goes by position (a plan's "the first N deliveries").
 */
export class DeliveryFaults {
  private config: CloudTrailFaults = CloudTrailFaultsSchema.parse({});
  private random = mulberry32(1);
  private decisions: DeliveryDecision[] = [];
  private seq = 0;
  private mismatches = 0;
  /** A keyed script's fates by key, each used once; undefined for a positional script or none. */
  private byKey: Map<string, DeliveryFate> | undefined;
  /** Occurrences so far of each call identity: the `#n` of its key. */
  private readonly occurrences = new Map<string, number>();

  /** Replaces the rules and script; `fallbackSeed` seeds the PRNG unless the config has its own seed. */
  configure(input: unknown, fallbackSeed = 1): CloudTrailFaults {
    this.config = CloudTrailFaultsSchema.parse(input ?? {});
    this.random = mulberry32(this.config.seed ?? fallbackSeed);
    this.decisions = [];
    this.seq = 0;
    this.mismatches = 0;
    this.occurrences.clear();
    const script = this.config.script ?? [];
    this.byKey = script.some((entry) => entry.key !== undefined)
      ? new Map(script.flatMap((entry) => (entry.key === undefined ? [] : [[entry.key, { drop: entry.drop, duplicates: entry.duplicates, delayMs: entry.delayMs, reorder: entry.reorder }] as const])))
      : undefined;
    return this.config;
  }

  /** How long a reordered event waits for a later one before it goes anyway. */
  get reorderHoldMs(): number {
    return this.config.reorderHoldMs;
  }

  /**
   * The fate of the next event. `identity` says which call it is whatever the timing (see `deliveryIdentity`);
   * its occurrence among equal calls completes the event's key.
   */
  decide(eventName: string, eventID?: string, identity?: string): DeliveryDecision {
    const seq = ++this.seq;
    let key: string | undefined;
    if (identity !== undefined) {
      const n = (this.occurrences.get(identity) ?? 0) + 1;
      this.occurrences.set(identity, n);
      key = `${identity} #${n}`;
    }
    const known = { seq, eventName, ...(eventID ? { eventID } : {}), ...(key ? { key } : {}) };
    let decision: DeliveryDecision;
    if (this.byKey !== undefined) {
      // Replay by key: an event the recorded run did not have (a revert that went differently) is plain.
      const scripted = key === undefined ? undefined : this.byKey.get(key);
      if (scripted === undefined) this.mismatches++;
      else this.byKey.delete(key as string);
      decision = { ...known, ...(scripted ?? PLAIN_DELIVERY), source: 'script', ...(scripted === undefined ? { mismatch: true as const } : {}) };
    } else {
      const scripted = this.config.script?.[seq - 1];
      if (scripted) {
        const mismatch = scripted.eventName !== undefined && scripted.eventName !== eventName;
        if (mismatch) this.mismatches++;
        const { drop, duplicates, delayMs, reorder } = scripted;
        decision = { ...known, drop, duplicates, delayMs, reorder, source: 'script', ...(mismatch ? { mismatch: true as const } : {}) };
      } else {
        decision = { ...known, ...this.fromRules(eventName), source: 'rules' };
      }
    }
    if (this.decisions.length < MAX_DECISIONS) this.decisions.push(decision);
    return decision;
  }

  /** The configuration, every decision so far (post them back as `script` to replay), and counters. */
  describe(): CloudTrailFaults & { decisions: DeliveryDecision[]; stats: { decided: number; dropped: number; duplicated: number; delayed: number; reordered: number; scriptMismatches: number } } {
    const count = (f: (d: DeliveryDecision) => boolean): number => this.decisions.filter(f).length;
    return {
      ...this.config,
      decisions: [...this.decisions],
      stats: {
        decided: this.seq,
        dropped: count((d) => d.drop),
        duplicated: count((d) => !d.drop && d.duplicates > 0),
        delayed: count((d) => !d.drop && d.delayMs > 0),
        reordered: count((d) => !d.drop && d.reorder),
        scriptMismatches: this.mismatches,
      },
    };
  }

  // Each matching rule draws all four fates, so one rule's outcome never shifts another's random stream.
  private fromRules(eventName: string): DeliveryFate {
    const fate = { ...PLAIN_DELIVERY };
    for (const rule of this.config.rules) {
      if (rule.eventName && rule.eventName !== eventName) continue;
      const [drop, duplicate, delay, reorder] = [this.random(), this.random(), this.random(), this.random()];
      if (drop < rule.dropRate) fate.drop = true;
      if (duplicate < rule.duplicateRate) fate.duplicates += 1;
      if (delay < rule.delayRate) fate.delayMs += rule.delayMs;
      if (reorder < rule.reorderRate) fate.reorder = true;
    }
    // A dropped event has no other fate.
    return fate.drop ? { ...PLAIN_DELIVERY, drop: true } : { ...fate, duplicates: Math.min(fate.duplicates, 5) };
  }
}
