import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SarifLogShape } from '../core/static/sarif-shape';
import { readAction, runCompositeAction } from './run-composite-action';

/**
 * The repository's GitHub Action (action.yml at the root), run step by step as the runner runs a
 * composite action (see run-composite-action.ts), against a sample CDK output and a sample Terraform
 * plan copied into a fresh workspace. The action uses its own checkout (this repository, built), so no
 * step needs the network.
 */

const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');

// Each run starts node a few times; on a loaded machine that takes far longer than jest's 30 s default.
jest.setTimeout(180_000);

describe('GitHub Action: action.yml', () => {
  let temp: string;
  let workspace: string;
  let runner: string;

  beforeEach(() => {
    temp = fs.mkdtempSync(path.join(os.tmpdir(), 'elb-watchdog-action-'));
    workspace = path.join(temp, 'workspace');
    runner = path.join(temp, 'runner');
    fs.mkdirSync(path.join(workspace, 'cdk.out'), { recursive: true });
    fs.mkdirSync(runner);
    // A user's repository: a synthesized CDK app and a Terraform plan (`terraform show -json plan.out > plan.json`).
    fs.copyFileSync(path.join(FIXTURES, 'templates', 'unsafe-listener.template.json'), path.join(workspace, 'cdk.out', 'Shop.template.json'));
    fs.copyFileSync(path.join(FIXTURES, 'terraform', 'flip-by-weights.plan.json'), path.join(workspace, 'plan.json'));
    fs.copyFileSync(path.join(FIXTURES, 'terraform', 'safe-blue-green.plan.json'), path.join(workspace, 'safe-plan.json'));
    fs.copyFileSync(path.join(FIXTURES, 'templates', 'single-target.template.json'), path.join(workspace, 'single-target.template.json'));
  });
  afterEach(() => fs.rmSync(temp, { recursive: true, force: true }));

  const run = (inputs: Record<string, string>) => runCompositeAction(ROOT, { inputs, workspace, temp: runner });

  it('fails on the unsafe plan and the unsafe template, annotates each finding and writes SARIF for upload', async () => {
    // Act
    const result = await run({ paths: 'cdk.out\nplan.json' });

    // Assess: the check step fails with the CLI's "errors" code; the counts are outputs.
    expect(result.steps).toEqual([{ id: 'setup', code: 0 }, { id: 'check', code: 2 }]);
    expect(result.outputs).toEqual({ 'sarif-file': 'elb-watchdog.sarif', errors: '3', warnings: '0' });
    // Workflow commands escape % in messages as %25 (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands).
    const line = fs.readFileSync(path.join(workspace, 'cdk.out', 'Shop.template.json'), 'utf8').split('\n').findIndex((l) => l.includes('"Http":')) + 1;
    expect(result.stdout).toContain(`::error file=cdk.out/Shop.template.json,line=${line},title=elb-watchdog max-target-share::Http: listener HTTP:80 of LB web sends 100%25 of all requests to target group web-green (1 target): limit 50%25\n`);
    // `terraform show -json` writes one line: the plan's findings are at line 1.
    expect(result.stdout).toContain('::error file=plan.json,line=1,title=elb-watchdog max-target-share::aws_lb_listener.http: all requests on HTTP:80, the default rule: i-0e5a7b9c1d3f50002 would receive 100%25, was 0%25; limit 50%25\n');
    expect(result.stdout).toContain('✗ 3 errors in 2 files');
    const sarif = SarifLogShape.parse(JSON.parse(fs.readFileSync(path.join(workspace, 'elb-watchdog.sarif'), 'utf8')));
    expect(sarif.runs[0].results.map((r) => [r.locations[0].physicalLocation.artifactLocation.uri, r.locations[0].logicalLocations?.[0].fullyQualifiedName, r.ruleId])).toEqual([
      ['cdk.out/Shop.template.json', 'Resources.Http', 'max-target-share'],
      ['plan.json', 'aws_lb_listener.http', 'max-target-share'],
      ['plan.json', 'aws_lb_listener.http', 'healthy-target-cut'],
    ]);
    expect(result.summary).toMatch(/^### ELB Watchdog\n\n```\n[^]*✗ 3 errors in 2 files[^]*```\n$/);
  });

  it('passes when the policy allows what it finds, writing the SARIF log where asked', async () => {
    // Act: the safe plan, and the flip under a policy that allows it (limit 100%, no healthy-target cut).
    const result = await run({ paths: 'safe-plan.json plan.json', policy: path.join(FIXTURES, 'cli', 'policy-permissive.yaml'), 'sarif-file': 'reports/watchdog.sarif' });

    // Assess
    expect(result.code).toBe(0);
    expect(result.outputs).toEqual({ 'sarif-file': 'reports/watchdog.sarif', errors: '0', warnings: '0' });
    expect(result.stdout).toContain('✓ no problems in 2 plans');
    expect(SarifLogShape.parse(JSON.parse(fs.readFileSync(path.join(workspace, 'reports', 'watchdog.sarif'), 'utf8'))).runs[0].results).toEqual([]);
  });

  it.each<[string, Record<string, string>, number]>([
    ['errors with fail-on never: exit 0', { paths: 'plan.json', 'fail-on': 'never' }, 0],
    ['warnings only with fail-on error: exit 0', { paths: 'single-target.template.json' }, 0],
    ['warnings only with fail-on warning: exit 1', { paths: 'single-target.template.json', 'fail-on': 'warning' }, 1],
  ])('ends on %s', async (_case, inputs, code) => {
    const result = await run(inputs);
    expect(result.code).toBe(code);
    expect(result.steps.map((s) => s.id)).toEqual(['setup', 'check']);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['a missing file', { paths: 'missing.json' }, /^::error title=elb-watchdog::elb-watchdog: cannot read missing\.json: no such file or directory$/m],
    ['no paths', { paths: '  ' }, /^::error title=elb-watchdog::the input paths is empty/m],
    ['a bad fail-on', { paths: 'plan.json', 'fail-on': 'sometimes' }, /^::error title=elb-watchdog::fail-on must be error, warning or never, not 'sometimes'$/m],
  ])('fails with one annotation on %s', async (_case, inputs, message) => {
    const result = await run(inputs);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(message);
  });

  it("runs the project's own elb-watchdog when the project depends on it", async () => {
    // Prepare: the package installed in the workspace as npm installs a dependency (its own copy of dist/).
    const installed = path.join(workspace, 'node_modules', 'elb-watchdog');
    fs.mkdirSync(path.join(workspace, 'node_modules', '.bin'), { recursive: true });
    fs.cpSync(path.join(ROOT, 'dist'), path.join(installed, 'dist'), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(installed, 'package.json'));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(installed, 'node_modules'));
    fs.symlinkSync('../elb-watchdog/dist/bin/elb-watchdog.js', path.join(workspace, 'node_modules', '.bin', 'elb-watchdog'));

    const result = await run({ paths: 'safe-plan.json' });

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Using elb-watchdog at ${fs.realpathSync(path.join(installed, 'dist', 'bin', 'elb-watchdog.js'))}\n`);
  });

  it('declares every input a step reads and reads every input it declares', () => {
    const action = readAction(path.join(ROOT, 'action.yml'));
    const read = new Set(action.runs.steps.flatMap((s) => Object.values(s.env ?? {}).flatMap((v) => [...v.matchAll(/inputs\.([a-z-]+)/g)].map((m) => m[1]))));
    expect([...read].sort()).toEqual(Object.keys(action.inputs).sort());
  });
});
