import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { InputValidationError } from '../../lambdas/core/errors';
import { LoadBalancerSnapshotSchema, type LoadBalancerSnapshot } from '../../lambdas/core/model/snapshot';
import { DEFAULT_POLICY, parsePolicy, type Policy } from '../../lambdas/core/policy';
import { UsageError } from './exit-codes';

/**
 * Reading what a person hands the operator commands: files (or `-` for stdin), JSON, policies and
 * snapshots. Every failure is one line naming the file and what is wrong with it (exit code 2).
 */

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'it is a directory',
};

/** The text of a file, or of stdin for `-`. */
export function readText(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new UsageError(`cannot read ${path === '-' ? 'stdin' : path}: ${READ_ERRORS[code] ?? (error as Error).message}`, { cause: error });
  }
}

/** A file's JSON; `what` names the input in the error (`event`, `change request`, ...). */
export function readJson(path: string, what: string): unknown {
  const text = readText(path);
  const source = path === '-' ? 'stdin' : path;
  if (text.trim() === '') throw new InputValidationError(`${source}: empty, expected the ${what} as JSON`, { input: what });
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputValidationError(`${source}: not valid JSON (${(error as Error).message}); expected the ${what}`, { input: what, cause: error });
  }
}

/** The policy of `--policy FILE` (YAML or JSON), or the default policy without one. */
export function loadPolicy(path: string | undefined): Policy {
  return path === undefined ? DEFAULT_POLICY : parsePolicy(readText(path), path);
}

/** A load balancer snapshot file (the JSON schema in `schema/load-balancer-snapshot.schema.json`). */
export function loadSnapshot(path: string): LoadBalancerSnapshot {
  const parsed = LoadBalancerSnapshotSchema.safeParse(readJson(path, 'load balancer snapshot'));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.join('.');
  throw new InputValidationError(`${path}: not a load balancer snapshot: ${field || '(top level)'}: ${issue.message}`, { field, input: 'snapshot' });
}

/** Commander parser for a whole number in [min, max]. */
export function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return n;
  };
}
