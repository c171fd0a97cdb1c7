import { RULES } from '../../../lambdas/core/rules';
import { decideAction, parsePolicy, resolveMode, resolveRuleSettings, type PolicySubject } from '../../../lambdas/core/policy';
import type { BreakGlass, Decision, EnforcementAction, Mode } from '../../../lambdas/core/policy/verdict';

const POLICY = parsePolicy(`
mode: dry-run
rules:
  max-target-share: { limitPercent: 60 }
overrides:
  - name: production
    match: { tags: { env: prod } }
    mode: enforce
  - name: payments
    match: { arn: ["arn:aws:elasticloadbalancing:*:*:loadbalancer/app/payments/*"] }
    rules:
      max-target-share: { limitPercent: 40 }
  - match: { tags: { watchdog: "*" } }
    mode: "off"
`);
const P = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app';
const NOW = new Date('2026-05-19T14:00:00Z');
const subject = (name: string, tags: Record<string, string> = {}): PolicySubject => ({ arn: `${P}/${name}/50dc6c495c0c9188`, tags });
const glass = (name: string, expiresAt: string): BreakGlass => ({
  loadBalancerArn: subject(name).arn,
  startedAt: '2026-05-19T13:00:00Z',
  expiresAt,
  reason: 'incident 4711',
  by: 'alice',
});

describe('Function: resolveMode', () => {
  it.each<[string, PolicySubject, BreakGlass | undefined, { mode: Mode; breakGlassActive: boolean; overrideApplied?: string }]>([
    ['no override: the policy mode', subject('web'), undefined, { mode: 'dry-run', breakGlassActive: false }],
    ['an override by tag', subject('web', { env: 'prod' }), undefined, { mode: 'enforce', breakGlassActive: false, overrideApplied: 'production' }],
    ['an override by ARN pattern (rules only)', subject('payments', { env: 'prod' }), undefined, { mode: 'enforce', breakGlassActive: false, overrideApplied: 'production, payments' }],
    ['a later override wins; unnamed overrides are named by index', subject('web', { env: 'prod', watchdog: 'skip' }), undefined, { mode: 'off', breakGlassActive: false, overrideApplied: 'production, overrides[2]' }],
    ['a tag value that differs does not match', subject('web', { env: 'dev' }), undefined, { mode: 'dry-run', breakGlassActive: false }],
    ['an active break-glass', subject('web', { env: 'prod' }), glass('web', '2026-05-19T15:00:00Z'), { mode: 'enforce', breakGlassActive: true, overrideApplied: 'production' }],
    ['an expired break-glass', subject('web', { env: 'prod' }), glass('web', '2026-05-19T13:59:59Z'), { mode: 'enforce', breakGlassActive: false, overrideApplied: 'production' }],
    ["another load balancer's break-glass", subject('web'), glass('payments', '2026-05-19T15:00:00Z'), { mode: 'dry-run', breakGlassActive: false }],
    ['a break-glass with a broken expiry', subject('web'), glass('web', 'tomorrow'), { mode: 'dry-run', breakGlassActive: false }],
  ])('%s', (_name, lb, breakGlass, expected) => {
    // Act
    const resolved = resolveMode(POLICY, lb, breakGlass, NOW);

    // Assess
    expect(resolved).toEqual(expected);
  });
});

describe('Function: resolveRuleSettings', () => {
  it('layers rule defaults, the policy and matching overrides', () => {
    // Act
    const web = resolveRuleSettings(POLICY, subject('web'), RULES);
    const payments = resolveRuleSettings(POLICY, subject('payments'), RULES);

    // Assess
    expect(web.get('max-target-share')).toEqual({ enabled: true, params: { limitPercent: 60, includeLambdaAndAlbTargets: false } });
    expect(payments.get('max-target-share')).toEqual({ enabled: true, params: { limitPercent: 40, includeLambdaAndAlbTargets: false } });
    expect(web.get('healthy-target-cut')).toEqual({ enabled: true, params: { maxCutPercent: 50, minHealthyTargets: 2, includeLambdaAndAlbTargets: false } });
  });
});

describe('Function: decideAction', () => {
  it.each<[Decision, Mode, boolean, EnforcementAction]>([
    ['block', 'enforce', false, 'revert'],
    ['block', 'dry-run', false, 'would-revert'],
    ['block', 'enforce', true, 'suspended-by-break-glass'],
    ['block', 'dry-run', true, 'suspended-by-break-glass'],
    ['block', 'off', false, 'off'],
    ['warn', 'enforce', false, 'none'],
    ['allow', 'enforce', false, 'none'],
    ['allow', 'off', true, 'off'],
  ])('%s in %s (break-glass %s) → %s', (decision, mode, breakGlassActive, expected) => {
    expect(decideAction(decision, mode, breakGlassActive)).toBe(expected);
  });
});
