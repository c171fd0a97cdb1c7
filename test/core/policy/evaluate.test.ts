import * as z from 'zod';
import type { LoadBalancerSnapshot } from '../../../lambdas/core/model/snapshot';
import { DEFAULT_POLICY, evaluate, parsePolicy, type Decision } from '../../../lambdas/core/policy';
import { RULES, createRegistry, defineRule } from '../../../lambdas/core/rules';
import { applyChange } from '../../../lambdas/core/simulate/apply-change';
import { arns, forward, lb, may19 } from '../../helpers/snapshot-builder';

const blueGreen = (blue: number, green: number): LoadBalancerSnapshot =>
  lb().group('blue', { healthy: 4 }).group('green', { healthy: 4 }).listener(80, forward({ blue, green })).build();
const devBox = (): LoadBalancerSnapshot => lb('dev').group('dev', { healthy: 1 }).listener(80, forward('dev')).build();
const deregisterAllButOne = (s: LoadBalancerSnapshot): LoadBalancerSnapshot =>
  applyChange(s, {
    eventName: 'DeregisterTargets',
    request: { targetGroupArn: arns.group('blue'), targets: [{ id: 'i-blue-2' }, { id: 'i-blue-3' }, { id: 'i-blue-4' }] },
  });

describe('Function: evaluate', () => {
  describe('the cases the watchdog exists for', () => {
    it.each<[string, LoadBalancerSnapshot | undefined, LoadBalancerSnapshot, Decision, string[]]>([
      ['May 19: a "routine update" flips the weights to the single green server', may19({ blue: 100, green: 0 }), may19({ blue: 0, green: 100 }), 'block', ['max-target-share', 'healthy-target-cut']],
      ['May 19 the slow way: deregistering all blue targets but one', may19({ blue: 100, green: 0 }), deregisterAllButOne(may19({ blue: 100, green: 0 })), 'block', ['max-target-share', 'healthy-target-cut']],
      ['blue/green 100/0 → 50/50', blueGreen(100, 0), blueGreen(50, 50), 'allow', []],
      ['blue/green 50/50 → 0/100', blueGreen(50, 50), blueGreen(0, 100), 'allow', []],
      ['blue/green 100/0 → 0/100 in one step', blueGreen(100, 0), blueGreen(0, 100), 'allow', []],
      ['a single-target dev load balancer that was already so', devBox(), devBox(), 'warn', ['max-target-share']],
      ['no baseline yet: never blocks', undefined, may19({ blue: 0, green: 100 }), 'warn', ['max-target-share']],
      ['total weight 0: a lost route, not a cut', blueGreen(100, 0), blueGreen(0, 0), 'block', ['forward-reaches-targets']],
    ])('%s → %s', (_name, before, after, decision, ruleIds) => {
      // Act
      const verdict = evaluate(DEFAULT_POLICY, before, after);

      // Assess
      expect(verdict.decision).toBe(decision);
      expect([...new Set(verdict.findings.map((f) => f.ruleId))]).toEqual(ruleIds);
    });

    it('says what happened in the words of the issue', () => {
      // Prepare
      const before = lb().group('web', { healthy: 4 }).listener(80, forward('web')).build();
      const after = deregisterAllButOne(lb().group('blue', { healthy: 4 }).listener(80, forward('blue')).build());

      // Act
      const verdict = evaluate(DEFAULT_POLICY, before, after);

      // Assess: a different group, so i-blue-1 was at 0% before
      expect(verdict.findings[0].message).toBe('all requests on HTTP:80, the default rule: i-blue-1 would receive 100%, was 0%; limit 50%');
    });

    it('returns every request class with its traffic before and after, for the notification', () => {
      // Act
      const verdict = evaluate(DEFAULT_POLICY, may19({ blue: 100, green: 0 }), may19({ blue: 0, green: 100 }));

      // Assess
      const [only] = verdict.routing?.classes ?? [];
      expect(only.requestClass.label).toBe('all requests on HTTP:80');
      expect(only.before?.traffic?.targets.map((t) => [t.targetId, t.share])).toEqual([
        ['i-blue-1', 0.25],
        ['i-blue-2', 0.25],
        ['i-blue-3', 0.25],
        ['i-blue-4', 0.25],
      ]);
      expect(only.after.traffic?.targets.map((t) => [t.targetId, t.share])).toEqual([['i-green-1', 1]]);
    });
  });

  describe('policy settings', () => {
    it('skips a disabled rule', () => {
      // Prepare
      const policy = parsePolicy('rules:\n  max-target-share: { enabled: false }\n  healthy-target-cut: { enabled: false }');

      // Act
      const verdict = evaluate(policy, may19({ blue: 100, green: 0 }), may19({ blue: 0, green: 100 }));

      // Assess
      expect(verdict.decision).toBe('allow');
    });

    it('applies rule parameters of an override matching the load balancer by tag', () => {
      // Prepare
      const policy = parsePolicy('overrides:\n  - match: { tags: { env: dev } }\n    rules:\n      max-target-share: { limitPercent: 100 }\n      healthy-target-cut: { enabled: false }');
      const lbOf = (s: LoadBalancerSnapshot) => ({ arn: s.loadBalancer.arn, tags: { env: 'dev' } });
      const after = may19({ blue: 0, green: 100 });

      // Act
      const verdict = evaluate(policy, may19({ blue: 100, green: 0 }), after, { lb: lbOf(after) });

      // Assess
      expect(verdict.decision).toBe('allow');
    });
  });

  describe('failing safe', () => {
    const exploding = defineRule({
      id: 'exploding',
      title: 'A rule with a bug',
      severity: 'block',
      rationale: 'Shows that one rule cannot take the engine down.',
      params: z.strictObject({}),
      defaults: {},
      evaluate: () => {
        throw new Error('boom');
      },
    });

    it('turns a throwing rule into a rule-error finding and never blocks on it', () => {
      // Prepare
      const registry = createRegistry([...RULES.rules, exploding]);

      // Act
      const verdict = evaluate(DEFAULT_POLICY, may19({ blue: 100, green: 0 }), may19({ blue: 0, green: 100 }), { registry });

      // Assess
      expect(verdict.decision).toBe('warn');
      expect(verdict.findings.map((f) => f.ruleId)).toEqual(['max-target-share', 'healthy-target-cut', 'rule-error']);
      expect(verdict.findings[2]).toMatchObject({ severity: 'warn', message: expect.stringContaining('rule exploding failed: boom') });
    });

    it('still runs the other rules after one throws', () => {
      // Prepare
      const registry = createRegistry([exploding, ...RULES.rules]);

      // Act
      const verdict = evaluate(DEFAULT_POLICY, devBox(), devBox(), { registry });

      // Assess
      expect(verdict.findings.map((f) => f.ruleId)).toEqual(['rule-error', 'max-target-share']);
    });

    it('warns instead of crashing when the traffic model cannot be computed', () => {
      // Prepare
      const broken = { ...devBox(), listeners: null } as unknown as LoadBalancerSnapshot;

      // Act
      const verdict = evaluate(DEFAULT_POLICY, devBox(), broken);

      // Assess
      expect(verdict.decision).toBe('warn');
      expect(verdict.findings[0].ruleId).toBe('rule-error');
    });
  });
});
