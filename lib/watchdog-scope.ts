import { Fn, Token } from 'aws-cdk-lib';
import type { Scope } from '../lambdas/core/config/watchdog-environment';

/** An ELBv2 load balancer ARN: `arn:PARTITION:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/app|net|gwy/NAME/ID`. */
const LOAD_BALANCER_ARN = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/(app|net|gwy)\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/;
/** A Classic load balancer ARN (`loadbalancer/NAME`): not guarded, the watchdog judges ELBv2 only. */
const CLASSIC_ARN = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/[A-Za-z0-9-]+$/;
/** Tag keys as ELBv2 accepts them (1–128 characters, no `aws:` prefix). */
const TAG_KEY = /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;

/** The ARN patterns one scoped IAM statement may name, per ELBv2 resource type. */
export interface ScopedResourceArns {
  readonly loadBalancers: string[];
  readonly listeners: string[];
  readonly listenerRules: string[];
  readonly targetGroups: string[];
}

/**
 * Which load balancers the watchdog guards: all of them, those with a tag, or a list of ARNs.
 *
 * The scope limits both what the handlers judge and what the revert may modify (IAM).
 */
export abstract class WatchdogScope {
  /** Every ALB, NLB and GWLB of the account and Region. */
  public static all(): WatchdogScope {
    return new AllScope();
  }

  /**
   * Load balancers carrying tag `key` (with `value`, when given).
   *
   * ELBv2 tags are not inherited: the revert's IAM policy is conditioned on `aws:ResourceTag/KEY`, so the
   * listeners, rules and target groups the watchdog may restore must carry the tag too
   * (`Tags.of(scope).add(key, value)` in a CDK app tags them all).
   */
  public static byTag(key: string, value?: string): WatchdogScope {
    return new TagScope(key, value);
  }

  /** The load balancers with these ARNs (literal ARNs or tokens such as `alb.loadBalancerArn`). */
  public static loadBalancers(arns: readonly string[]): WatchdogScope {
    return new ArnScope(arns);
  }

  /** The scope as the handlers read it (`WATCHDOG_SCOPE`, `ScopeSchema`). */
  public abstract toScope(): Scope;

  /**
   * The IAM resources a revert may modify, given the account's ELBv2 ARN prefix
   * (`arn:PARTITION:elasticloadbalancing:REGION:ACCOUNT:`).
   */
  public abstract resourceArns(arnPrefix: string): ScopedResourceArns;

  /** The IAM condition every revert statement on an existing resource carries, if any. */
  public abstract condition(): Record<string, Record<string, string>> | undefined;

  /**
   * The IAM condition on a create (a revert re-creating a deleted listener or rule). A resource tag cannot
   * govern a create, the resource does not exist yet: the request must carry the scope's tag instead.
   */
  public requestCondition(): Record<string, Record<string, string>> | undefined {
    return undefined;
  }

  /** Problems with the scope, as messages naming the field (empty when valid). */
  public abstract validate(): string[];
}

/** Every load balancer of the account and Region. */
class AllScope extends WatchdogScope {
  public toScope(): Scope {
    return { type: 'all' };
  }

  public resourceArns(arnPrefix: string): ScopedResourceArns {
    return {
      loadBalancers: [`${arnPrefix}loadbalancer/*`],
      listeners: [`${arnPrefix}listener/*`],
      listenerRules: [`${arnPrefix}listener-rule/*`],
      targetGroups: [`${arnPrefix}targetgroup/*`],
    };
  }

  public condition(): Record<string, Record<string, string>> | undefined {
    return undefined;
  }

  public validate(): string[] {
    return [];
  }
}

/** Load balancers with a tag. */
class TagScope extends AllScope {
  constructor(
    private readonly key: string,
    private readonly value?: string,
  ) {
    super();
  }

  public override toScope(): Scope {
    return this.value === undefined ? { type: 'tag', key: this.key } : { type: 'tag', key: this.key, value: this.value };
  }

  public override condition(): Record<string, Record<string, string>> {
    const key = `aws:ResourceTag/${this.key}`;
    return this.value === undefined ? { Null: { [key]: 'false' } } : { StringEquals: { [key]: this.value } };
  }

  public override requestCondition(): Record<string, Record<string, string>> {
    const key = `aws:RequestTag/${this.key}`;
    return this.value === undefined ? { Null: { [key]: 'false' } } : { StringEquals: { [key]: this.value } };
  }

  public override validate(): string[] {
    if (Token.isUnresolved(this.key)) return ['scope: the tag key must be a literal string (it becomes an IAM condition key)'];
    if (!TAG_KEY.test(this.key)) return [`scope: tag key "${this.key}" is not a valid ELBv2 tag key (1-128 characters, not starting with "aws:")`];
    if (this.value !== undefined && !Token.isUnresolved(this.value) && this.value.length > 256) {
      return [`scope: tag value for "${this.key}" is longer than 256 characters`];
    }
    return [];
  }
}

/** An explicit list of load balancer ARNs. */
class ArnScope extends WatchdogScope {
  private readonly arns: readonly string[];

  constructor(arns: readonly string[]) {
    super();
    this.arns = [...arns];
  }

  public toScope(): Scope {
    return { type: 'arns', arns: [...this.arns] };
  }

  public resourceArns(arnPrefix: string): ScopedResourceArns {
    // Target group ARNs cannot be derived from a load balancer's ARN: the revert may touch any target group
    // of the account and Region, while listeners and rules are pinned to the listed load balancers.
    return {
      loadBalancers: [...this.arns],
      listeners: this.arns.map((arn) => `${arnPrefix}listener/${loadBalancerPath(arn)}/*`),
      listenerRules: this.arns.map((arn) => `${arnPrefix}listener-rule/${loadBalancerPath(arn)}/*/*`),
      targetGroups: [`${arnPrefix}targetgroup/*`],
    };
  }

  public condition(): Record<string, Record<string, string>> | undefined {
    return undefined;
  }

  public validate(): string[] {
    if (this.arns.length === 0) return ['scope: the list of load balancer ARNs is empty (use WatchdogScope.all() to guard every load balancer)'];
    const problems: string[] = [];
    const seen = new Set<string>();
    this.arns.forEach((arn, index) => {
      if (Token.isUnresolved(arn)) return;
      if (seen.has(arn)) problems.push(`scope.arns[${index}]: "${arn}" is listed twice`);
      seen.add(arn);
      if (CLASSIC_ARN.test(arn)) {
        problems.push(`scope.arns[${index}]: "${arn}" is a Classic Load Balancer; the watchdog guards ELBv2 (ALB, NLB, GWLB) only`);
      } else if (!LOAD_BALANCER_ARN.test(arn)) {
        problems.push(
          `scope.arns[${index}]: "${arn}" is not a load balancer ARN ` +
            '(expected arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/app|net|gwy/NAME/ID)',
        );
      }
    });
    return problems;
  }
}

/**
 * `app/NAME/ID` from `arn:...:loadbalancer/app/NAME/ID`; listener and rule ARNs embed this path
 * (`listener/app/NAME/ID/LISTENER_ID`). Tokens are split by CloudFormation at deploy time.
 */
export function loadBalancerPath(arn: string): string {
  if (Token.isUnresolved(arn)) return Fn.select(1, Fn.split(':loadbalancer/', arn));
  const marker = ':loadbalancer/';
  const at = arn.indexOf(marker);
  return at < 0 ? arn : arn.slice(at + marker.length);
}
