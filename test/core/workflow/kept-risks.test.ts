import type { Finding, Verdict } from '../../../lambdas/core/policy/verdict';
import { onlyKeptRisks } from '../../../lambdas/core/workflow/kept-risks';

const apiClass = { listenerArn: 'l', listenerPort: 80, listenerLabel: 'HTTP:80', label: 'requests to /api/* on HTTP:80', rule: 'rule 10' };
const keptRisk: Finding = { ruleId: 'max-target-share', severity: 'warn', message: 'i-1 would receive 100%, was 100% (unchanged risk)', requestClass: apiClass, targetId: 'i-1' } as Finding;
const byShares: Finding = { ruleId: 'capacity-headroom', severity: 'info', message: 'judged by shares, not load' } as Finding;

describe('Function: onlyKeptRisks', () => {
  it('is true for a warning about a class the change did not move, with a note beside it (chaos seed 303)', () => {
    const verdict: Verdict = { decision: 'warn', findings: [keptRisk, byShares] };

    expect(onlyKeptRisks(verdict)).toBe(true);
  });

  it('is false for a block, and for a warning with no request class to tell', () => {
    expect(onlyKeptRisks({ decision: 'block', findings: [{ ...keptRisk, severity: 'block' }] })).toBe(false);
    expect(onlyKeptRisks({ decision: 'warn', findings: [{ ...keptRisk, requestClass: undefined } as Finding] })).toBe(false);
  });
});
