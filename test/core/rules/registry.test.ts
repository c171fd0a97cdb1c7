import * as z from 'zod';
import { RULES, createRegistry, defineRule } from '../../../lambdas/core/rules';

const dummy = (id: string) =>
  defineRule({ id, title: id, severity: 'warn', rationale: 'test', params: z.strictObject({}), defaults: {}, evaluate: () => [] });

describe('Function: createRegistry', () => {
  it('throws on two rules with one id', () => {
    // Act & Assess
    expect(() => createRegistry([dummy('same'), dummy('same')])).toThrow('duplicate rule id "same"');
  });

  it('finds rules by id', () => {
    // Act
    const registry = createRegistry([dummy('a'), dummy('b')]);

    // Assess
    expect(registry.get('b')?.id).toBe('b');
    expect(registry.get('c')).toBeUndefined();
  });
});

describe('Registry: RULES', () => {
  it.each(RULES.rules.map((rule) => [rule.id, rule] as const))('%s declares a title, a rationale and valid defaults', (_id, rule) => {
    // Assess
    expect(rule.title.length).toBeGreaterThan(10);
    expect(rule.rationale.length).toBeGreaterThan(20);
    expect(['block', 'warn', 'info']).toContain(rule.severity);
    expect(rule.params.safeParse(rule.defaults).success).toBe(true);
  });

  it('holds the rules of the default policy', () => {
    expect(RULES.rules.map((r) => r.id)).toEqual(['max-target-share', 'healthy-target-cut', 'forward-reaches-targets', 'fail-open', 'capacity-headroom']);
  });
});
