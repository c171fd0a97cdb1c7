import type { RoutingComparison } from '../routing/compare-routing';

/** What the policy says about a change. */
export type Decision = 'allow' | 'warn' | 'block';

/** How the watchdog acts on a blocked change for one load balancer. */
export type Mode = 'enforce' | 'dry-run' | 'off';

/** The severity of one finding: `block` findings make the verdict block. */
export type Severity = 'block' | 'warn' | 'info';

/** The request class a finding is about, as people and tools name it. */
export interface ClassRef {
  /** The listener of the class (after the change; before, when the change deleted it). */
  readonly listenerArn: string;
  readonly listenerPort: number;
  /** `HTTP:80`. */
  readonly listenerLabel: string;
  /** `requests to /api/* on HTTP:80`. */
  readonly label: string;
  /** The rule that handles the class after the change: `rule 10`, `the default rule`. */
  readonly rule: string;
  /** That rule's ARN (absent for the default rule). */
  readonly ruleArn?: string;
}

/** One observation of one rule, with the numbers a person needs to judge it. */
export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  /** One sentence: "requests to /api/* on HTTP:80, rule 10: 4 healthy targets → 1; i-0abc would receive 100%, was 25%". */
  readonly message: string;
  readonly requestClass?: ClassRef;
  readonly targetId?: string;
  readonly targetGroupArn?: string;
  /** The figures behind the message, e.g. `{ after: 1, before: 0.25, limit: 0.5 }`. */
  readonly numbers?: Readonly<Record<string, number>>;
}

/** The policy's judgement of one change. */
export interface Verdict {
  readonly decision: Decision;
  readonly findings: readonly Finding[];
  /** Where every request class goes before (last known good) and after the change. */
  readonly routing?: RoutingComparison;
  /** Whether load (metrics) took part, or the verdict fell back to shares and why; absent when `capacity-headroom` is off. */
  readonly load?: { readonly basis: 'metrics' } | { readonly basis: 'shares'; readonly reason: string };
}

/** What the watchdog does about a verdict, given the mode and any break-glass. */
export type EnforcementAction =
  /** Allowed or warned: nothing to undo; the new state becomes last known good when allowed. */
  | 'none'
  /** Blocked in enforce mode: the revert plan is applied. */
  | 'revert'
  /** Blocked in dry-run mode: people are told what would have been reverted. */
  | 'would-revert'
  /** Blocked while a break-glass is active: left alone, people are told. */
  | 'suspended-by-break-glass'
  /** The load balancer is in mode `off`: not judged. */
  | 'off'
  /** Blocked, made by an actor the policy judges but never reverts (a scaler): told, left alone. */
  | 'judge-only'
  /** Made by actors the policy trusts: recorded only. */
  | 'trusted'
  /** Blocked in a fight the policy yields to after N rounds: told, left alone. */
  | 'yield';

/** An active break-glass: enforcement suspended for one load balancer until `expiresAt`. */
export interface BreakGlass {
  readonly loadBalancerArn: string;
  /** ISO-8601. */
  readonly startedAt: string;
  /** ISO-8601. */
  readonly expiresAt: string;
  readonly reason: string;
  /** Who opened it: the caller's authenticated identity (an IAM ARN, from STS GetCallerIdentity). */
  readonly by: string;
  /** What the person added about who is responsible (`--by`): a note, never taken as the identity. */
  readonly note?: string;
}
