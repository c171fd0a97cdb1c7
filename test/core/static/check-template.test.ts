import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePolicy, validatePolicy } from '../../../lambdas/core/policy';
import { createStaticRegistry, defineStaticRule, STATIC_RULES, checkTemplate, type StaticRule } from '../../../lambdas/core/static';
import { maxTargetShare } from '../../../lambdas/core/rules/max-target-share';
import { cfn, forward } from './template-builder';
import { TEMPLATES, check, checkFixture, lines } from './helpers';

const policyFile = (name: string) => parsePolicy(fs.readFileSync(path.join(TEMPLATES, name), 'utf8'), name);
const may19 = () => cfn().group('Blue', ['i-1', 'i-2', 'i-3', 'i-4']).group('Green', ['i-green']).listener('Http', 80, forward({ Blue: 0, Green: 100 }));

describe('Function: checkTemplate', () => {
  describe('on the fixture templates', () => {
    it.each<[string, string[]]>([
      ['unsafe-listener.template.json', ['Http: error max-target-share: listener HTTP:80 of LB web sends 100% of all requests to target group web-green (1 target): limit 50%']],
      ['unsafe-listener.template.yaml', ['Http: error max-target-share: listener HTTP:80 of LB web sends 100% of all requests to target group web-green (1 target): limit 50%']],
      ['blue-green.template.json', []],
      ['zero-weight.template.json', [
        'Http: error forward-reaches-targets: listener HTTP:80 of LB web forwards with total weight 0: requests to paths other than /static/* would get 503',
        'Static: error forward-reaches-targets: rule priority 20 (path /static/*) on listener HTTP:80 of LB web forwards only to target group web-empty, which has no targets: requests to /static/* would get 503',
      ]],
      ['single-target.template.json', [
        'Blue: warning healthy-target-cut: target group web-blue has 1 fixed target and serves 50% of all requests on HTTP:80 of LB web: minimum 2, or one failure fails that traffic',
        'Green: warning healthy-target-cut: target group web-green has 1 fixed target and serves 50% of all requests on HTTP:80 of LB web: minimum 2, or one failure fails that traffic',
      ]],
      ['unresolvable.template.json', []],
    ])('%s', (file, expected) => {
      // Act
      const result = checkFixture(file);

      // Assess
      expect(lines(result.findings)).toEqual(expected);
      expect(result.findings.every((f) => f.file === file)).toBe(true);
    });

    it('says what it could not judge in a template with values known only at deploy', () => {
      // Act
      const { notes } = checkFixture('unresolvable.template.json');

      // Assess
      expect(notes.map((n) => `${n.logicalId}: ${n.message}`)).toEqual([
        'Http: listener HTTP:80 of LB web: target-level rules skipped for Ref SharedTargetGroupArn, a target group outside this template',
        'Canary: rule priority 10 (path /canary/*) on listener HTTP:80 of LB web not judged: a weight is Ref CanaryWeight, known only at deploy',
        'Fleet: target group web-fleet: target-level rules skipped: the template fixes no targets (registered elsewhere: an Auto Scaling group, ECS, another stack)',
      ]);
    });

    it('counts what it checked', () => {
      expect(checkFixture('blue-green.template.json').counts).toEqual({ loadBalancers: 1, listeners: 1, rules: 1, targetGroups: 2 });
    });
  });

  describe('with a policy', () => {
    it.each<[string, () => ReturnType<typeof validatePolicy>, string[]]>([
      ['a raised limit and healthy-target-cut off', () => policyFile('policy-relaxed.yaml'), []],
      ['max-target-share disabled (the single target is still one)', () => validatePolicy({ rules: { 'max-target-share': { enabled: false } } }), ['Green: warning healthy-target-cut']],
      ['an override by the load balancer\'s tag', () => policyFile('policy-prod-override.yaml'), ['Green: warning healthy-target-cut']],
      ['an override for another tag', () => validatePolicy({ overrides: [{ match: { tags: { env: 'dev' } }, rules: { 'max-target-share': { enabled: false } } }] }), ['Http: error max-target-share']],
      ['an override by the load balancer\'s name', () => validatePolicy({ overrides: [{ match: { arn: 'arn:aws:elasticloadbalancing:*:*:loadbalancer/app/web/*' }, rules: { 'max-target-share': { limitPercent: 100 } } }] }), ['Green: warning healthy-target-cut']],
      ['an override for another name', () => validatePolicy({ overrides: [{ match: { arn: '*:loadbalancer/app/api/*' }, rules: { 'max-target-share': { limitPercent: 100 } } }] }), ['Http: error max-target-share']],
      ['mode off', () => validatePolicy({ mode: 'off' }), []],
    ])('%s', (_case, policy, expected) => {
      // Act
      const { findings } = check(may19().build(), policy());

      // Assess
      expect(findings.map((f) => `${f.logicalId}: ${f.severity} ${f.ruleId}`)).toEqual(expected);
    });

    it('turns an error into a warning when an ARN override may apply once deployed (account unknown before)', () => {
      // Prepare
      const policy = validatePolicy({ overrides: [{ name: 'sandbox', match: { arn: 'arn:aws:elasticloadbalancing:*:111122223333:*' }, rules: { 'max-target-share': { enabled: false } } }] });

      // Act
      const unknownAccount = check(may19().build(), policy);
      const otherAccount = checkTemplate(may19().build(), { file: 't', policy, environment: { account: '123456789012', region: 'us-east-1' } });

      // Assess
      expect(lines(unknownAccount.findings)).toEqual([
        'Http: warning max-target-share: listener HTTP:80 of LB web sends 100% of all requests to target group Green (1 target): limit 50% (a warning, not an error: policy override "sandbox" may apply to LB web once deployed)',
      ]);
      expect(otherAccount.findings.map((f) => f.severity)).toEqual(['error']);
    });

    it('notes a load balancer it skipped because the policy turns it off', () => {
      expect(check(may19().build(), validatePolicy({ mode: 'off' })).notes.map((n) => n.message)).toContain('LB web not checked: the policy\'s mode for it is off');
    });
  });

  describe('as an engine', () => {
    it('turns a rule that throws into a warning and keeps the other rules', () => {
      // Prepare
      const broken = defineStaticRule({ ...STATIC_RULES.rules[0], id: 'max-target-share', policyRule: maxTargetShare, evaluate: () => { throw new Error('boom'); } });
      const rules = createStaticRegistry([broken as StaticRule, ...STATIC_RULES.rules.slice(1)]);
      const template = may19().listener('Zero', 81, forward({ Blue: 0, Green: 0 })).build();

      // Act
      const { findings } = checkTemplate(template, { file: 't', rules });

      // Assess
      expect(lines(findings)).toEqual([
        'Green: warning healthy-target-cut: target group Green has 1 fixed target and serves 100% of all requests on HTTP:80 of LB web: minimum 2, or one failure fails that traffic',
        'Web: warning rule-error: rule max-target-share failed on LB web: boom; check this load balancer by hand',
        'Zero: error forward-reaches-targets: listener HTTP:81 of LB web forwards with total weight 0: all requests would get 503',
      ]);
    });

    it('drops a warning about a target group an error already names', () => {
      // Act: Green (1 target) takes 100%: the error says it; "Green has 1 fixed target" would repeat it.
      const { findings } = check(may19().build());

      // Assess
      expect(findings.map((f) => f.ruleId)).toEqual(['max-target-share']);
    });

    it('rejects a registry with a duplicate id or an id that is not its core rule\'s', () => {
      expect(() => createStaticRegistry([STATIC_RULES.rules[0], STATIC_RULES.rules[0]])).toThrow(/duplicate static rule id "max-target-share"/);
      expect(() => createStaticRegistry([{ ...STATIC_RULES.rules[0], id: 'single-target' }])).toThrow(/must carry its core rule's id "max-target-share"/);
    });
  });
});
