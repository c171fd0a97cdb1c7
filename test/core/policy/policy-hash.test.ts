import { policyHash, validatePolicy } from '../../../lambdas/core/policy';

describe('Function: policyHash', () => {
  it('is the sha256 of the policy, the same whatever the order of its keys', () => {
    // Prepare
    const a = validatePolicy({ version: 1, mode: 'enforce', rules: { 'max-target-share': { limitPercent: 70, enabled: true } } });
    const b = validatePolicy({ rules: { 'max-target-share': { enabled: true, limitPercent: 70 } }, mode: 'enforce', version: 1 });

    // Act / Assess
    expect(policyHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(policyHash(b)).toBe(policyHash(a));
  });

  it.each([
    ['the mode', { mode: 'dry-run' }],
    ['a rule parameter', { rules: { 'max-target-share': { limitPercent: 71, enabled: true } } }],
    ['an override', { overrides: [{ match: { tags: { env: 'dev' } }, mode: 'off' }] }],
  ])('changes with %s', (_what, change) => {
    const base = { version: 1, mode: 'enforce', rules: { 'max-target-share': { limitPercent: 70, enabled: true } } };

    expect(policyHash(validatePolicy({ ...base, ...change }))).not.toBe(policyHash(validatePolicy(base)));
  });
});
