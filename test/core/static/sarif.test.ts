import { STATIC_RULES, SARIF_SCHEMA, toSarif } from '../../../lambdas/core/static';
import { checkFixture } from './helpers';
import { SarifLogShape } from './sarif-shape';

describe('Function: toSarif', () => {
  it('is a SARIF 2.1.0 log: the driver with every rule, one result per finding with level and locations', () => {
    // Prepare
    const checks = [checkFixture('unsafe-listener.template.json'), checkFixture('single-target.template.json'), checkFixture('blue-green.template.json')];

    // Act
    const log = toSarif(checks, STATIC_RULES, { version: '1.2.3', lines: new Map([['unsafe-listener.template.json', new Map([['Http', 42]])]]) });

    // Assess
    expect(SarifLogShape.safeParse(log).error?.issues).toBeUndefined();
    expect(log).toMatchObject({ $schema: SARIF_SCHEMA, version: '2.1.0' });
    expect(log.runs).toHaveLength(1);
    const [run] = log.runs;
    expect(run.tool.driver).toMatchObject({ name: 'elb-watchdog', version: '1.2.3' });
    expect(run.tool.driver.rules.map((r) => [r.id, r.name, r.defaultConfiguration.level])).toEqual([
      ['max-target-share', 'MaxTargetShare', 'error'],
      ['forward-reaches-targets', 'ForwardReachesTargets', 'error'],
      ['healthy-target-cut', 'HealthyTargetCut', 'warning'],
      ['rule-error', 'RuleError', 'warning'],
    ]);
    expect(run.results.map((r) => [r.ruleId, r.ruleIndex, r.level])).toEqual([
      ['max-target-share', 0, 'error'],
      ['healthy-target-cut', 2, 'warning'],
      ['healthy-target-cut', 2, 'warning'],
    ]);
    expect(run.results[0]).toMatchObject({
      message: { text: 'listener HTTP:80 of LB web sends 100% of all requests to target group web-green (1 target): limit 50%' },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: 'unsafe-listener.template.json' }, region: { startLine: 42 } },
          logicalLocations: [{ name: 'Http', fullyQualifiedName: 'Resources.Http', kind: 'resource' }],
        },
      ],
      properties: { resourceType: 'AWS::ElasticLoadBalancingV2::Listener', loadBalancer: 'web' },
    });
    // A region only where the line is known.
    expect(run.results[1].locations[0].physicalLocation.region).toBeUndefined();
  });

  it('has a run with no results for clean templates', () => {
    expect(toSarif([checkFixture('blue-green.template.json')], STATIC_RULES, { version: '0' }).runs[0].results).toEqual([]);
  });
});
