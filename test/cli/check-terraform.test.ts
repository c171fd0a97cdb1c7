import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SarifLogShape } from '../core/static/sarif-shape';
import { runCli } from './run-cli';

/**
 * `elb-watchdog check` on `terraform show -json` output (a plan or a state, told apart by content), as a
 * CI step runs it: the same text, JSON and SARIF as for templates, findings at Terraform addresses, and
 * for a plan the verdict `elb-watchdog evaluate` gives to the same change as a CloudTrail record.
 */

const TERRAFORM = path.join(__dirname, '..', 'fixtures', 'terraform');
const fixture = (name: string) => path.relative(process.cwd(), path.join(TERRAFORM, name));
const CLI_FIXTURES = path.join(__dirname, '..', 'fixtures', 'cli');

describe('CLI: elb-watchdog check on Terraform', () => {
  it('exits 2 on the May 19 flip as a plan and prints each finding at its Terraform address', async () => {
    // Act
    const result = await runCli(['check', fixture('flip-by-weights.plan.json')]);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stdout.split('\n')).toEqual([
      `${fixture('flip-by-weights.plan.json')}:aws_lb_listener.http: error max-target-share: all requests on HTTP:80, the default rule: i-0e5a7b9c1d3f50002 would receive 100%, was 0%; limit 50%`,
      `${fixture('flip-by-weights.plan.json')}:aws_lb_listener.http: error healthy-target-cut: all requests on HTTP:80, the default rule: would be served by 1 healthy target, was 4 (-75%); limit -50%`,
      '✗ 2 errors in 1 plan (1 load balancer, 1 listener, 0 rules, 2 target groups checked)',
      '',
    ]);
  });

  it('gives the plan the verdict `evaluate` gives the same change as a CloudTrail record (ModifyListener on web)', async () => {
    // Prepare: the record and the snapshot of the CLI fixtures describe the same load balancer, ARNs and instances.
    const event = path.join(__dirname, '..', 'fixtures', 'cloudtrail', 'modify-listener.json');

    // Act
    const [runtime, plan] = await Promise.all([
      runCli(['evaluate', '--event', event, '--before', path.join(CLI_FIXTURES, 'web-before.json'), '--json']),
      runCli(['check', fixture('flip-by-weights.plan.json'), '--json']),
    ]);

    // Assess
    const judged = JSON.parse(runtime.stdout) as { decision: string; findings: { ruleId: string; severity: string; message: string }[] };
    const checked = JSON.parse(plan.stdout) as { templates: { verdicts: { decision: string }[] }[]; findings: { ruleId: string; severity: string; message: string }[] };
    expect(judged.decision).toBe('block');
    expect(checked.templates[0].verdicts.map((v) => v.decision)).toEqual([judged.decision]);
    expect(checked.findings.map((f) => [f.ruleId, f.message])).toEqual(judged.findings.map((f) => [f.ruleId, f.message]));
  });

  it.each<[string, string[], number, RegExp]>([
    ['a safe blue/green plan', [fixture('safe-blue-green.plan.json')], 0, /^✓ no problems in 1 plan \(1 load balancer, 1 listener, 0 rules, 2 target groups checked\)\n$/],
    ['values known only at apply', [fixture('unknown-values.plan.json')], 0, /✓ no problems in 1 plan .*; 1 known only at apply not judged \(--verbose lists them\)\n$/],
    ['values known only at apply, verbose', [fixture('unknown-values.plan.json'), '--verbose'], 0, /unknown-values\.plan\.json:aws_lb_listener_rule\.api: note: new rule not judged: its priority is known only after apply\n/],
    ['a state, as a template', [fixture('web-after-flip.state.json')], 2, /:aws_lb_listener\.http: error max-target-share: listener HTTP:80 of LB web sends 100% of all requests to target group web-green \(1 target\): limit 50%\n✗ 1 error in 1 state/],
    ['a template and a plan together', [path.join(__dirname, '..', 'fixtures', 'templates', 'blue-green.template.json'), fixture('safe-blue-green.plan.json')], 0, /^✓ no problems in 2 files /],
  ])('checks %s', async (_case, args, code, output) => {
    const result = await runCli(['check', ...args]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(code);
    expect(result.stdout).toMatch(output);
  });

  it('writes SARIF 2.1.0 naming the Terraform address, with a descriptor for every rule a plan may report', async () => {
    // Act
    const result = await runCli(['check', fixture('new-catch-all-rule.plan.json'), '--format', 'sarif']);

    // Assess
    expect(result.code).toBe(2);
    const sarif = SarifLogShape.parse(JSON.parse(result.stdout));
    const [run] = sarif.runs;
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(expect.arrayContaining(['max-target-share', 'healthy-target-cut', 'forward-reaches-targets', 'fail-open', 'rule-error']));
    expect(run.results.map((r) => [r.ruleId, r.level, r.locations[0].logicalLocations?.[0].fullyQualifiedName, r.locations[0].physicalLocation.artifactLocation.uri])).toEqual([
      ['max-target-share', 'error', 'aws_lb_listener_rule.catch_all', fixture('new-catch-all-rule.plan.json').split(path.sep).join('/')],
      ['healthy-target-cut', 'error', 'aws_lb_listener_rule.catch_all', fixture('new-catch-all-rule.plan.json').split(path.sep).join('/')],
    ]);
    expect(run.tool.driver.rules[run.results[0].ruleIndex].id).toBe('max-target-share');
  });

  it('points SARIF results at the line of the resource in a pretty-printed plan', async () => {
    // Prepare: the plan as `jq .` prints it.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elb-watchdog-tf-'));
    const pretty = path.join(dir, 'plan.json');
    fs.writeFileSync(pretty, JSON.stringify(JSON.parse(fs.readFileSync(path.join(TERRAFORM, 'flip-by-weights.plan.json'), 'utf8')), null, 2));
    const line = fs.readFileSync(pretty, 'utf8').split('\n').findIndex((l) => l.includes('"address": "aws_lb_listener.http"')) + 1;

    try {
      // Act
      const result = await runCli(['check', pretty, '--format', 'sarif']);

      // Assess
      const sarif = SarifLogShape.parse(JSON.parse(result.stdout));
      expect(line).toBeGreaterThan(1);
      expect(sarif.runs[0].results.map((r) => r.locations[0].physicalLocation.region?.startLine)).toEqual([line, line]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 with one line naming the file, the resource and the field on a plan it cannot read', async () => {
    // Prepare: a weight the provider would never write (a string).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elb-watchdog-tf-'));
    const plan = JSON.parse(fs.readFileSync(path.join(TERRAFORM, 'flip-by-weights.plan.json'), 'utf8')) as { resource_changes: { address: string; change: { after: { default_action: { forward: { target_group: { weight: unknown }[] }[] }[] } } }[] };
    const i = plan.resource_changes.findIndex((c) => c.address === 'aws_lb_listener.http');
    plan.resource_changes[i].change.after.default_action[0].forward[0].target_group[0].weight = 'all';
    const file = path.join(dir, 'plan.json');
    fs.writeFileSync(file, JSON.stringify(plan));

    try {
      // Act
      const result = await runCli(['check', file]);

      // Assess
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim()).toBe(`elb-watchdog: ${file}: resource_changes[${i}].change.after.default_action[0].forward[0].target_group[0].weight (aws_lb_listener.http): Invalid input: expected number, received string`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
