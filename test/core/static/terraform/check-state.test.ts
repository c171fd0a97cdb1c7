import { checkTemplate } from '../../../../lambdas/core/static';
import { tfState } from '../../../helpers/terraform-plan';
import { BLUE, GREEN, web } from '../../../helpers/terraform-scenarios';
import { cfn, forward } from '../template-builder';
import { checkTerraformDoc, checkTerraformFixture, findingLines, noteLines } from './helpers';

/**
 * A state (`terraform show -json` on a state file, https://developer.hashicorp.com/terraform/internals/json-format#state-representation)
 * has no "before": it is checked the way `check` checks a CloudFormation template, and says the same
 * things about the same load balancer.
 */

const GREEN1 = GREEN.slice(0, 1);

describe('Function: checkTerraform on states', () => {
  it.each<[string, string[]]>([
    ['web-after-flip.state.json', ['aws_lb_listener.http: error max-target-share: listener HTTP:80 of LB web sends 100% of all requests to target group web-green (1 target): limit 50%']],
    ['web-blue-green.state.json', []],
  ])('%s', (fixture, expected) => {
    const check = checkTerraformFixture(fixture);
    expect(check.kind).toBe('terraform-state');
    expect(findingLines(check)).toEqual(expected);
  });

  it('says what the template check says about the same load balancer', () => {
    // Prepare: web after the flip, once as a state and once as a template.
    const state = checkTerraformDoc(tfState(web({ blue: BLUE, green: GREEN1, weights: { blue: 50, green: 50 } })));
    const template = checkTemplate(
      cfn()
        .group('Blue', BLUE.map(([id]) => id), { Name: 'web-blue' })
        .group('Green', GREEN1.map(([id]) => id), { Name: 'web-green' })
        .listener('Http', 80, forward({ Blue: 50, Green: 50 }))
        .build(),
      { file: 'web.template.json' },
    );

    // Assess: the same rule, severity and sentence; the Terraform one at the group's address.
    expect(state.findings.map((f) => [f.ruleId, f.severity, f.message])).toEqual(template.findings.map((f) => [f.ruleId, f.severity, f.message]));
    expect(findingLines(state)).toEqual([
      'aws_lb_target_group.green: warning healthy-target-cut: target group web-green has 1 fixed target and serves 50% of all requests on HTTP:80 of LB web: minimum 2, or one failure fails that traffic',
    ]);
    expect(state.findings[0].resourceType).toBe('aws_lb_target_group');
  });

  it('skips target rules for a group Auto Scaling fills, and says so', () => {
    const check = checkTerraformDoc(tfState(web({ blue: 'asg', green: GREEN1, weights: { blue: 100, green: 0 } })));
    expect(check.findings).toEqual([]);
    expect(noteLines(check)).toEqual(['aws_lb_target_group.blue: target group web-blue: target-level rules skipped: aws_autoscaling_group.blue registers its targets']);
  });

  it('reads an empty state (`terraform show -json` prints only the format version)', () => {
    const check = checkTerraformDoc({ format_version: '1.0' });
    expect(check.findings).toEqual([]);
    expect(check.counts).toEqual({ loadBalancers: 0, listeners: 0, rules: 0, targetGroups: 0 });
  });
});
