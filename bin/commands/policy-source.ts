import { DEFAULT_POLICY, parsePolicy, policyHash, type Policy } from '../../lambdas/core/policy';
import type { DeployedPolicy, StateStore } from '../../lambdas/core/ports';
import { readText } from './cli-input';
import { utc } from './render-verdict';

/** Where the policy a command judged with came from; printed with the results, and in their JSON. */
export type PolicySource =
  | { readonly source: 'file'; readonly file: string; readonly hash: string }
  | { readonly source: 'deployed'; readonly table: string; readonly hash: string; readonly since: string; readonly recordedAt: string }
  | { readonly source: 'default'; readonly hash: string; readonly reason: string };

/** The policy a command judges with, and where it came from. */
export interface ChosenPolicy {
  readonly policy: Policy;
  readonly from: PolicySource;
}

/** Where to look for the deployed policy: the state table and its store, or why there is none to read. */
export type DeployedPolicyLookup = { readonly table: string; readonly store: Pick<StateStore, 'getDeployedPolicy'> } | { readonly unavailable: string };

/**
 * The policy for `status`, `audit` and `preview`: `--policy FILE` when given; else the one the deployed
 * watchdog recorded in its state table (at deploy and at each audit), so the commands judge as the
 * watchdog does; else the default policy, saying why.
 */
export async function choosePolicy(file: string | undefined, deployed: () => Promise<DeployedPolicyLookup>): Promise<ChosenPolicy> {
  if (file !== undefined) {
    const policy = parsePolicy(readText(file), file);
    return { policy, from: { source: 'file', file, hash: policyHash(policy) } };
  }
  const lookup = await deployed();
  if ('unavailable' in lookup) return defaultPolicy(lookup.unavailable);
  const recorded: DeployedPolicy | undefined = await lookup.store.getDeployedPolicy();
  if (recorded === undefined) return defaultPolicy(`the watchdog has recorded none in ${lookup.table} yet (it does at deploy and at each audit)`);
  return { policy: recorded.policy, from: { source: 'deployed', table: lookup.table, hash: recorded.hash, since: recorded.since, recordedAt: recorded.recordedAt } };
}

function defaultPolicy(reason: string): ChosenPolicy {
  return { policy: DEFAULT_POLICY, from: { source: 'default', hash: policyHash(DEFAULT_POLICY), reason } };
}

/** `ab12cd34ef56`: enough of the hash to compare by eye. */
const shortHash = (hash: string): string => hash.slice(0, 12);

/** What a policy says in a few words: its mode and how many overrides. */
function gist(policy: Policy): string {
  const overrides = policy.overrides.length;
  return `${policy.mode}${overrides === 0 ? '' : `, ${overrides} override${overrides === 1 ? '' : 's'}`}`;
}

/**
 * One line saying which policy a command used, e.g.
 * `Policy: deployed (enforce, hash ab12cd34ef56, recorded 2026-11-24 10:54:19 UTC, since 2026-11-20 08:00:02 UTC)`.
 */
export function describePolicy({ policy, from }: ChosenPolicy): string {
  switch (from.source) {
    case 'file':
      return `Policy: --policy ${from.file} (${gist(policy)}, hash ${shortHash(from.hash)})`;
    case 'deployed':
      return `Policy: deployed (${gist(policy)}, hash ${shortHash(from.hash)}, recorded ${utc(from.recordedAt)}, since ${utc(from.since)})`;
    case 'default':
      return `Policy: the default (${gist(policy)}, hash ${shortHash(from.hash)}): ${from.reason}; pass --policy FILE to choose one`;
  }
}
