import type { Rule } from '../../rules';
import { pathKey } from '../../traffic/path-label';
import type { SnapshotTraffic } from '../../traffic/traffic-index';
import type { PathTraffic } from '../../traffic/types';
import type { StaticLoadBalancer, StaticPath } from '../static-model';

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
  /** The path it is about, as labelled in the message. */
  readonly path?: string;
  /** The target group it is about (logical id, or name outside the template). */
  readonly targetGroup?: string;
  readonly numbers?: Readonly<Record<string, number>>;
}

/** What a static rule sees: its parameters from the policy, the load balancer, and its traffic. */
export interface StaticRuleContext<P> {
  readonly params: P;
  readonly lb: StaticLoadBalancer;
  readonly traffic: SnapshotTraffic;
  /** The same load balancer with no listeners: before deploy, to the core's rules every path is new. */
  readonly baseline: SnapshotTraffic;
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

/** Where a path lives in the template. */
export function staticPathOf(lb: StaticLoadBalancer, path: PathTraffic): StaticPath | undefined {
  return lb.paths.get(pathKey(path.path));
}

/** `1 target`, `3 targets`. */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
