import { InputValidationError } from '../../../../lambdas/core/errors';
import { parseTerraformJson, terraformKindOf } from '../../../../lambdas/core/static/terraform';
import { tfPlan, tfState } from '../../../helpers/terraform-plan';
import { BLUE, web } from '../../../helpers/terraform-scenarios';
import { checkTerraformDoc } from './helpers';

/** HashiCorp's JSON output format: https://developer.hashicorp.com/terraform/internals/json-format */
const may19 = { blue: BLUE, green: [['i-0e5a7b9c1d3f50002', 'us-east-1a']] as const, weights: { blue: 100, green: 0 } };

function thrown(fn: () => unknown): InputValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputValidationError) return error;
    throw error;
  }
  throw new Error('expected an InputValidationError');
}

describe('Function: terraformKindOf', () => {
  it.each<[string, unknown, 'plan' | 'state' | undefined]>([
    ['a plan', tfPlan(web(may19), web(may19)), 'plan'],
    ['a plan of a new workspace (no prior_state)', tfPlan([], web(may19)), 'plan'],
    ['a state', tfState(web(may19)), 'state'],
    // `terraform show -json` on an empty state prints only the format version.
    ['an empty state', { format_version: '1.0' }, 'state'],
    ['a CloudFormation template', { Resources: {} }, undefined],
    ['a template with a format_version-like key', { AWSTemplateFormatVersion: '2010-09-09', Resources: {} }, undefined],
    ['a snapshot', { schemaVersion: 1, loadBalancer: {} }, undefined],
    ['an array', [], undefined],
  ])('tells %s by its content', (_case, raw, kind) => {
    expect(terraformKindOf(raw)).toBe(kind);
  });
});

describe('Function: parseTerraformJson', () => {
  it('refuses a major format_version it does not know, as the format asks', () => {
    const error = thrown(() => parseTerraformJson({ format_version: '2.0', values: {} }, 'plan.json'));
    expect(error.message).toBe('plan.json: format_version 2.0 is not supported (this check reads format 1.x of `terraform show -json`)');
  });

  it('reads minor versions it has not seen (new keys are ignored)', () => {
    const plan = { ...tfPlan(web(may19), web(may19)), format_version: '1.9', some_future_key: { x: 1 } };
    expect(parseTerraformJson(plan, 'plan.json').kind).toBe('plan');
  });

  it.each<[string, (plan: Record<string, unknown>) => unknown, string]>([
    ['actions that are not a list', (p) => ({ ...p, resource_changes: [{ ...(p.resource_changes as object[])[0], change: { actions: 'update' } }] }), 'plan.json: not a Terraform plan: resource_changes[0].change.actions: Invalid input: expected array, received string'],
    ['a resource without an address', (p) => ({ ...p, resource_changes: [{ mode: 'managed', type: 'aws_lb', name: 'web', change: { actions: [] } }] }), 'plan.json: not a Terraform plan: resource_changes[0].address: Invalid input: expected string, received undefined'],
  ])('names the field when the document is not one: %s', (_case, mangle, message) => {
    expect(thrown(() => parseTerraformJson(mangle(tfPlan(web(may19), web(may19))), 'plan.json')).message).toBe(message);
  });

  it('names the resource and the field of a provider value of the wrong type', () => {
    // Prepare: a weight written as a string, which the provider never does (it is a TypeInt).
    const plan = tfPlan(web(may19), web(may19)) as { resource_changes: { address: string; change: { after: { default_action: { forward: { target_group: { weight: unknown }[] }[] }[] } } }[] };
    const listener = plan.resource_changes.findIndex((c) => c.address === 'aws_lb_listener.http');
    plan.resource_changes[listener].change.after.default_action[0].forward[0].target_group[1].weight = 'zero';

    // Act
    const error = thrown(() => checkTerraformDoc(plan));

    // Assess
    expect(error.message).toBe(`plan.json: resource_changes[${listener}].change.after.default_action[0].forward[0].target_group[1].weight (aws_lb_listener.http): Invalid input: expected number, received string`);
    expect(error.field).toBe(`resource_changes[${listener}].change.after.default_action[0].forward[0].target_group[1].weight`);
  });

  it('names the resource when a weight is out of the API range', () => {
    const plan = tfPlan(web(may19), web({ ...may19, weights: { blue: 1000, green: 0 } }));
    expect(thrown(() => checkTerraformDoc(plan)).message).toMatch(/^plan\.json: aws_lb_listener\.http: Too big: expected number to be <=999 \(listeners\.0\.defaultActions\.0\.forward\.targetGroups\.0\.weight/);
  });
});
