/** The policy module: the policy file, the default policy, modes, and the evaluation engine. */
export { DEFAULT_POLICY } from './default-policy';
export { evaluate, type EvaluateOptions } from './evaluate';
export { parsePolicy } from './parse-policy';
export { policyHash } from './policy-hash';
export { validatePolicy } from './validate-policy';
export { ModeSchema, OverrideSchema, PolicySchema, type Policy, type PolicyOverride, type RuleSettings } from './policy-schema';
export {
  decideAction,
  isBreakGlassActive,
  overrideMatches,
  resolveMode,
  resolveRuleSettings,
  type PolicySubject,
  type ResolvedRule,
} from './resolve-mode';
export type { BreakGlass, Decision, EnforcementAction, Finding, Mode, Severity, Verdict } from './verdict';
