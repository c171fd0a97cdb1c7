import { join } from 'node:path';
import type { ModifyListenerCommandInput } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { LoadBalancerStatus } from '../../bin/commands/status';
import type { PolicySource } from '../../bin/commands/policy-source';
import { DynamoDbStateStore } from '../../lambdas/aws/dynamodb-state-store';
import { policyHash } from '../../lambdas/core/policy';
import type { ElbWatchdogProps } from '../../lib/elb-watchdog';
import { resolvePolicy } from '../../lib/watchdog-policy';
import { startStandIn, type StandIn } from '../../sim';
import { WatchdogRunner } from '../../sim/runner/watchdog-runner';
import { demoResources, sdkClients, type SdkClients } from '../sim/helpers/stand-in-fixture';
import { CLI_FIXTURES, cliAt, jsonOf } from './operator-cli';
import { patience } from '../helpers/patience';

/**
 * The watchdog as deployed here: enforcing, one server may take up to 70% of a path, and an override.
 * The default policy (dry-run, 50%) would say something else about both the mode and a 40/60 split.
 */
const WATCHDOG: ElbWatchdogProps = {
  mode: 'enforce',
  policy: { version: 1, rules: { 'max-target-share': { limitPercent: 70 } }, overrides: [{ name: 'dev', match: { tags: { env: 'dev' } }, mode: 'dry-run' }] },
};
const DEPLOYED_HASH = policyHash(resolvePolicy(WATCHDOG.policy, WATCHDOG.mode));

let standIn: StandIn;
let runner: WatchdogRunner;
let alice: SdkClients;
let store: DynamoDbStateStore;
let cli: ReturnType<typeof cliAt>;

beforeAll(async () => {
  // The runner plays the deployment: its first audit is the one the stack runs when it finishes deploying.
  standIn = await startStandIn({ world: 'demo', clock: { speed: 0 } });
  runner = new WatchdogRunner({ watchdog: WATCHDOG, initialRuns: ['audit'] });
  await standIn.attach(runner);
  alice = sdkClients(standIn.url, 'alice');
  store = new DynamoDbStateStore(alice.dynamodb, [...runner.deployed.tableNames.values()][0]);
  cli = cliAt(standIn.url);
}, patience(90_000));

afterAll(async () => {
  Object.values(alice ?? {}).forEach((client: { destroy(): void }) => client.destroy());
  await standIn?.stop();
}, patience(30_000));

/** The demo listener at blue 40 / green 60: web-green's one server would take 60% of the path. */
const split = (): ModifyListenerCommandInput => {
  const w = demoResources(standIn);
  return {
    ListenerArn: w.listener,
    DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: w.blue, Weight: 40 }, { TargetGroupArn: w.green, Weight: 60 }] } }],
  };
};

describe('The deployed policy: recorded by the watchdog, used and named by status, audit and preview', () => {
  it('is recorded in the state table when the stack is deployed: the effective policy (mode applied) and its hash', async () => {
    // Act
    const recorded = await store.getDeployedPolicy();

    // Assess
    expect(recorded).toMatchObject({ hash: DEPLOYED_HASH, policy: { mode: 'enforce', overrides: [{ name: 'dev' }] } });
    expect(recorded?.since).toBe(recorded?.recordedAt);
  });

  it('status shows the deployed mode, not the default policy\'s, and says which policy it used', async () => {
    // Act
    const text = await cli(['status']);
    const json = await cli(['status', '--json']);

    // Assess
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      new RegExp(`^Policy: deployed \\(enforce, 1 override, hash ${DEPLOYED_HASH.slice(0, 12)}, recorded \\S+ \\S+ UTC, since \\S+ \\S+ UTC\\)\\nState from \\S*StateTable\\S* in us-east-1\\.\\n`),
    );
    expect(text.stdout).toMatch(/│ web +│ enforce +│/);
    const [web] = jsonOf<LoadBalancerStatus[]>(json);
    expect(web).toMatchObject({ name: 'web', mode: 'enforce', policy: { source: 'deployed', hash: DEPLOYED_HASH } });
  });

  it('status and audit take --policy FILE instead, and say so', async () => {
    const file = join(CLI_FIXTURES, 'policy-permissive.yaml');

    const status = await cli(['status', '--policy', file]);
    const audit = await cli(['audit', '--policy', file, '--json']);

    expect(status.stdout).toMatch(new RegExp(`^Policy: --policy ${file} \\(dry-run, hash [0-9a-f]{12}\\)\\n`));
    expect(status.stdout).toMatch(/│ web +│ dry-run +│/);
    expect(jsonOf<{ policy: PolicySource }>(audit).policy).toEqual({ source: 'file', file, hash: expect.not.stringMatching(DEPLOYED_HASH) });
  });

  it('preview judges with the deployed policy: a 40/60 split is allowed at its 70% limit, blocked at the default 50%', async () => {
    // Act
    const deployed = await cli(['preview', '--change', '-', '--json'], { stdin: JSON.stringify(split()) });
    const text = await cli(['preview', '--change', '-'], { stdin: JSON.stringify(split()) });
    const withFile = await cli(['preview', '--change', '-', '--policy', join(CLI_FIXTURES, 'policy-enforce.yaml'), '--json'], { stdin: JSON.stringify(split()) });

    // Assess
    expect(deployed.code).toBe(0);
    expect(jsonOf<{ decision: string; policy: PolicySource }>(deployed)).toMatchObject({ decision: 'allow', policy: { source: 'deployed', hash: DEPLOYED_HASH } });
    expect(text.stdout).toMatch(/^Policy: deployed \(enforce, 1 override, hash [0-9a-f]{12}, recorded .*\)\nModifyListener on web /);
    expect(withFile.code).toBe(2);
    expect(jsonOf<{ decision: string; policy: PolicySource }>(withFile)).toMatchObject({ decision: 'block', policy: { source: 'file' } });
  });

  it('audit uses it too', async () => {
    const result = await cli(['audit', '--json']);

    expect(jsonOf<{ policy: PolicySource }>(result).policy).toMatchObject({ source: 'deployed', hash: DEPLOYED_HASH });
  });

  it('is recorded again at each audit: the time moves, "since" stays while the policy does', async () => {
    // Prepare
    const before = await store.getDeployedPolicy();

    // Act: the hourly schedule comes round.
    await runner.invokeScheduled('audit');

    // Assess
    const after = await store.getDeployedPolicy();
    expect(after).toMatchObject({ hash: DEPLOYED_HASH, since: before?.since });
    expect(Date.parse(after?.recordedAt ?? '')).toBeGreaterThan(Date.parse(before?.recordedAt ?? ''));
  });
});
