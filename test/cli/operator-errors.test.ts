import { createServer } from 'node:net';
import { join } from 'node:path';
import { runCli } from './run-cli';
import { ALICE_ENV, CLI_FIXTURES, expectErrorLine } from './operator-cli';

const LB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188';

/** A port nothing listens on: bound, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });
}

/** No credentials anywhere the SDK looks: no keys, no profile files, no instance or container metadata. */
const NO_CREDENTIALS_ENV: Record<string, string | undefined> = {
  ...ALICE_ENV,
  AWS_ACCESS_KEY_ID: undefined,
  AWS_SECRET_ACCESS_KEY: undefined,
  AWS_CONFIG_FILE: join(CLI_FIXTURES, 'no-such-aws-config'),
  AWS_SHARED_CREDENTIALS_FILE: join(CLI_FIXTURES, 'no-such-aws-credentials'),
  AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
  AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
  // A CI runner on EC2 would otherwise find the instance's role.
  AWS_EC2_METADATA_DISABLED: 'true',
};

describe('CLI: the operator commands', () => {
  describe('Help', () => {
    it.each(['evaluate', 'preview', 'audit', 'break-glass', 'history', 'status'])('%s --help shows an example and the exit codes', async (command) => {
      // Act
      const result = await runCli([command, '--help']);

      // Assess
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: elb-watchdog ${command} \\[options\\]`));
      expect(result.stdout).toMatch(/\nExample:\n(?: {2}.*\n)* {2}elb-watchdog /);
      expect(result.stdout).toMatch(/\nExit codes: 0 /);
      expect(result.stdout).toMatch(/--json/);
    });

    it('lists them in the top-level help', async () => {
      const result = await runCli(['--help']);

      for (const command of ['evaluate', 'preview', 'audit', 'break-glass', 'history', 'status']) expect(result.stdout).toMatch(new RegExp(`\\n {2}${command} \\[options\\]`));
    });
  });

  describe('Usage errors: exit 2, one line', () => {
    it.each([
      ['an unknown flag', ['audit', '--frobnicate'], /^error: unknown option '--frobnicate'$/],
      ['an ARN of the wrong shape', ['history', '--lb', 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-blue/73e2d6bc24d8a067'], /argument .* is invalid\. expected an ELBv2 load balancer ARN/],
      ['a Classic Load Balancer ARN', ['status', '--lb', 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/legacy'], /a Classic Load Balancer ARN: ELB Watchdog guards ELBv2/],
      ['a break-glass longer than a day', ['break-glass', '--lb', LB, '--for', '25h', '--reason', 'x'], /'--for <duration>' argument '25h' is invalid\. expected a duration like 30m, 2h or 1h30m, at most 24h/],
      ['a break-glass without a reason', ['break-glass', '--lb', LB, '--for', '30m'], /^elb-watchdog: a break-glass needs --for DURATION and --reason TEXT \(or --end to end one\)$/],
      ['--end with a duration', ['break-glass', '--lb', LB, '--end', '--for', '30m'], /^elb-watchdog: --end takes no --for or --reason$/],
      ['a --since that is no time', ['history', '--lb', LB, '--since', 'yesterday'], /expected a time ago like 30m, 2h, 7d, or an ISO-8601 time/],
      ['an --action preview does not know', ['preview', '--change', '-', '--action', 'reboot'], /argument 'reboot' is invalid\. Allowed choices are create-listener, /],
      ['an unreadable change request', ['preview', '--change', CLI_FIXTURES], /^elb-watchdog: cannot read .*cli: it is a directory$/],
      ['an unreadable policy', ['audit', '--policy', '/nonexistent/policy.yaml'], /^elb-watchdog: cannot read \/nonexistent\/policy\.yaml: no such file$/],
    ])('%s', async (_case, args, pattern) => {
      const result = await runCli(args, { env: ALICE_ENV });

      expectErrorLine(result, 2, pattern);
    });

    it('says which call a change request could be when its keys do not tell', async () => {
      const request = { TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-blue/73e2d6bc24d8a067', Targets: [{ Id: 'i-0abc' }] };

      const result = await runCli(['preview', '--change', '-'], { stdin: JSON.stringify(request), env: ALICE_ENV });

      expectErrorLine(result, 2, /^elb-watchdog: the request could be register-targets or deregister-targets \(keys: TargetGroupArn, Targets\): pass --action register-targets \| deregister-targets$/);
    });

    it('rejects invalid JSON in a change request before any AWS call', async () => {
      const result = await runCli(['preview', '--change', '-'], { stdin: '{"ListenerArn": ', env: ALICE_ENV });

      expectErrorLine(result, 2, /^elb-watchdog: stdin: not valid JSON \(.*\); expected the change request$/);
    });

    it('prints the stack trace only with --debug', async () => {
      const result = await runCli(['evaluate', '--event', '/nonexistent.json', '--debug']);

      expect(result.code).toBe(2);
      expect(result.stderr.split('\n')[0]).toBe('elb-watchdog: cannot read /nonexistent.json: no such file');
      expect(result.stderr).toMatch(/^\s+at readText /m);
    });
  });

  describe('AWS errors: exit 3, one line with a hint', () => {
    it('names the endpoint it cannot reach and how to start the stand-in', async () => {
      const url = `http://127.0.0.1:${await closedPort()}`;

      const result = await runCli(['audit', '--endpoint-url', url], { env: ALICE_ENV });

      expectErrorLine(result, 3, new RegExp(`^elb-watchdog: cannot reach ${url} \\(ECONNREFUSED\\): check the endpoint, or start the stand-in with \`elb-watchdog sim\`$`));
    });

    it.each([['status'], ['history', '--lb', LB], ['break-glass', '--lb', LB, '--end'], ['preview', '--change', '-']])(
      'says how to provide credentials when there are none: %s',
      async (...args) => {
        const stdin = JSON.stringify({ ListenerArn: `${LB.replace(':loadbalancer/', ':listener/')}/f2f7dc8efc522ab2`, DefaultActions: [] });

        const result = await runCli(args, { stdin, env: NO_CREDENTIALS_ENV });

        expectErrorLine(result, 3, /^elb-watchdog: no AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID\/AWS_SECRET_ACCESS_KEY/);
      },
    );

    it.each([
      ['--profile', ['--profile', 'prod'], {}],
      ['AWS_PROFILE', [], { AWS_PROFILE: 'prod' }],
    ])('names a profile given by %s that no shared file defines: exit 2, one line', async (_how, args, env) => {
      const files = { AWS_CONFIG_FILE: join(CLI_FIXTURES, 'aws-config'), AWS_SHARED_CREDENTIALS_FILE: join(CLI_FIXTURES, 'no-such-aws-credentials') };

      const result = await runCli(['status', ...args], { env: { ...NO_CREDENTIALS_ENV, ...files, ...env } });

      expectErrorLine(result, 2, new RegExp(`^elb-watchdog: profile prod not found in ${files.AWS_CONFIG_FILE} or ${files.AWS_SHARED_CREDENTIALS_FILE}: check --profile and AWS_PROFILE`));
    });

    it('names the profile that gave no credentials: exit 3, one line', async () => {
      const result = await runCli(['status', '--profile', 'dev'], { env: { ...NO_CREDENTIALS_ENV, AWS_CONFIG_FILE: join(CLI_FIXTURES, 'aws-config') } });

      expectErrorLine(result, 3, /^elb-watchdog: no AWS credentials from profile dev: /);
    });

    it('asks for a Region when none is configured', async () => {
      const result = await runCli(['status'], { env: { ...ALICE_ENV, AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined, AWS_CONFIG_FILE: join(CLI_FIXTURES, 'no-such-aws-config') } });

      expectErrorLine(result, 2, /^elb-watchdog: no AWS Region: pass --region or set AWS_REGION/);
    });
  });
});
