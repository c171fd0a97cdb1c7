import { ModifyListenerCommand, type ModifyListenerCommandInput } from '@aws-sdk/client-elastic-load-balancing-v2';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LoadBalancerPreview } from '../../bin/commands/preview';
import type { LoadBalancerAuditResult } from '../../bin/commands/audit';
import { startStandIn, type StandIn } from '../../sim';
import { demoResources, sdkClients, type SdkClients } from '../sim/helpers/stand-in-fixture';
import { ALICE_ENV, CLI_FIXTURES, cliAt, expectErrorLine, jsonOf } from './operator-cli';
import { CLI, type CliResult } from './run-cli';
import { patience } from '../helpers/patience';

/** util-linux `script` gives the CLI a terminal, to see what a person sees. */
const withTerminal = process.platform === 'linux' && existsSync('/usr/bin/script') ? it : it.skip;

let standIn: StandIn;
let alice: SdkClients;
let cli: ReturnType<typeof cliAt>;

beforeAll(async () => {
  standIn = await startStandIn({ world: 'demo', clock: { speed: 0 } });
  alice = sdkClients(standIn.url, 'alice');
  cli = cliAt(standIn.url);
}, patience(60_000));

afterAll(async () => {
  Object.values(alice ?? {}).forEach((client: { destroy(): void }) => client.destroy());
  await standIn?.stop();
}, patience(30_000));

const world = () => demoResources(standIn);

/** The demo listener's weights as a `modify-listener --cli-input-json` request. */
const weights = (blue: number, green: number): ModifyListenerCommandInput => {
  const w = world();
  return {
    ListenerArn: w.listener,
    DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: w.blue, Weight: blue }, { TargetGroupArn: w.green, Weight: green }] } }],
  };
};

const preview = (request: unknown, ...args: string[]): Promise<CliResult> => cli(['preview', '--change', '-', ...args], { stdin: JSON.stringify(request) });

describe('CLI: elb-watchdog preview (against the stand-in)', () => {
  it('allows an even split: exit 0, every moving share shown', async () => {
    // Act
    const result = await preview(weights(50, 50));

    // Assess
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    // No watchdog is deployed here: the verdict is the default policy's, and the first line says why.
    expect(result.stdout).toMatch(
      /^Policy: the default \(dry-run, hash [0-9a-f]{12}\): no ELB Watchdog state table in us-east-1: .*; pass --policy FILE to choose one\nModifyListener on web \(arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer\/app\/web\//,
    );
    expect(result.stdout).toMatch(/│ all requests on HTTP:80 │ i-\w+ +│ web-green +│ 0% +│ 50% +│/);
    expect(result.stdout.match(/│ web-blue +│ 25% +│ 12\.5% +│/g)).toHaveLength(4);
    expect(result.stdout).toMatch(/\nVerdict: ALLOW\n/);
  });

  it('blocks the May 19 flip: exit 2, the verdict on stdout and nothing on stderr', async () => {
    const result = await preview(weights(0, 100), '--json');

    expect(result.code).toBe(2);
    expect(result.stderr).toBe('');
    const { call, decision, loadBalancers } = jsonOf<{ call: string; decision: string; loadBalancers: LoadBalancerPreview[] }>(result);
    expect({ call, decision }).toEqual({ call: 'ModifyListener', decision: 'block' });
    expect(loadBalancers[0].findings.filter((f) => f.severity !== 'info').map((f) => `${f.ruleId}:${f.severity}`)).toEqual(['max-target-share:block', 'healthy-target-cut:block']);
    // The stand-in's clock has not moved: CloudWatch holds no datapoints, so the verdict is by shares and says so.
    expect(loadBalancers[0].load).toEqual({ basis: 'shares', reason: expect.stringMatching(/^no RequestCount datapoints in the last 15 minutes/) as unknown });
    expect(loadBalancers[0].shareChanges[0]).toMatchObject({ targetGroupName: 'web-green', before: 0, after: 1 });
  });

  it('finds the load balancers of a target group and judges a deregistration given --action', async () => {
    const w = world();
    const blue = ['web-1', 'web-2', 'web-3'].map((name) => ({ Id: standIn.world.resources[`instance:${name}`], Port: 80 }));

    const result = await preview({ TargetGroupArn: w.blue, Targets: blue }, '--action', 'deregister-targets');

    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^Policy: .*\nDeregisterTargets on web /);
    expect(result.stdout).toMatch(/✗ healthy-target-cut: all requests on HTTP:80, the default rule: would be served by 1 healthy target, was 4 \(-75%\); limit -50%/);
  });

  it('warns when the risk already existed before the change: exit 1', async () => {
    // Prepare: someone already sent everything to web-green (no watchdog runs here to undo it).
    await alice.elbv2.send(new ModifyListenerCommand(weights(0, 100)));
    try {
      // Act
      const result = await preview(weights(1, 99));

      // Assess
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/\nVerdict: WARN\n/);
      expect(result.stdout).toMatch(/! max-target-share: all requests on HTTP:80, the default rule: i-\w+ would receive 99%, was 100%; limit 50% \(unchanged risk/);
    } finally {
      await alice.elbv2.send(new ModifyListenerCommand(weights(100, 0)));
    }
  });

  it('names a load balancer that does not exist: exit 3, one line', async () => {
    const missing = world().listener.replace(/app\/web\/\w+/, 'app/web/0000000000000000');

    const result = await preview({ ...weights(50, 50), ListenerArn: missing });

    expectErrorLine(result, 3, /^elb-watchdog: load balancer arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer\/app\/web\/0000000000000000 not found in us-east-1: check the ARN/);
  });

  it('names a target group that does not exist: exit 3, one line', async () => {
    const missing = world().blue.replace(/web-blue\/\w+$/, 'web-gone/0000000000000000');

    const result = await preview({ TargetGroupArn: missing, Targets: [{ Id: 'i-0abc' }] }, '--action', 'register-targets');

    expectErrorLine(result, 3, /^elb-watchdog: target group .*web-gone\/0000000000000000 not found in us-east-1/);
  });
});

