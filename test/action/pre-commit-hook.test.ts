import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { patience } from '../helpers/patience';

/**
 * The repository's pre-commit hook (.pre-commit-hooks.yaml), run by pre-commit itself (Debian's
 * `pre-commit` package; `.ci/run` installs it when missing) in a fresh git repository that holds a sample
 * CDK template and a sample Terraform plan. `pre-commit try-repo` clones this repository from disk (with
 * its uncommitted changes) as it would clone it from GitHub, so nothing needs the network; the hook runs
 * the elb-watchdog the sample project depends on (node_modules/.bin), as a CDK project's would.
 */

const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');

// pre-commit clones this repository and starts the CLI per run: a ceiling for a loaded machine, not a race.
jest.setTimeout(180_000);

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish in 170 s\n${output}`));
    }, patience(170_000));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
  });
}

describe('pre-commit hook: elb-watchdog-check', () => {
  let temp: string;
  let project: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    const installed = await run('pre-commit', ['--version'], os.tmpdir(), process.env).catch((error: Error) => ({ code: 127, output: error.message }));
    if (installed.code !== 0) throw new Error(`pre-commit is not installed (apt-get install -y pre-commit; .ci/run does it): ${installed.output}`);
    temp = fs.mkdtempSync(path.join(os.tmpdir(), 'elb-watchdog-pre-commit-'));
    project = path.join(temp, 'project');
    fs.mkdirSync(path.join(project, 'cdk.out'), { recursive: true });
    // pre-commit keeps its clones under PRE_COMMIT_HOME; git needs an identity for try-repo's shadow commit.
    env = { ...process.env, PRE_COMMIT_HOME: path.join(temp, 'cache'), GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 'test@example.com' };
    // The project depends on elb-watchdog: npm would link its bin here.
    const bin = path.join(project, 'node_modules', '.bin', 'elb-watchdog');
    fs.mkdirSync(path.dirname(bin), { recursive: true });
    fs.writeFileSync(bin, `#!/bin/sh\nexec node ${JSON.stringify(path.join(ROOT, 'dist', 'bin', 'elb-watchdog.js'))} "$@"\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(project, '.gitignore'), 'node_modules/\n');
    fs.copyFileSync(path.join(FIXTURES, 'templates', 'unsafe-listener.template.json'), path.join(project, 'cdk.out', 'Shop.template.json'));
    fs.copyFileSync(path.join(FIXTURES, 'terraform', 'flip-by-weights.plan.json'), path.join(project, 'plan.json'));
    fs.copyFileSync(path.join(FIXTURES, 'terraform', 'safe-blue-green.plan.json'), path.join(project, 'safe.tfplan.json'));
    fs.copyFileSync(path.join(FIXTURES, 'templates', 'blue-green.template.json'), path.join(project, 'cdk.out', 'Web.template.json'));
    fs.writeFileSync(path.join(project, 'README.md'), '# a project\n');
    for (const args of [['init', '-q'], ['add', '.']]) expect((await run('git', args, project, env)).code).toBe(0);
  }, patience(60_000));
  afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

  const tryRepo = (files: readonly string[]) => run('pre-commit', ['try-repo', ROOT, 'elb-watchdog-check', '--files', ...files], project, env);

  it('fails the commit on an unsafe Terraform plan and an unsafe CDK template, printing each finding', async () => {
    // Act
    const result = await tryRepo(['plan.json', 'cdk.out/Shop.template.json']);

    // Assess
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/elb-watchdog check\.+Failed/);
    expect(result.output).toContain('- exit code: 2');
    expect(result.output).toContain('plan.json:aws_lb_listener.http: error max-target-share: all requests on HTTP:80, the default rule: i-0e5a7b9c1d3f50002 would receive 100%, was 0%; limit 50%');
    expect(result.output).toContain('cdk.out/Shop.template.json:Http: error max-target-share: listener HTTP:80 of LB web sends 100% of all requests to target group web-green (1 target): limit 50%');
  });

  it('passes safe files, and skips files that are neither templates nor plans', async () => {
    const result = await tryRepo(['safe.tfplan.json', 'cdk.out/Web.template.json', 'README.md']);
    expect(result.output).toMatch(/elb-watchdog check\.+Passed/);
    expect(result.code).toBe(0);

    const none = await tryRepo(['README.md']);
    expect(none.output).toMatch(/elb-watchdog check\.+\(no files to check\)Skipped/);
    expect(none.code).toBe(0);
  });
});
