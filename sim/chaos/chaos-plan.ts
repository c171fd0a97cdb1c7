import { mulberry32 } from '../faults/prng';

/**
 * What a chaos run does, drawn from one seed before it starts: the fleet, the changes (each labelled safe or
 * unsafe by the generator itself, from the state it sets, never by asking the watchdog), the faults and the
 * crash points. A plan is plain data: it goes into the run's trace as it is.
 */

/** Who makes a change: a person (IAM user), a pipeline (an assumed role), EC2 Auto Scaling, or a trusted bot. */
export type ChaosActor = 'person' | 'pipeline' | 'scaler' | 'trusted';

/** Default-action weights of the listener, A (4 targets) / B (1 target). */
export const WEIGHTS = { a100: [100, 0], a90b10: [90, 10], a75b25: [75, 25], b100: [0, 100], a20b80: [20, 80] } as const;
/** A weights setting by name. */
export type WeightsName = keyof typeof WEIGHTS;
/** Weights that leave no target above half of the default class: the generator's own label. */
export const SAFE_WEIGHTS: readonly WeightsName[] = ['a100', 'a90b10', 'a75b25'];

/** One change of the plan. */
export type ChaosChange =
  /** ModifyListener: the default action's weights. */
  | { readonly kind: 'weights'; readonly value: WeightsName }
  /** ModifyRule: the `/api/*` rule forwards to A (4 targets: safe) or B (1 target: unsafe). */
  | { readonly kind: 'api-rule'; readonly value: 'A' | 'B' }
  /** SetRulePriorities: swaps the two rules (their paths do not overlap: routing unchanged, safe). */
  | { readonly kind: 'swap-priorities' }
  /** DeregisterTargets / RegisterTargets on group C (3 targets, behind `/admin/*`): down to `value` targets, or back to 3. */
  | { readonly kind: 'scale'; readonly value: 1 | 2 | 3 };

/** One step: who changes which load balancer when (ms after the start), and the generator's label. */
export type ChaosStep = ChaosChange & {
  readonly id: number;
  readonly atMs: number;
  readonly lb: number;
  readonly actor: ChaosActor;
  readonly label: 'safe' | 'unsafe';
  /** Set on the second change of a pair made to one load balancer within 100 ms. */
  readonly pairOf?: number;
  /** Set on changes of one burst (many load balancers at once). */
  readonly burst?: number;
};

/** A crash point of the runner (see `runner.crashWhen`). */
export interface ChaosCrash {
  readonly name: 'after-revert' | 'before-audit-record' | 'before-notification' | 'after-notification';
  readonly function: 'on-change' | 'audit';
  readonly service: string;
  readonly action: string;
  readonly phase: 'before' | 'after';
  readonly paramsContain?: string;
  readonly skip: number;
}

/** The whole plan of one run. */
export interface ChaosPlan {
  readonly seed: number;
  /** `enforced`: people and pipelines change it; `trusted`: a bot the policy trusts does. Scalers act on both. */
  readonly loadBalancers: readonly { readonly name: string; readonly owner: 'enforced' | 'trusted' }[];
  readonly steps: readonly ChaosStep[];
  /** Times (ms after the start) at which the sim clock jumps an audit period: scheduled audits run among the changes. */
  readonly auditsAtMs: readonly number[];
  /** The body of `POST /_sim/faults`. */
  readonly faults: Record<string, unknown>;
  readonly crashes: readonly ChaosCrash[];
}

/** How big a run is. */
export interface ChaosSize {
  readonly loadBalancers: number;
  readonly changes: number;
  /** Real milliseconds the changes are spread over. */
  readonly spanMs: number;
  readonly crashes: number;
}

/** `npm test`'s size: a few load balancers, a few dozen changes. */
export const BOUNDED: ChaosSize = { loadBalancers: 3, changes: 14, spanMs: 4_000, crashes: 2 };

const CRASH_POINTS: readonly Omit<ChaosCrash, 'skip'>[] = [
  // After the revert's call reached ELB, before the function saw the answer.
  { name: 'after-revert', function: 'on-change', service: 'elasticloadbalancing', action: 'ModifyListener', phase: 'after' },
  { name: 'after-revert', function: 'on-change', service: 'elasticloadbalancing', action: 'ModifyRule', phase: 'after' },
  { name: 'before-audit-record', function: 'on-change', service: 'dynamodb', action: 'PutItem', phase: 'before', paramsContain: '"AUDIT#' },
  { name: 'before-notification', function: 'on-change', service: 'sns', action: 'Publish', phase: 'before' },
  { name: 'after-notification', function: 'on-change', service: 'sns', action: 'Publish', phase: 'after' },
  { name: 'before-notification', function: 'audit', service: 'sns', action: 'Publish', phase: 'before' },
];

