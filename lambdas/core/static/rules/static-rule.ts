import type { Rule } from '../../rules';
import type { ClassComparison, RoutingComparison } from '../../routing/compare-routing';
import type { ClassRef } from '../../policy/verdict';
import { placeKey, type StaticLoadBalancer, type StaticPlace } from '../static-model';

/** How bad a static finding is: errors fail CI and `cdk synth`, warnings are reported. */
export type StaticSeverity = 'error' | 'warning';

/** One observation of a static rule about one resource of a template. */
export interface RuleFinding {
  readonly ruleId: string;
  readonly severity: StaticSeverity;
  /** The resource to change: the listener or rule of a path, or a target group. */
  readonly logicalId: string;
  readonly resourceType: string;
  /** One sentence with the numbers: "listener HTTP:80 of LB web sends 100% to target group Green (1 target): limit 50%". */
  readonly message: string;
  readonly loadBalancer?: string;
  /** The request class it is about, in words (`requests to /api/* on HTTP:80`). */
  readonly requestClass?: string;
  /** The target group it is about (logical id, or name outside the template). */
  readonly targetGroup?: string;
  readonly numbers?: Readonly<Record<string, number>>;
}

/**
 * What a static rule sees: its parameters from the policy, the load balancer, and every request class
 * of it routed as the template says (no "before": before deploy, every route is new).
 */
export interface StaticRuleContext<P> {
  readonly params: P;
  readonly lb: StaticLoadBalancer;
  readonly routing: RoutingComparison;
}

/**
 * One static rule: the template-time form of a core rule. Its id is the core rule's, and so are its
 * policy settings (`rules.<id>.enabled` and the parameters); the judging is the core's where the core
 * can judge without a live baseline, and the rule maps the core's findings onto template resources.
 */
export interface StaticRule<P extends object = object> {
  readonly id: string;
  readonly title: string;
  /** The severity of the rule's main finding. */
  readonly severity: StaticSeverity;
  readonly rationale: string;
  /** The core rule whose policy settings apply. */
  readonly policyRule: Rule<P>;
  evaluate(context: StaticRuleContext<P>): RuleFinding[];
}

/** Declares a static rule with its parameter types taken from its core rule. */
export function defineStaticRule<P extends object>(rule: StaticRule<P>): StaticRule<P> {
  return rule;
}

/** Where the rule (or listener default) that handles a class lives in the template. */
export function staticPlaceOf(lb: StaticLoadBalancer, ref: ClassRef | undefined): StaticPlace | undefined {
  return ref === undefined ? undefined : lb.places.get(placeKey(ref.listenerArn, ref.ruleArn));
}

/** The class comparison a finding is about. */
export function comparisonOf(routing: RoutingComparison, ref: ClassRef | undefined): ClassComparison | undefined {
  return ref === undefined ? undefined : routing.classes.find((c) => c.requestClass.label === ref.label && c.requestClass.listenerPort === ref.listenerPort);
}

/** `1 target`, `3 targets` (or the given plural). */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
