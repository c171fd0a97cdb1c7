import type { CfnTemplate } from '../../../../lambdas/core/static';
import { cfn, forward, forwardTo, ref } from '../template-builder';
import { check, lines } from '../helpers';

const only = (template: CfnTemplate) => lines(check(template).findings.filter((f) => f.ruleId === 'forward-reaches-targets'));

describe('Static rule: forward-reaches-targets', () => {
  it.each<[string, CfnTemplate, string[]]>([
    ['non-compliant: total weight 0', cfn().group('Blue', ['i-1', 'i-2']).group('Green', ['i-3', 'i-4']).listener('Http', 80, forward({ Blue: 0, Green: 0 })).build(),
      ['Http: error forward-reaches-targets: listener HTTP:80 of LB web forwards with total weight 0: all requests would get 503']],
    ['compliant: weights 100/0', cfn().group('Blue', ['i-1', 'i-2']).group('Green', ['i-3', 'i-4']).listener('Http', 80, forward({ Blue: 100, Green: 0 })).build(), []],
    ['non-compliant: a rule to a group with an empty target list', cfn().group('Blue', ['i-1', 'i-2']).group('Empty', []).listener('Http', 80, forwardTo('Blue')).rule('Static', 'Http', 20, '/static/*', forwardTo('Empty')).build(),
      ['Static: error forward-reaches-targets: rule priority 20 (path /static/*) on listener HTTP:80 of LB web forwards only to target group Empty, which has no targets: requests to /static/* would get 503']],
    ['warning: part of a path to an empty group', cfn().group('Blue', ['i-1', 'i-2']).group('Empty', []).listener('Http', 80, forward({ Blue: 3, Empty: 1 })).build(),
      ['Http: warning forward-reaches-targets: listener HTTP:80 of LB web sends 25% of all requests to target group Empty, which has no targets: those requests would get 503']],
    ['compliant: a group with no Targets property is not empty (registered elsewhere)', cfn().group('Fleet', undefined).listener('Http', 80, forwardTo('Fleet')).build(), []],
    ['compliant: a group an Auto Scaling group fills, even listed empty', cfn().group('Fleet', []).resource('Asg', 'AWS::AutoScaling::AutoScalingGroup', { TargetGroupARNs: [ref('Fleet')], MinSize: '2', MaxSize: '4' })
      .listener('Http', 80, forwardTo('Fleet')).build(), []],
    ['compliant: a redirect is not a forward', cfn().listener('Http', 80, [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }]).build(), []],
  ])('%s', (_case, template, expected) => {
    expect(only(template)).toEqual(expected);
  });
});
