import { InputValidationError } from '../../../lambdas/core/errors';
import { formatOf, parseTemplate, resourceName } from '../../../lambdas/core/static';

describe('Function: parseTemplate', () => {
  it('reads JSON and finds the line of each resource', () => {
    const text = '{\n "Resources": {\n  "Web": {\n   "Type": "AWS::ElasticLoadBalancingV2::LoadBalancer"\n  },\n  "Http": { "Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": { "LoadBalancerArn": { "Ref": "Web" } } }\n }\n}\n';
    const parsed = parseTemplate(text, 't.json');
    expect(Object.keys(parsed.template.Resources)).toEqual(['Web', 'Http']);
    expect([...parsed.lines]).toEqual([['Web', 3], ['Http', 6]]);
  });

  it('reads YAML with the short-form tags as their long forms', () => {
    const text = [
      'Resources:',
      '  Http:',
      '    Type: AWS::ElasticLoadBalancingV2::Listener',
      '    Properties:',
      '      LoadBalancerArn: !Ref Web',
      '      DefaultActions:',
      '        - TargetGroupArn: !GetAtt Blue.TargetGroupArn',
      '          Type: !If [IsProd, forward, redirect]',
      '      Port: !FindInMap [Ports, !Ref Env, http]',
    ].join('\n');
    const { template, lines } = parseTemplate(text, 't.yaml', 'yaml');
    expect(template.Resources.Http.Properties).toEqual({
      LoadBalancerArn: { Ref: 'Web' },
      DefaultActions: [{ TargetGroupArn: { 'Fn::GetAtt': ['Blue', 'TargetGroupArn'] }, Type: { 'Fn::If': ['IsProd', 'forward', 'redirect'] } }],
      Port: { 'Fn::FindInMap': ['Ports', { Ref: 'Env' }, 'http'] },
    });
    expect(lines.get('Http')).toBe(2);
  });

  it.each<[string, string, 'json' | 'yaml', RegExp]>([
    ['invalid JSON', '{ "Resources": ', 'json', /^t: not valid JSON \(/],
    ['invalid YAML', 'Resources: [\n', 'yaml', /^t: not valid YAML at line \d+/],
    ['an empty file', '  \n', 'json', /^t: empty, expected a CloudFormation template$/],
    ['no Resources', '{ "AWSTemplateFormatVersion": "2010-09-09" }', 'json', /^t: not a CloudFormation template: Resources: /],
    ['a resource without a Type', '{ "Resources": { "Web": { "Properties": {} } } }', 'json', /^t: not a CloudFormation template: Resources\.Web\.Type: /],
  ])('rejects %s with one line naming the file', (_case, text, format, message) => {
    expect(() => parseTemplate(text, 't', format)).toThrow(InputValidationError);
    expect(() => parseTemplate(text, 't', format)).toThrow(message);
  });

  it('reads a file as JSON only when its name says so', () => {
    expect(['a.template.json', 'b.yaml', 'c.yml', 'd.template'].map(formatOf)).toEqual(['json', 'yaml', 'yaml', 'yaml']);
  });
});

describe('Function: resourceName', () => {
  it.each<[string, Record<string, unknown> | undefined, string]>([
    ['a literal Name', { Type: 'X', Properties: { Name: 'web' } }, 'web'],
    ['a CDK path', { Type: 'X', Metadata: { 'aws:cdk:path': 'Prod/Web/Alb/Resource' } }, 'Web/Alb'],
    ['neither', { Type: 'X', Properties: { Name: { Ref: 'N' } } }, 'WebAlb1234'],
  ])('uses %s', (_case, resource, expected) => {
    expect(resourceName('WebAlb1234', resource as never)).toBe(expected);
  });
});