describe('CLI: the Region, as the AWS CLI finds it', () => {
  // AWS_REGION, then AWS_DEFAULT_REGION (which the AWS CLI reads and the JS SDK does not), then the
  // profile's: an environment variable overrides a profile setting
  // (https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html).
  const profileInEuWest1 = { AWS_CONFIG_FILE: join(CLI_FIXTURES, 'aws-config') };

  it('works with AWS_DEFAULT_REGION alone, as the README\'s stand-in recipe sets it', async () => {
    const result = await cli(['preview', '--change', '-', '--json'], { stdin: JSON.stringify(weights(50, 50)), env: { AWS_REGION: undefined, AWS_DEFAULT_REGION: 'us-east-1' } });

    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(jsonOf<{ loadBalancers: LoadBalancerPreview[] }>(result).loadBalancers.map((lb) => lb.name)).toEqual(['web']);
  });

  it.each<[string, Record<string, string | undefined>, string[], string]>([
    ['AWS_DEFAULT_REGION over the profile\'s', { ...profileInEuWest1, AWS_REGION: undefined, AWS_DEFAULT_REGION: 'us-east-1' }, [], 'us-east-1'],
    ['AWS_REGION over AWS_DEFAULT_REGION', { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'eu-west-1' }, [], 'us-east-1'],
    ['the profile\'s when neither is set', { ...profileInEuWest1, AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined }, [], 'eu-west-1'],
    ['--region over everything', { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-1' }, ['--region', 'us-east-1'], 'us-east-1'],
  ])('takes %s', async (_case, env, args, region) => {
    const result = await cli(['audit', '--json', ...args], { env });

    expect(jsonOf<{ region: string }>(result).region).toBe(region);
  });
});

describe('CLI: elb-watchdog audit and status without a deployed watchdog', () => {
  it('audits read-only and says that drift could not be checked: exit 0 on the healthy demo world', async () => {
    const result = await cli(['audit', '--json']);

    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const report = jsonOf<{ stateTable: { reachable: boolean; reason: string }; policy: unknown; loadBalancers: LoadBalancerAuditResult[] }>(result);
    expect(report.stateTable).toEqual({ reachable: false, reason: expect.stringMatching(/^no ELB Watchdog state table in us-east-1: pass --table NAME/) });
    expect(report.loadBalancers).toMatchObject([{ name: 'web', drift: 'not-checked', risks: [] }]);
    expect(report).toMatchObject({ policy: { source: 'default', reason: 'no deployed policy without the state table' } });
  });

  withTerminal('shows progress on a terminal, and none when piped', async () => {
    const command = [process.execPath, CLI, 'audit', '--endpoint-url', standIn.url].join(' ');
    const env: NodeJS.ProcessEnv = { ...process.env, ...ALICE_ENV, NODE_NO_WARNINGS: '1' };
    for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];

    const onTerminal = await promisify(execFile)('/usr/bin/script', ['-qec', command, '/dev/null'], { env });
    const piped = await cli(['audit']);

    expect(onTerminal.stdout).toMatch(/auditing 1\/1: web/);
    expect(piped.stderr).toBe('');
    expect(piped.stdout).not.toMatch(/auditing/);
  });

  it('reports risks in text with exit 1', async () => {
    await alice.elbv2.send(new ModifyListenerCommand(weights(0, 100)));
    try {
      const result = await cli(['audit', '--lb', world().lb]);

      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^Audited 1 load balancer in us-east-1\.\nDrift not checked: no ELB Watchdog state table/);
      expect(result.stdout).toMatch(/web: risks in the configuration as it is:\n {2}! max-target-share: /);
    } finally {
      await alice.elbv2.send(new ModifyListenerCommand(weights(100, 0)));
    }
  });

  it('fails on a load balancer asked for that does not exist: exit 3', async () => {
    const result = await cli(['audit', '--lb', world().lb.replace(/\w+$/, '0000000000000000')]);

    expectErrorLine(result, 3, /^elb-watchdog: load balancer .* not found in us-east-1/);
  });

  it('status needs the state table: exit 3 asking for --table', async () => {
    const result = await cli(['status']);

    expectErrorLine(result, 3, /^elb-watchdog: no ELB Watchdog state table in us-east-1: pass --table NAME \(the stack output StateTableName\) or set ELB_WATCHDOG_TABLE$/);
  });

  it('history with a --table that does not exist: exit 3', async () => {
    const result = await cli(['history', '--lb', world().lb, '--table', 'NoSuchStateTable']);

    expectErrorLine(result, 3, /^elb-watchdog: state table NoSuchStateTable not found in us-east-1: check --table or ELB_WATCHDOG_TABLE$/);
  });
});
