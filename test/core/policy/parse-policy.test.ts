import { InputValidationError } from '../../../lambdas/core/errors';
import { DEFAULT_POLICY, parsePolicy, validatePolicy } from '../../../lambdas/core/policy';

const YAML_POLICY = `
# production enforces, dev only warns about single servers
version: 1
mode: dry-run
rules:
  max-target-share:
    limitPercent: 60
  fail-open:
    enabled: false
overrides:
  - name: production
    match: { tags: { env: prod } }
    mode: enforce
  - name: dev boxes
    match: { arn: "arn:aws:elasticloadbalancing:*:*:loadbalancer/app/dev-*" }
    rules:
      max-target-share: { limitPercent: 100 }
`;

function errorOf(run: () => unknown): InputValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputValidationError) return error;
    throw error;
  }
  throw new Error('expected an InputValidationError');
}

describe('Function: parsePolicy', () => {
  it('reads a YAML policy', () => {
    // Act
    const policy = parsePolicy(YAML_POLICY, 'policy.yaml');

    // Assess
    expect(policy.mode).toBe('dry-run');
    expect(policy.rules['max-target-share']).toEqual({ limitPercent: 60 });
    expect(policy.overrides.map((o) => o.name)).toEqual(['production', 'dev boxes']);
  });

  it('reads the same policy as JSON', () => {
    // Prepare
    const json = JSON.stringify(parsePolicy(YAML_POLICY));

    // Act
    const policy = parsePolicy(json, 'policy.json');

    // Assess
    expect(policy).toEqual(parsePolicy(YAML_POLICY));
  });

  it('treats an empty file as the defaults (dry-run, no overrides)', () => {
    // Act
    const policy = parsePolicy('', 'empty.yaml');

    // Assess
    expect(policy).toEqual({ version: 1, mode: 'dry-run', rules: {}, overrides: [], actors: [], builtInActors: true, fights: { windowMinutes: 15, digestMinutes: 10 }, unexplained: { holdSeconds: 120 } });
  });

  it.each<[string, string, string]>([
    ['a bad mode', 'mode: panic', 'mode'],
    ['a limit above 100', 'rules:\n  max-target-share:\n    limitPercent: 150', 'rules.max-target-share.limitPercent'],
    ['a limit that is not a number', 'rules:\n  max-target-share:\n    limitPercent: half', 'rules.max-target-share.limitPercent'],
    ['a misspelt rule', 'rules:\n  max-target-shares: {}', 'rules.max-target-shares'],
    ['a misspelt parameter', 'rules:\n  healthy-target-cut:\n    maxCut: 10', 'rules.healthy-target-cut.maxCut'],
    ['an unknown top-level key', 'moed: enforce', 'moed'],
    ['an override without a match', 'overrides:\n  - mode: off', 'overrides.0.match'],
    ['a hold longer than the hourly audit', 'unexplained:\n  holdSeconds: 7200', 'unexplained.holdSeconds'],
    ['an override with an empty match', 'overrides:\n  - match: {}\n    mode: "off"', 'overrides.0.match'],
    ['an override with a bad rule parameter', 'overrides:\n  - match: { tags: { env: dev } }\n    rules:\n      healthy-target-cut: { minHealthyTargets: 0 }', 'overrides.0.rules.healthy-target-cut.minHealthyTargets'],
    ['a wrong version', 'version: 2', 'version'],
  ])('rejects %s, naming the field', (_name, text, field) => {
    // Act
    const error = errorOf(() => parsePolicy(text, 'policy.yaml'));

    // Assess
    expect(error.field).toBe(field);
    expect(error.input).toBe('policy');
    expect(error.message).toContain(`policy.yaml: ${field}:`);
  });

  it('reports YAML syntax errors with their line', () => {
    // Act
    const error = errorOf(() => parsePolicy('mode: dry-run\nrules: [unclosed', 'policy.yaml'));

    // Assess
    expect(error.message).toMatch(/^policy.yaml: not valid YAML or JSON at line \d+/);
  });
});

describe('Function: validatePolicy', () => {
  it('accepts its own output (a policy can be re-validated with a new mode)', () => {
    // Act
    const policy = validatePolicy({ ...DEFAULT_POLICY, mode: 'enforce' });

    // Assess
    expect(policy.mode).toBe('enforce');
    expect(policy.rules).toEqual(DEFAULT_POLICY.rules);
  });
});

describe('Constant: DEFAULT_POLICY', () => {
  it('is dry-run with every rule on at its DESIGN.md default', () => {
    expect(DEFAULT_POLICY).toEqual({
      version: 1,
      mode: 'dry-run',
      rules: {
        'max-target-share': { enabled: true, limitPercent: 50, includeLambdaAndAlbTargets: false },
        'healthy-target-cut': { enabled: true, maxCutPercent: 50, minHealthyTargets: 2, includeLambdaAndAlbTargets: false },
        'forward-reaches-targets': { enabled: true },
        'fail-open': { enabled: true },
        'capacity-headroom': { enabled: true, marginPercent: 25, lookbackHours: 336, capacityTagKey: 'elb-watchdog:capacity-per-minute', lowerShareBlocks: true },
      },
      overrides: [],
      actors: [],
      builtInActors: true,
      fights: { windowMinutes: 15, digestMinutes: 10 },
      unexplained: { holdSeconds: 120 },
    });
  });
});
