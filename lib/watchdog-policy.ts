import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_POLICY, parsePolicy, validatePolicy, type Policy } from '../lambdas/core/policy';
import type { Mode } from '../lambdas/core/policy/verdict';

/** The policy as the construct accepts it: a policy object, or the path of a YAML or JSON policy file. */
export type WatchdogPolicyInput = string | Readonly<Record<string, unknown>>;

/** The largest policy the Lambda environment can carry next to the other variables (4 KB in all). */
export const MAX_POLICY_JSON_BYTES = 3000;

/** A policy that failed validation at synth time, with where it came from. */
export class WatchdogPolicyError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WatchdogPolicyError';
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The validated policy the handlers get: `input` read (a file path is resolved against the working
 * directory) and validated by the core's policy module, then `mode`, when given, replaces the policy's mode.
 * Throws `WatchdogPolicyError` naming the source and the offending field.
 */
export function resolvePolicy(input: WatchdogPolicyInput | undefined, mode: Mode | undefined): Policy {
  let policy: Policy;
  let source: string;
  if (input === undefined) {
    policy = DEFAULT_POLICY;
    source = 'the default policy';
  } else if (typeof input === 'string') {
    const file = path.resolve(input);
    source = `policy file ${input}`;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new WatchdogPolicyError(`ElbWatchdog: cannot read ${source} (${file}): ${messageOf(error)}`, { cause: error });
    }
    try {
      policy = parsePolicy(text, source);
    } catch (error) {
      throw new WatchdogPolicyError(`ElbWatchdog: invalid ${messageOf(error)}`, { cause: error });
    }
  } else {
    source = 'policy';
    try {
      policy = validatePolicy(input, source);
    } catch (error) {
      throw new WatchdogPolicyError(`ElbWatchdog: invalid ${messageOf(error)}`, { cause: error });
    }
  }
  if (mode !== undefined && mode !== policy.mode) {
    try {
      policy = validatePolicy({ ...policy, mode }, `${source} with mode ${JSON.stringify(mode)}`);
    } catch (error) {
      throw new WatchdogPolicyError(`ElbWatchdog: invalid ${messageOf(error)}`, { cause: error });
    }
  }
  const bytes = Buffer.byteLength(JSON.stringify(policy), 'utf8');
  if (bytes > MAX_POLICY_JSON_BYTES) {
    throw new WatchdogPolicyError(
      `ElbWatchdog: ${source} is ${bytes} bytes as JSON; the Lambda environment carries at most ${MAX_POLICY_JSON_BYTES} ` +
        '(4 KB for all variables): shorten it, e.g. use tag overrides instead of long ARN lists',
    );
  }
  return policy;
}
