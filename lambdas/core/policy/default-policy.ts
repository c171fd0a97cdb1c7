import { RULES } from '../rules';
import { validatePolicy } from './validate-policy';
import type { Policy } from './policy-schema';

/**
 * The policy that works with no configuration (DESIGN.md "Default policy"): mode `dry-run`; every rule
 * enabled with its defaults — no target above 50% of a path after a change (an unchanged risk only
 * warns), no cut of a path's healthy targets by more than 50% nor below 2 where there were 2 or more,
 * every forward reaching a registered target, a warning when a group fails open, and no target predicted
 * to receive more than 125% of the requests per minute it has proven it can carry (with metrics; without
 * them the share rules decide, and the verdict says so).
 */
export const DEFAULT_POLICY: Policy = validatePolicy({
  version: 1,
  mode: 'dry-run',
  rules: Object.fromEntries(RULES.rules.map((rule) => [rule.id, { enabled: true, ...rule.defaults }])),
  overrides: [],
});
