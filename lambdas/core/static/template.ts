import * as z from 'zod';
import { YAMLParseError, parse as parseYaml } from 'yaml';
import { InputValidationError } from '../errors';
import { CFN_YAML_TAGS } from './cfn-yaml';

/**
 * A CloudFormation template as the static check reads it: only `Resources` matters (each with its
 * `Type`, `Properties` and `Metadata`); everything else is kept but not interpreted.
 *
 * @example
 * {
 *   "Resources": {
 *     "Green": { "Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
 *       "Properties": { "Port": 80, "Protocol": "HTTP", "VpcId": "vpc-0a1b2c3d", "Targets": [{ "Id": "i-0green" }] } },
 *     "Http": { "Type": "AWS::ElasticLoadBalancingV2::Listener",
 *       "Properties": { "LoadBalancerArn": { "Ref": "Web" }, "Port": 80, "Protocol": "HTTP",
 *         "DefaultActions": [{ "Type": "forward", "TargetGroupArn": { "Ref": "Green" } }] } }
 *   }
 * }
 */
export const TemplateResourceSchema = z.looseObject({
  Type: z.string().min(1),
  Properties: z.record(z.string(), z.unknown()).optional(),
  Metadata: z.record(z.string(), z.unknown()).optional(),
});
/** One resource of a template. */
export type TemplateResource = z.infer<typeof TemplateResourceSchema>;

/** A CloudFormation template (JSON or YAML). */
export const CfnTemplateSchema = z.looseObject({
  Resources: z.record(z.string(), TemplateResourceSchema),
});
/** A CloudFormation template. */
export type CfnTemplate = z.infer<typeof CfnTemplateSchema>;

/** A template read from text, with the line where each resource starts (for SARIF regions). */
export interface ParsedTemplate {
  readonly template: CfnTemplate;
  /** Logical id → 1-based line of its key, when found. */
  readonly lines: ReadonlyMap<string, number>;
}

function parseText(text: string, source: string, format: 'json' | 'yaml'): unknown {
  if (text.trim() === '') throw new InputValidationError(`${source}: empty, expected a CloudFormation template`, { input: 'template' });
  if (format === 'json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new InputValidationError(`${source}: not valid JSON (${(error as Error).message})`, { input: 'template', cause: error });
    }
  }
  try {
    return parseYaml(text, { customTags: CFN_YAML_TAGS, prettyErrors: true });
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` at line ${error.linePos[0].line}` : '';
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new InputValidationError(`${source}: not valid YAML${where}: ${message}`, { input: 'template', cause: error });
  }
}

/** Where each logical id's key sits: the first line after `Resources` that starts with the id as a key. */
function locate(text: string, ids: readonly string[], format: 'json' | 'yaml'): Map<string, number> {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => (format === 'json' ? /"Resources"\s*:/ : /^Resources\s*:/).test(line));
  const found = new Map<string, number>();
  if (start < 0) return found;
  const wanted = new Set(ids);
  for (let i = start + 1; i < lines.length && found.size < wanted.size; i += 1) {
    const match = format === 'json' ? /^\s*"([A-Za-z0-9]+)"\s*:/.exec(lines[i]) : /^\s+([A-Za-z0-9]+)\s*:/.exec(lines[i]);
    if (match !== null && wanted.has(match[1]) && !found.has(match[1])) found.set(match[1], i + 1);
  }
  return found;
}

/**
 * Reads a template's text: JSON when `format` says so (clearer errors), YAML otherwise (with the
 * short-form tags; JSON is YAML too). Throws `InputValidationError` naming `source` and what is wrong.
 */
export function parseTemplate(text: string, source: string, format: 'json' | 'yaml' = 'json'): ParsedTemplate {
  const raw = parseText(text, source, format);
  const parsed = CfnTemplateSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.map(String).join('.');
    throw new InputValidationError(`${source}: not a CloudFormation template: ${field === '' ? '(top level)' : field}: ${issue.message}`, {
      field,
      input: 'template',
    });
  }
  return { template: parsed.data, lines: locate(text, Object.keys(parsed.data.Resources), format) };
}

/** The format to read a file in, from its name: `.json` → JSON, anything else (`.yaml`, `.yml`, `.template`) → YAML. */
export function formatOf(fileName: string): 'json' | 'yaml' {
  return fileName.toLowerCase().endsWith('.json') ? 'json' : 'yaml';
}

/**
 * A resource's name for people: its literal `Name`, else its CDK construct path without the stack and
 * the trailing `/Resource` (`Web/Alb`), else its logical id.
 */
export function resourceName(logicalId: string, resource: TemplateResource | undefined): string {
  const name = resource?.Properties?.Name;
  if (typeof name === 'string' && name !== '') return name;
  const path = resource?.Metadata?.['aws:cdk:path'];
  if (typeof path === 'string') {
    const short = path.split('/').slice(1).filter((part, i, all) => !(i === all.length - 1 && (part === 'Resource' || part === 'Default'))).join('/');
    if (short !== '') return short;
  }
  return logicalId;
}
