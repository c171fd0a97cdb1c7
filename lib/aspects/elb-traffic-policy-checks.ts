import * as fs from 'node:fs';
import * as path from 'node:path';
import { Annotations, CfnResource, Stack, Token, type IAspect } from 'aws-cdk-lib';
import { CfnListener, CfnListenerRule, CfnTargetGroup } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { IConstruct } from 'constructs';
import { DEFAULT_POLICY, parsePolicy, validatePolicy, type Policy } from '../../lambdas/core/policy';
import { checkTemplate, type StaticFinding, type TemplateEnvironment } from '../../lambdas/core/static';
import { WatchdogPolicyError, type WatchdogPolicyInput } from '../watchdog-policy';
import { stackTemplate } from './stack-template';

/** Props of {@link ElbTrafficPolicyChecks}. */
export interface ElbTrafficPolicyChecksProps {
  /**
   * The policy, as `ElbWatchdog` takes it: a policy object, or the path of a YAML or JSON policy file
   * (resolved against the working directory). Its rules' `enabled` and parameters, and its overrides by
   * tag or ARN where the template can tell, apply as they will at change time.
   * @default the default policy
   */
  readonly policy?: WatchdogPolicyInput;
}

const VISITED_TYPES = new Set([CfnListener.CFN_RESOURCE_TYPE_NAME, CfnListenerRule.CFN_RESOURCE_TYPE_NAME, CfnTargetGroup.CFN_RESOURCE_TYPE_NAME]);

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function loadPolicy(input: WatchdogPolicyInput | undefined): Policy {
  if (input === undefined) return DEFAULT_POLICY;
  if (typeof input !== 'string') {
    try {
      return validatePolicy(input, 'policy');
    } catch (error) {
      throw new WatchdogPolicyError(`ElbTrafficPolicyChecks: invalid ${messageOf(error)}`, { cause: error });
    }
  }
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(input), 'utf8');
  } catch (error) {
    throw new WatchdogPolicyError(`ElbTrafficPolicyChecks: cannot read policy file ${input}: ${messageOf(error)}`, { cause: error });
  }
  try {
    return parsePolicy(text, `policy file ${input}`);
  } catch (error) {
    throw new WatchdogPolicyError(`ElbTrafficPolicyChecks: invalid ${messageOf(error)}`, { cause: error });
  }
}

function known(value: string): string | undefined {
  return Token.isUnresolved(value) ? undefined : value;
}

/**
 * The watchdog's policy at synth time: `Aspects.of(app).add(new ElbTrafficPolicyChecks())`. It visits
 * listeners, listener rules and target groups (L1, so L2 constructs are covered too), judges each
 * stack once with the same static rules as `elb-watchdog check`, and reports like cdk-nag: an error
 * annotation fails `cdk synth`, a warning is printed (acknowledge one with its id,
 * `elb-watchdog:<rule-id>`). Values that resolve only at deploy are skipped, never reported.
 */
export class ElbTrafficPolicyChecks implements IAspect {
  private readonly policy: Policy;
  private readonly byStack = new WeakMap<Stack, ReadonlyMap<string, readonly StaticFinding[]>>();

  public constructor(props: ElbTrafficPolicyChecksProps = {}) {
    this.policy = loadPolicy(props.policy);
  }

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node) || !VISITED_TYPES.has(node.cfnResourceType)) return;
    const stack = Stack.of(node);
    const findings = this.findingsOf(stack).get(stack.resolve(node.logicalId) as string) ?? [];
    for (const finding of findings) {
      const text = `[elb-watchdog/${finding.ruleId}] ${finding.message}`;
      if (finding.severity === 'error') Annotations.of(node).addError(text);
      else Annotations.of(node).addWarningV2(`elb-watchdog:${finding.ruleId}`, text);
    }
  }

  /** The stack's findings by logical id, computed on the first visit to one of its resources. */
  private findingsOf(stack: Stack): ReadonlyMap<string, readonly StaticFinding[]> {
    const cached = this.byStack.get(stack);
    if (cached !== undefined) return cached;
    const environment: TemplateEnvironment = { partition: known(stack.partition), account: known(stack.account), region: known(stack.region) };
    const check = checkTemplate(stackTemplate(stack), { file: stack.node.path, policy: this.policy, environment });
    const byId = new Map<string, StaticFinding[]>();
    for (const finding of check.findings) byId.set(finding.logicalId, [...(byId.get(finding.logicalId) ?? []), finding]);
    this.byStack.set(stack, byId);
    return byId;
  }
}
