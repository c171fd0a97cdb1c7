import { validatePolicy } from '../../../../lambdas/core/policy';
import type { CfnTemplate } from '../../../../lambdas/core/static';
import { cfn, forward, forwardTo, ref } from '../template-builder';
import { check, lines } from '../helpers';

const rule = (template: CfnTemplate, limitPercent?: number) =>
  lines(check(template, validatePolicy({ rules: { 'max-target-share': { ...(limitPercent !== undefined && { limitPercent }) }, 'healthy-target-cut': { enabled: false } } })).findings);

describe('Static rule: max-target-share', () => {
  const cases: [string, CfnTemplate, string[], number?][] = [
    ['non-compliant: 100% to a one-target group (May 19)', cfn().group('Blue', ['i-1', 'i-2']).group('Green', ['i-3']).listener('Http', 80, forward({ Blue: 0, Green: 100 })).build(),
      ['Http: error max-target-share: listener HTTP:80 of LB web sends 100% of all requests to target group Green (1 target): limit 50%']],
    ['compliant: 50/50 over groups of two', cfn().group('Blue', ['i-1', 'i-2']).group('Green', ['i-3', 'i-4']).listener('Http', 80, forward({ Blue: 50, Green: 50 })).build(), []],
    ['non-compliant: a rule sends 100% to a two-target group, limit 40%', cfn().group('Blue', ['i-1', 'i-2']).listener('Http', 80, forwardTo('Blue')).rule('Api', 'Http', 10, '/api/*', forwardTo('Blue')).build(),
      ['Http: error max-target-share: listener HTTP:80 of LB web sends 100% of requests to paths other than /api/* to target group Blue (2 targets, 50% each): limit 40%',
        'Api: error max-target-share: rule priority 10 (path /api/*) on listener HTTP:80 of LB web sends 100% of requests to /api/* to target group Blue (2 targets, 50% each): limit 40%'], 40],
    ['compliant: exactly at the limit (two targets, 50% each)', cfn().group('Blue', ['i-1', 'i-2']).listener('Http', 80, forwardTo('Blue')).build(), []],
    ['non-compliant: one instance registered in two groups adds up', cfn().resource('Box', 'AWS::EC2::Instance').group('A', [{ Id: ref('Box') }, 'i-2']).group('B', [{ Id: ref('Box') }, 'i-3']).listener('Http', 80, forward({ A: 1, B: 1 })).build(),
      ['Http: error max-target-share: listener HTTP:80 of LB web sends 50% of all requests to target Box through target groups A, B: limit 40%'], 40],
    ['compliant: a group whose targets the template does not fix', cfn().group('Fleet', undefined).listener('Http', 80, forwardTo('Fleet')).build(), []],
    ['compliant: a target group from a parameter', cfn().listener('Http', 80, forwardTo(ref('TargetGroupParam'))).build(), []],
    ['compliant: a weight from a parameter (not judged)', cfn().group('Blue', ['i-1', 'i-2']).group('Green', ['i-3']).listener('Http', 80, forward({ Blue: 0, Green: ref('GreenWeight') })).build(), []],
    ['compliant: Lambda targets scale on their own', cfn().group('Fn', [{ Id: { 'Fn::GetAtt': ['Handler', 'Arn'] } }], { TargetType: 'lambda' }).listener('Http', 80, forwardTo('Fn')).build(), []],
  ];
  // Every row gets its last column (null: the default), or jest would pass `done` in its place.
  it.each(cases.map(([name, template, expected, limit]) => [name, template, expected, limit ?? null] as const))('%s', (_case, template, expected, limit) => {
    expect(rule(template, limit ?? undefined)).toEqual(expected);
  });
});
