import { CloudTrailFaultsSchema, type CloudTrailFaults, type DeliveryFate } from './fault-config';
import { mulberry32 } from './prng';

/** A fate as decided for one event, with where it came from. */
export type DeliveryDecision = DeliveryFate & { readonly seq: number; readonly eventName: string; readonly source: 'script' | 'rules'; readonly mismatch?: true };

/** The fate of an event nothing happens to. */
export const PLAIN_DELIVERY: DeliveryFate = { drop: false, duplicates: 0, delayMs: 0, reorder: false };

// Bounded memory for long sessions; a trace longer than this is replayed in parts.
const MAX_DECISIONS = 100_000;

/**
 * Decides, in call order, what happens to each CloudTrail event on its way to the bus: from a script (replay)
 * while it lasts, then from seeded rules. Every decision is kept, so a run's fates can be posted back as the
 * script of the next run and the same events meet the same fates whatever the timing.
 */
export class DeliveryFaults {
  private config: CloudTrailFaults = CloudTrailFaultsSchema.parse({});
  private random = mulberry32(1);
  private decisions: DeliveryDecision[] = [];
  private seq = 0;
  private mismatches = 0;

  /** Replaces the rules and script; `fallbackSeed` seeds the PRNG unless the config has its own seed. */
  configure(input: unknown, fallbackSeed = 1): CloudTrailFaults {
    this.config = CloudTrailFaultsSchema.parse(input ?? {});
    this.random = mulberry32(this.config.seed ?? fallbackSeed);
    this.decisions = [];
    this.seq = 0;
    this.mismatches = 0;
    return this.config;
  }

  /** How long a reordered event waits for a later one before it goes anyway. */
  get reorderHoldMs(): number {
    return this.config.reorderHoldMs;
  }

  /** The fate of the next event in call order. */
  decide(eventName: string, eventID?: string): DeliveryDecision {
    const seq = ++this.seq;
    const scripted = this.config.script?.[seq - 1];
    let decision: DeliveryDecision;
    if (scripted) {
      const mismatch = scripted.eventName !== undefined && scripted.eventName !== eventName;
      if (mismatch) this.mismatches++;
      const { drop, duplicates, delayMs, reorder } = scripted;
      decision = { seq, eventName, ...(eventID ? { eventID } : {}), drop, duplicates, delayMs, reorder, source: 'script', ...(mismatch ? { mismatch: true as const } : {}) };
    } else {
      decision = { seq, eventName, ...(eventID ? { eventID } : {}), ...this.fromRules(eventName), source: 'rules' };
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
