import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Policy } from '../../../../lambdas/core/policy';
import { checkTerraform, parseTerraformJson, type TerraformCheck } from '../../../../lambdas/core/static/terraform';

/** The Terraform fixtures' folder. */
export const TERRAFORM_FIXTURES_DIR = path.join(__dirname, '..', '..', '..', 'fixtures', 'terraform');

/** Reads and checks one Terraform fixture. */
export function checkTerraformFixture(name: string, policy?: Policy): TerraformCheck {
  const raw = JSON.parse(fs.readFileSync(path.join(TERRAFORM_FIXTURES_DIR, name), 'utf8')) as unknown;
  return checkTerraform(parseTerraformJson(raw, name), { file: name, ...(policy !== undefined && { policy }) });
}

/** Checks a plan or state built in the test. */
export function checkTerraformDoc(doc: unknown, policy?: Policy): TerraformCheck {
  return checkTerraform(parseTerraformJson(doc, 'plan.json'), { file: 'plan.json', ...(policy !== undefined && { policy }) });
}

/** Findings as `check` prints them, without the file: `aws_lb_listener.http: error max-target-share: ...`. */
export function findingLines(check: TerraformCheck): string[] {
  return check.findings.map((f) => `${f.logicalId}: ${f.severity} ${f.ruleId}: ${f.message}`);
}

/** Notes as `check --verbose` prints them, without the file. */
export function noteLines(check: TerraformCheck): string[] {
  return check.notes.map((n) => `${n.logicalId}: ${n.message}`);
}
