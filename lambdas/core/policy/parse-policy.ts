import { YAMLParseError, parse as parseYaml } from 'yaml';
import { InputValidationError } from '../errors';
import type { Policy } from './policy-schema';
import { validatePolicy } from './validate-policy';

/**
 * Parses a policy file's text, YAML or JSON (JSON is YAML), then validates it. An empty file is the
 * default policy. `source` (a file name) prefixes error messages.
 */
export function parsePolicy(text: string, source = 'policy'): Policy {
  let obj: unknown;
  try {
    obj = parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` at line ${error.linePos[0].line}` : '';
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new InputValidationError(`${source}: not valid YAML or JSON${where}: ${message}`, { field: '', input: 'policy', cause: error });
  }
  return validatePolicy(obj, source);
}