/** Draws a plan from a seed. */
export function generatePlan(seed: number, size: ChaosSize = BOUNDED): ChaosPlan {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  // Every third load balancer belongs to the trusted bot.
  const loadBalancers = Array.from({ length: size.loadBalancers }, (_, i) => ({ name: `chaos-${i + 1}`, owner: i % 3 === 2 ? ('trusted' as const) : ('enforced' as const) }));
  const steps: ChaosStep[] = [];
  const reapplied = new Map<string, number>();
  let burst = 0;
  const draw = (lb: number, atMs: number, extra: Partial<ChaosStep> = {}): ChaosStep | undefined => {
    const owner = loadBalancers[lb]?.owner;
    const actor: ChaosActor = random() < 0.2 ? 'scaler' : owner === 'trusted' ? 'trusted' : random() < 0.5 ? 'person' : 'pipeline';
    const change = drawChange(actor, pick, random);
    const label = labelOf(change);
    // A pipeline re-applying one unsafe setting over and over is a fight (tested on its own): at most twice here.
    const key = `${lb}/${actor}/${JSON.stringify(change)}`;
    if (label === 'unsafe' && (reapplied.get(key) ?? 0) >= 2) return undefined;
    reapplied.set(key, (reapplied.get(key) ?? 0) + 1);
    return { ...change, id: steps.length + 1, atMs: Math.round(atMs), lb, actor, label, ...extra } as ChaosStep;
  };
  while (steps.length < size.changes) {
    const atMs = random() * size.spanMs;
    const roll = random();
    if (roll < 0.12) {
      // A burst: several load balancers within 200 ms.
      burst += 1;
      for (let i = 0; i < 4 && steps.length < size.changes; i++) {
        const step = draw(Math.floor(random() * loadBalancers.length), atMs + random() * 200, { burst });
        if (step) steps.push(step);
      }
    } else if (roll < 0.3) {
      // Two changes to one load balancer within 100 ms.
      const lb = Math.floor(random() * loadBalancers.length);
      const first = draw(lb, atMs);
      if (!first) continue;
      steps.push(first);
      const second = draw(lb, atMs + 10 + random() * 90, { pairOf: first.id });
      if (second && steps.length < size.changes) steps.push(second);
    } else {
      const step = draw(Math.floor(random() * loadBalancers.length), atMs);
      if (step) steps.push(step);
    }
  }
  steps.sort((a, b) => a.atMs - b.atMs || a.id - b.id);
  const crashes = Array.from({ length: size.crashes }, () => ({ ...pick(CRASH_POINTS), skip: Math.floor(random() * 3) }));
  return {
    seed,
    loadBalancers,
    steps,
    auditsAtMs: [Math.round(size.spanMs * (0.3 + random() * 0.4))],
    faults: chaosFaults(seed, steps.length, random),
    crashes,
  };
}

function drawChange(actor: ChaosActor, pick: <T>(items: readonly T[]) => T, random: () => number): ChaosChange {
  if (actor === 'scaler') return { kind: 'scale', value: pick([1, 2, 3] as const) };
  const roll = random();
  if (roll < 0.55) return { kind: 'weights', value: pick(Object.keys(WEIGHTS) as WeightsName[]) };
  if (roll < 0.85) return { kind: 'api-rule', value: random() < 0.5 ? 'A' : 'B' };
  return { kind: 'swap-priorities' };
}

/** The generator's label: unsafe when the state the change sets sends a class to one target. */
export function labelOf(change: ChaosChange): 'safe' | 'unsafe' {
  switch (change.kind) {
    case 'weights':
      return SAFE_WEIGHTS.includes(change.value) ? 'safe' : 'unsafe';
    case 'api-rule':
      return change.value === 'A' ? 'safe' : 'unsafe';
    case 'swap-priorities':
      return 'safe';
    case 'scale':
      return change.value === 1 ? 'unsafe' : 'safe';
  }
}

/**
 * The faults of a run: ELBv2 throttling and 5xx, DynamoDB and SNS errors, added latency, and CloudTrail's
 * delivery faults (best effort: lost, duplicated, late, out of order). Rates are low enough that the SDK's
 * retries and the queue's redeliveries get through, high enough that every kind happens in a run.
 */
export function chaosFaults(seed: number, changes: number, random: () => number): Record<string, unknown> {
  const rates = { dropRate: 0.04, duplicateRate: 0.1, delayRate: 0.1, delayMs: 1_500, reorderRate: 0.1 };
  // The first events' fates are drawn here, with one loss among the changes' events for certain: a run that
  // loses nothing would not show that the audit catches what was lost. Later events follow the rules.
  const script = Array.from({ length: changes }, () => ({
    drop: random() < rates.dropRate,
    duplicates: random() < rates.duplicateRate ? 1 : 0,
    delayMs: random() < rates.delayRate ? rates.delayMs : 0,
    reorder: random() < rates.reorderRate,
  })).map((fate) => (fate.drop ? { drop: true, duplicates: 0, delayMs: 0, reorder: false } : fate));
  if (!script.some((fate) => fate.drop) && script.length > 0) script[Math.floor(random() * script.length)] = { drop: true, duplicates: 0, delayMs: 0, reorder: false };
  return {
    seed,
    // ELBv2's own token buckets (Describe 40 + 10/s, shared by the account) besides the random faults.
    elbApiBuckets: true,
    rules: [
      { service: 'elasticloadbalancing', throttleRate: 0.01, errorRate: 0.01, latencyMs: 5 },
      { service: 'dynamodb', errorRate: 0.02, latencyMs: 3 },
      { service: 'sns', errorRate: 0.05, latencyMs: 10 },
    ],
    cloudTrail: { seed, reorderHoldMs: 1_500, script, rules: [rates] },
  };
}
