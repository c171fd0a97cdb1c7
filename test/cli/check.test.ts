import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SarifLogShape } from '../core/static/sarif-shape';
import { runCli } from './run-cli';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'templates');
/** A fixture as a person would name it from the working directory. */
const fixture = (name: string) => path.relative(process.cwd(), path.join(FIXTURES, name));

describe('CLI: elb-watchdog check', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elb-watchdog-check-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('exits 2 on a template with an unsafe listener and prints the finding like a linter', async () => {
    // Act
    const result = await runCli(['check', fixture('unsafe-listener.template.json')]);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stdout.split('\n')).toEqual([
      `${fixture('unsafe-listener.template.json')}:Http: error max-target-share: listener HTTP:80 of LB web sends 100% of all requests to target group web-green (1 target): limit 50%`,
      '✗ 1 error in 1 template (1 load balancer, 1 listener, 0 rules, 2 target groups checked)',
      '',
    ]);
    expect(result.stderr).toBe('');
  });

  it.each<[string, string[], number, RegExp]>([
    ['a safe blue/green', [fixture('blue-green.template.json')], 0, /^✓ no problems in 1 template \(1 load balancer, 1 listener, 1 rule, 2 target groups checked\)\n$/],
    ['single-target groups (warnings only)', [fixture('single-target.template.json')], 1, /:Blue: warning healthy-target-cut: [^\n]+\n.*:Green: warning healthy-target-cut: [^\n]+\n! 2 warnings in 1 template/s],
    ['the unsafe listener as YAML', [fixture('unsafe-listener.template.yaml')], 2, /unsafe-listener\.template\.yaml:Http: error max-target-share/],
    ['a policy that allows it', [fixture('unsafe-listener.template.json'), '--policy', fixture('policy-relaxed.yaml')], 0, /^✓ no problems/],
    ['values known only at deploy', [fixture('unresolvable.template.json')], 0, /✓ no problems .*; 3 known only at deploy not judged \(--verbose lists them\)/],
    ['values known only at deploy, verbose', [fixture('unresolvable.template.json'), '--verbose'], 0, /:Canary: note: rule priority 10 \(path \/canary\/\*\) on listener HTTP:80 of LB web not judged: a weight is Ref CanaryWeight/],
  ])('checks %s', async (_case, args, code, output) => {
    // Act
    const result = await runCli(['check', ...args]);

    // Assess
    expect(result.code).toBe(code);
    expect(result.stdout).toMatch(output);
  });

  it('scans a directory for *.template.json, as in cdk.out', async () => {
    // Act
    const result = await runCli(['check', fixture('')]);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^✗ 3 errors, 2 warnings in 5 templates/m);
    expect(result.stdout).not.toMatch(/\.yaml/);
  });

  it('takes the account and Region of each stack from cdk.out\'s manifest, so ARN overrides decide', async () => {
    // Prepare: a cloud assembly whose stack is in account 111122223333, and a policy that exempts that account.
    const assembly = path.join(dir, 'cdk.out');
    fs.mkdirSync(assembly);
    fs.copyFileSync(path.join(FIXTURES, 'unsafe-listener.template.json'), path.join(assembly, 'Web.template.json'));
    const manifest = { version: '48.0.0', artifacts: { Web: { type: 'aws:cloudformation:stack', environment: 'aws://111122223333/us-east-1', properties: { templateFile: 'Web.template.json' } } } };
    fs.writeFileSync(path.join(assembly, 'manifest.json'), JSON.stringify(manifest));
    const policy = path.join(dir, 'sandbox.yaml');
    fs.writeFileSync(policy, "overrides:\n  - name: sandbox\n    match: { arn: 'arn:aws:elasticloadbalancing:*:111122223333:*' }\n    rules: { max-target-share: { enabled: false }, healthy-target-cut: { enabled: false } }\n");
    const alone = path.join(dir, 'Web.template.json');
    fs.copyFileSync(path.join(assembly, 'Web.template.json'), alone);

    // Act
    const inAssembly = await runCli(['check', assembly, '--policy', policy]);
    const withoutManifest = await runCli(['check', alone, '--policy', policy]);

    // Assess: decided by the manifest; without it the override may apply, so a warning, not an error.
    expect(inAssembly.code).toBe(0);
    expect(withoutManifest.code).toBe(1);
    expect(withoutManifest.stdout).toMatch(/warning max-target-share: .*policy override "sandbox" may apply to LB web once deployed/);
  });

  it('prints SARIF 2.1.0 with --format sarif', async () => {
    // Act
    const result = await runCli(['check', fixture('unsafe-listener.template.json'), fixture('blue-green.template.json'), '--format', 'sarif']);

    // Assess
    expect(result.code).toBe(2);
    const log = JSON.parse(result.stdout) as { version: string; $schema: string; runs: { tool: { driver: { name: string; rules: { id: string }[] } }; results: Record<string, unknown>[] }[] };
    expect(SarifLogShape.safeParse(log).error?.issues).toBeUndefined();
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-schema-2\.1\.0\.json$/);
    expect(log.runs[0].tool.driver.rules.map((r) => r.id)).toContain('max-target-share');
    expect(log.runs[0].results).toEqual([
      expect.objectContaining({
        ruleId: 'max-target-share',
        level: 'error',
        locations: [expect.objectContaining({ physicalLocation: { artifactLocation: { uri: fixture('unsafe-listener.template.json').split(path.sep).join('/') }, region: { startLine: expect.any(Number) } } })],
      }),
    ]);
  });

  it('prints JSON with --json', async () => {
    const result = await runCli(['check', fixture('zero-weight.template.json'), '--json']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ errors: 2, warnings: 0, findings: [{ logicalId: 'Http', ruleId: 'forward-reaches-targets' }, { logicalId: 'Static' }] });
  });

  it.each<[string, () => string[], RegExp]>([
    ['a missing file', () => ['check', path.join(dir, 'missing.template.json')], /^elb-watchdog: cannot read .*missing\.template\.json: no such file or directory$/],
    ['invalid JSON', () => ['check', write('broken.template.json', '{ "Resources": {')], /^elb-watchdog: .*broken\.template\.json: not valid JSON \(/],
    ['a JSON file that is not a template', () => ['check', write('policy.json', '{ "version": 1 }')], /^elb-watchdog: .*policy\.json: not a CloudFormation template: Resources: /],
    ['a directory with no templates', () => ['check', fs.mkdtempSync(path.join(dir, 'empty-'))], /^elb-watchdog: .*empty-\w+: no \*\.template\.json in it \(run `cdk synth` first/],
    ['a bad policy', () => ['check', fixture('blue-green.template.json'), '--policy', write('bad.yaml', 'rules:\n  max-target-share: { limitPercent: lots }\n')], /^elb-watchdog: .*bad\.yaml: rules\.max-target-share\.limitPercent: /],
    ['two formats at once', () => ['check', fixture('blue-green.template.json'), '--json', '--format', 'sarif'], /^elb-watchdog: --json and --format sarif ask for two outputs: pick one$/],
  ])('exits 2 with one line on %s', async (_case, args, message) => {
    // Act
    const result = await runCli(args());

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('documents its formats and exit codes in --help', async () => {
    const result = await runCli(['check', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--format <format>/);
    expect(result.stdout).toMatch(/Exit codes: 0 no problems, 1 warnings only, 2 errors found; 2 also for bad input/);
  });

  function write(name: string, text: string): string {
    const at = path.join(dir, name);
    fs.writeFileSync(at, text);
    return at;
  }
});
