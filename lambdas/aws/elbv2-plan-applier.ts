import {
  AddListenerCertificatesCommand,
  CreateListenerCommand,
  CreateRuleCommand,
  DeleteRuleCommand,
  ModifyListenerCommand,
  ModifyLoadBalancerAttributesCommand,
  ModifyRuleCommand,
  ModifyTargetGroupAttributesCommand,
  RegisterTargetsCommand,
  SetRulePrioritiesCommand,
  SetSubnetsCommand,
  type CreateListenerCommandInput,
  type CreateRuleCommandInput,
  type ElasticLoadBalancingV2Client,
  type ModifyListenerCommandInput,
  type ModifyRuleCommandInput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ApplyResult, PlanApplier } from '../core/ports';
import type { RevertPlan, RevertStep } from '../core/revert/revert-plan';
import { callAws } from './aws-error';

/** The resource a step acts on, for error messages. */
function resourceOf(step: RevertStep): string {
  switch (step.operation) {
    case 'ModifyListener':
    case 'AddListenerCertificates':
    case 'CreateRule':
      return step.input.ListenerArn;
    case 'ModifyRule':
    case 'DeleteRule':
      return step.input.RuleArn;
    case 'SetRulePriorities':
      return step.input.RulePriorities[0]?.RuleArn ?? '';
    case 'RegisterTargets':
    case 'ModifyTargetGroupAttributes':
      return step.input.TargetGroupArn;
    case 'ModifyLoadBalancerAttributes':
    case 'SetSubnets':
    case 'CreateListener':
      return step.input.LoadBalancerArn;
  }
}

/**
 * Executes a revert plan's steps in order with the ELBv2 client. It decides nothing: the plan says what
 * to call; the caller re-reads and re-plans to verify (which also resumes a partly applied plan).
 * Retries of throttled calls are the client's job (adaptive retry mode).
 */
export class Elbv2PlanApplier implements PlanApplier {
  public constructor(private readonly client: ElasticLoadBalancingV2Client) {}

  public async apply(plan: RevertPlan): Promise<ApplyResult> {
    const applied: RevertStep[] = [];
    for (const step of plan.steps) {
      try {
        await callAws(step.operation, resourceOf(step), () => this.send(step));
      } catch (error) {
        return { applied, failed: { step, error: error as Error } };
      }
      applied.push(step);
    }
    return { applied };
  }

  // Redirect, fixed-response and authenticate blocks are carried through the core untyped; they were
  // read from this same API, so handing them back unchanged is safe.
  private async send(step: RevertStep): Promise<unknown> {
    switch (step.operation) {
      case 'ModifyListener':
        return this.client.send(new ModifyListenerCommand(step.input as ModifyListenerCommandInput));
      case 'ModifyRule':
        return this.client.send(new ModifyRuleCommand(step.input as ModifyRuleCommandInput));
      case 'SetRulePriorities':
        return this.client.send(new SetRulePrioritiesCommand(step.input));
      case 'RegisterTargets':
        return this.client.send(new RegisterTargetsCommand(step.input));
      case 'ModifyTargetGroupAttributes':
        return this.client.send(new ModifyTargetGroupAttributesCommand(step.input));
      case 'ModifyLoadBalancerAttributes':
        return this.client.send(new ModifyLoadBalancerAttributesCommand(step.input));
      case 'CreateListener':
        return this.client.send(new CreateListenerCommand(step.input as CreateListenerCommandInput));
      case 'AddListenerCertificates':
        return this.client.send(new AddListenerCertificatesCommand(step.input));
      case 'CreateRule':
        return this.client.send(new CreateRuleCommand(step.input as CreateRuleCommandInput));
      case 'DeleteRule':
        return this.client.send(new DeleteRuleCommand(step.input));
      case 'SetSubnets':
        return this.client.send(new SetSubnetsCommand(step.input));
    }
  }
}
