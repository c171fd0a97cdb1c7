import { validatePolicy } from '../../../../lambdas/core/policy';
import type { CfnTemplate } from '../../../../lambdas/core/static';
import { cfn, forward, forwardTo } from '../template-builder';
import { check, lines } from '../helpers';

const only = (template: CfnTemplate, minHealthyTargets?: number) =>
  lines(check(template, validatePolicy({ rules: { 'healthy-target-cut': { ...(minHealthyTargets !== undefined && { minHealthyTargets }) } } })).findings.filter((f) => f.ruleId === 'healthy-target-cut'));

describe('Static rule: healthy-target-cut (fixed targets below the minimum)', () => {
  const cases: [string, CfnTemplate, string[], number?][] = [
    ['non-compliant: a one-target group serving half a path', cfn().group('Blue', ['i-1', 'i-2']).group('Green', ['i-3']).listener('Http', 80, forward({ Blue: 1, Green: 1 })).build(),
      ['Green: warning healthy-target-cut: target group Green has 1 fixed target and serves 50% of all requests on HTTP:80 of LB web: minimum 2, or one failure fails that traffic']],
    ['compliant: two targets per group', cfn().group('Blue', ['i-1', 'i-2']).group('Green', ['i-3', 'i-4']).listener('Http', 80, forward({ Blue: 1, Green: 1 })).build(), []],
    ['compliant: a one-target group on standby (weight 0)', cfn().group('Blue', ['i-1', 'i-2', 'i-3']).group('Green', ['i-4']).listener('Http', 80, forward({ Blue: 1, Green: 0 })).build(), []],
    ['non-compliant: one warning per group, naming its largest path', cfn().group('Blue', ['i-1', 'i-2']).group('Api', ['i-3']).listener('Http', 80, forward({ Blue: 9, Api: 1 }))
      .rule('ApiRule', 'Http', 10, '/api/*', forward({ Blue: 1, Api: 1 })).build(),
      ['Api: warning healthy-target-cut: target group Api has 1 fixed target and serves 50% of requests to /api/* on HTTP:80 of LB web and 1 other request class: minimum 2, or one failure fails that traffic']],
    ['non-compliant with minHealthyTargets 3: a two-target group', cfn().group('Blue', ['i-1', 'i-2']).listener('Http', 80, forwardTo('Blue')).build(),
      ['Blue: warning healthy-target-cut: target group Blue has 2 fixed targets and serves 100% of all requests on HTTP:80 of LB web: minimum 3, or one failure fails that traffic'], 3],
    ['non-compliant: one server on two ports is one target', cfn().group('Blue', [{ Id: 'i-1', Port: 80 }, { Id: 'i-1', Port: 8080 }]).group('Green', ['i-2', 'i-3']).listener('Http', 80, forward({ Blue: 1, Green: 3 })).build(),
      ['Blue: warning healthy-target-cut: target group Blue has 1 fixed target and serves 25% of all requests on HTTP:80 of LB web: minimum 2, or one failure fails that traffic']],
    ['compliant: a group an Auto Scaling group fills is skipped', cfn().group('Fleet', undefined).listener('Http', 80, forwardTo('Fleet')).build(), []],
  ];
  // Every row gets its last column (null: the default), or jest would pass `done` in its place.
  it.each(cases.map(([name, template, expected, min]) => [name, template, expected, min ?? null] as const))('%s', (_case, template, expected, min) => {
    expect(only(template, min ?? undefined)).toEqual(expected);
  });
});
