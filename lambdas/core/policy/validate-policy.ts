import { InputValidationError } from '../errors';
import type * as z from '../zod';
import { PolicySchema, type Policy } from './policy-schema';

// Kept apart from the YAML parser so the Lambdas, which get the policy as JSON, do not bundle a YAML library.

function fieldOf(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String);
  // An unknown key is reported on its parent; name the key itself, it is what the person mistyped.
  if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) path.push(issue.keys[0]);
  return path.join('.');
}

/**
 * Validates a policy object (a parsed file, or a policy literal in code). Throws `InputValidationError`
 * whose `field` is the dotted path of the first offending field, e.g. `rules.max-target-share.limitPercent`.
 */
export function validatePolicy(obj: unknown, source = 'policy'): Policy {
  const result = PolicySchema.safeParse(obj ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = fieldOf(issue);
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more)` : '';
  throw new InputValidationError(`${source}: ${field === '' ? '(top level)' : field}: ${issue.message}${more}`, {
    field,
    input: 'policy',
    cause: result.error,
  });
}
