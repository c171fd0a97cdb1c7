import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Policy } from '../../../lambdas/core/policy';
import { checkTemplate, formatOf, parseTemplate, type CfnTemplate, type StaticFinding, type TemplateCheck } from '../../../lambdas/core/static';

/** The fixture templates' folder. */
export const TEMPLATES = path.join(__dirname, '..', '..', 'fixtures', 'templates');

/** Reads and checks one fixture template. */
export function checkFixture(name: string, policy?: Policy): TemplateCheck {
  const { template } = parseTemplate(fs.readFileSync(path.join(TEMPLATES, name), 'utf8'), name, formatOf(name));
  return checkTemplate(template, { file: name, policy });
}

/** Checks a built template. */
export function check(template: CfnTemplate, policy?: Policy): TemplateCheck {
  return checkTemplate(template, { file: 'test.template.json', policy });
}

/** Findings as linters print them, without the file: `Http: error max-target-share: ...`. */
export function lines(findings: readonly StaticFinding[]): string[] {
  return findings.map((f) => `${f.logicalId}: ${f.severity} ${f.ruleId}: ${f.message}`);
}
