import { createHash } from 'node:crypto';
import { stableJson } from '../revert/canonical';
import type { Policy } from './policy-schema';

/**
 * The fingerprint of a validated policy: sha256 of its JSON with sorted keys, in hex. The watchdog records
 * it with the policy it runs with, and the CLI prints it, so people can tell at a glance whether the
 * policy in their file is the one deployed. Equal hashes mean equal policies (the converse does not
 * hold: a rule spelt out with its default values hashes differently from the rule left out).
 */
export function policyHash(policy: Policy): string {
  return createHash('sha256').update(stableJson(policy)).digest('hex');
}
