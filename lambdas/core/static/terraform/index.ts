/**
 * `terraform show -json` in the static check: plans judged by the core's engine as the change they are,
 * states by the static rules as a template. Pure: parsed JSON in, findings out.
 */
export { addressLines, checkTerraform, planRuleDescriptors, type CheckTerraformOptions, type TerraformCheck } from './check-terraform';
export { parseTerraformJson, terraformKindOf, type TerraformDocument, type TfPlan, type TfState } from './terraform-json';
export type { PlanVerdict } from './judge-plan';
