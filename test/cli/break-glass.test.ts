import { DescribeListenersCommand, ModifyListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { join } from 'node:path';
import type { LoadBalancerAuditResult } from '../../bin/commands/audit';
import type { LoadBalancerStatus } from '../../bin/commands/status';
import { DynamoDbStateStore } from '../../lambdas/aws/dynamodb-state-store';
import type { AuditRecord } from '../../lambdas/core/ports';
import { startStandIn, type StandIn } from '../../sim';
import { waitUntil } from '../../sim/launcher/wait-until';
import { WatchdogRunner } from '../../sim/runner/watchdog-runner';
import { demoResources, sdkClients, type SdkClients } from '../sim/helpers/stand-in-fixture';
import { CLI_FIXTURES, cliAt, expectErrorLine, jsonOf } from './operator-cli';
import { patience } from '../helpers/patience';

/**
 * The actor of a break-glass is the identity the caller's credentials authenticate as, from STS
 * GetCallerIdentity (it needs no permission, and an explicit deny cannot stop it):
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html. The stand-in answers it
 * as the identity the access key stands for (key `carol` is `arn:aws:iam::123456789012:user/carol`).
 */
let standIn: StandIn;
let runner: WatchdogRunner;
let alice: SdkClients;
let store: DynamoDbStateStore;
let cli: ReturnType<typeof cliAt>;

beforeAll(async () => {
  standIn = await startStandIn({ world: 'demo', clock: { speed: 0 }, cloudTrailDelayMs: 0 });
  runner = new WatchdogRunner({ watchdog: { mode: 'enforce' } });
  await standIn.attach(runner);
  alice = sdkClients(standIn.url, 'alice');
  store = new DynamoDbStateStore(alice.dynamodb, [...runner.deployed.tableNames.values()][0]);
  cli = cliAt(standIn.url);
}, patience(180_000));

afterAll(async () => {
  Object.values(alice ?? {}).forEach((client: { destroy(): void }) => client.destroy());
  await standIn?.stop();
}, patience(30_000));

const world = () => demoResources(standIn);
/** carol, as AWS (here the stand-in's STS) authenticates her access key. */
const CAROL = 'arn:aws:iam::123456789012:user/carol';
const ALICE = 'arn:aws:iam::123456789012:user/alice';
/** The CLI run with carol's credentials. */
const asCarol = { env: { AWS_ACCESS_KEY_ID: 'carol' } };
const announcements = () => standIn.notifications().filter((n) => n.subject?.startsWith('BREAK-GLASS'));

async function setWeights(blue: number, green: number): Promise<void> {
  const w = world();
  await alice.elbv2.send(
    new ModifyListenerCommand({
      ListenerArn: w.listener,
      DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: w.blue, Weight: blue }, { TargetGroupArn: w.green, Weight: green }] } }],
    }),
  );
}

async function weights(): Promise<string> {
  const w = world();
  const listener = (await alice.elbv2.send(new DescribeListenersCommand({ ListenerArns: [w.listener] }))).Listeners?.[0];
  const groups = listener?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups ?? [];
  return `${groups.find((g) => g.TargetGroupArn === w.blue)?.Weight}/${groups.find((g) => g.TargetGroupArn === w.green)?.Weight}`;
}

/** Polls the audit log (through the handlers' own adapter) until a record matches; the only way this file waits. */
function auditRecord(what: string, match: (record: AuditRecord) => boolean): Promise<AuditRecord> {
  return waitUntil(async () => (await store.listAudit(world().lb, { limit: 50 })).find(match), {
    timeoutMs: patience(15_000),
    intervalMs: 100,
    onTimeout: () => new Error(`timed out waiting for the audit record of ${what}`),
  });
}

describe('CLI: elb-watchdog break-glass, history, status (with the watchdog enforcing on the stand-in)', () => {
  it('refuses a break-glass on a load balancer that does not exist: exit 3, one line', async () => {
    // Act
    const result = await cli(['break-glass', '--lb', world().lb.replace(/\w+$/, '0000000000000000'), '--for', '30m', '--reason', 'typo']);

    // Assess
    expectErrorLine(result, 3, /^elb-watchdog: load balancer .*app\/web\/0000000000000000 not found in us-east-1: check the ARN/);
  });

  it('refuses to start a break-glass it cannot announce: exit 3, nothing suspended', async () => {
    const lb = world().lb;

    const result = await cli(['break-glass', '--lb', lb, '--for', '30m', '--reason', 'nobody will know', '--topic', 'arn:aws:sns:us-east-1:123456789012:no-such-topic'], asCarol);

    expectErrorLine(result, 3, /^elb-watchdog: announcing the break-glass failed, so it was not started: Publish on arn:aws:sns:us-east-1:123456789012:no-such-topic failed: NotFound/);
    expect(await store.getBreakGlass(lb)).toBeUndefined();
    expect(await store.listAudit(lb)).toEqual([]);
  });

  it('suspends enforcement: an unsafe change during the break-glass stays, and history and status show why', async () => {
    // Prepare: carol opens a break-glass for 30 minutes; --by is a note, her credentials say who she is.
    const lb = world().lb;
    const started = await cli(['break-glass', '--lb', lb, '--for', '30m', '--reason', 'CHG-1234: drain blue', '--by', 'INC-42 bridge', '--json'], asCarol);
    expect(started.code).toBe(0);
    const { breakGlass, actor } = jsonOf<{ breakGlass: { by: string; note: string; startedAt: string; expiresAt: string }; actor: { type: string; arn: string } }>(started);
    expect({ by: breakGlass.by, note: breakGlass.note, actor: actor.type }).toEqual({ by: CAROL, note: 'INC-42 bridge', actor: 'IAMUser' });
    expect(Date.parse(breakGlass.expiresAt) - Date.parse(breakGlass.startedAt)).toBe(30 * 60_000);
    // People are told: who (authenticated), why, until when.
    const [announced] = announcements();
    expect(announced.subject).toMatch(/^BREAK-GLASS on web by carol: enforcement suspended until \d\d:\d\d UTC$/);
    expect(announced.message).toContain(`Who:    ${CAROL} (authenticated by AWS STS)`);
    expect(announced.message).toContain('Note:   INC-42 bridge (as given; not verified)');
    expect(announced.message).toContain('Why:    CHG-1234: drain blue');
    expect(announced.message).toContain(`Until:  ${breakGlass.expiresAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`);

    // Act: alice makes the May 19 change while it lasts.
    await setWeights(0, 100);
    const judged = await auditRecord('the ModifyListener', (r) => r.eventName === 'ModifyListener');

    // Assess: judged as a block, suspended, not reverted.
    expect({ decision: judged.decision, action: judged.action, outcome: judged.outcome, by: judged.actor.displayName }).toEqual({
      decision: 'block',
      action: 'suspended-by-break-glass',
      outcome: 'suspended',
      by: 'alice',
    });
    expect(await weights()).toBe('0/100');

    const history = await cli(['history', '--lb', lb, '--json']);
    expect(history.code).toBe(0);
    expect(jsonOf<AuditRecord[]>(history).map((r) => `${r.eventName} by ${r.actor.displayName}: ${r.outcome}`)).toEqual([
      `BreakGlass by ${CAROL}: break-glass-started`,
      'ModifyListener by alice: suspended',
    ]);
    const table = await cli(['history', '--lb', lb, '--since', '1h']);
    expect(table.stdout).toMatch(/^Audit log of web since .* UTC, oldest first \(2 records\):\n/);
    expect(table.stdout).toMatch(/│ BreakGlass +│ arn:aws:iam::123456789012:user\/carol │ - +│ break-glass-started │ until .* UTC: CHG-1234: drain blue \(note: INC-42 bridge\) +│/);
    expect(table.stdout).toMatch(/│ ModifyListener │ alice +│ BLOCK +│ suspended +│ i-\w+ 0% → 100% \(all requests on HTTP:80\) +│/);

    const status = await cli(['status', '--lb', lb, '--policy', join(CLI_FIXTURES, 'policy-enforce.yaml'), '--json']);
    expect(status.code).toBe(0);
    const [web] = jsonOf<LoadBalancerStatus[]>(status);
    expect(web).toMatchObject({
      name: 'web',
      mode: 'enforce',
      policy: { source: 'file', file: join(CLI_FIXTURES, 'policy-enforce.yaml') },
      breakGlass: { by: CAROL, reason: 'CHG-1234: drain blue', expiresAt: breakGlass.expiresAt },
      baseline: { version: 1 },
      lastVerdict: { eventName: 'ModifyListener', by: 'alice', decision: 'block', outcome: 'suspended' },
    });

    // The audit sees what the break-glass let through: unsafe drift from the baseline (exit 2).
    const audit = await cli(['audit', '--lb', lb, '--json']);
    expect(audit.code).toBe(2);
    expect(jsonOf<{ loadBalancers: LoadBalancerAuditResult[] }>(audit).loadBalancers[0]).toMatchObject({ drift: 'unsafe-drift' });
  });

  it('ends the break-glass with --end: the next unsafe change is reverted again', async () => {
    // Prepare
    const lb = world().lb;
    const ended = await cli(['break-glass', '--lb', lb, '--end', '--by', 'carol']);
    expect(ended.code).toBe(0);
    // alice's credentials, whatever --by says: the note cannot make her carol.
    expect(ended.stdout).toMatch(/^Break-glass on web ended by arn:aws:iam::123456789012:user\/alice \(note: carol\) \(it was to last until .* UTC\); the watchdog enforces as configured again\.\n$/);
    const endings = announcements().filter((n) => n.subject?.startsWith('BREAK-GLASS ENDED'));
    expect(endings.map((n) => n.subject)).toEqual(['BREAK-GLASS ENDED on web by alice: enforcement resumed']);
    expect(endings[0].message).toMatch(new RegExp(`Opened: by ${CAROL} at `));
    const history = jsonOf<AuditRecord[]>(await cli(['history', '--lb', lb, '--json']));
    expect(history.filter((r) => r.eventName === 'BreakGlassEnded').map((r) => r.actor.arn)).toEqual([ALICE]);

    // Act
    await setWeights(1, 99);

    // Assess: the watchdog puts back the last known good (blue 100, green 0).
    const reverted = await auditRecord('the revert', (r) => r.outcome === 'reverted');
    expect(reverted.actor.displayName).toBe('alice');
    expect(await weights()).toBe('100/0');
    const again = await cli(['break-glass', '--lb', lb, '--end']);
    expect(again.stdout).toBe('No active break-glass on web: the watchdog enforces as configured.\n');
    // Without --policy, status judges modes with the policy the deployed watchdog recorded: enforce.
    const status = await cli(['status', '--lb', lb]);
    expect(status.stdout).toMatch(/^Policy: deployed \(enforce, hash [0-9a-f]{12}, recorded .* UTC, since .* UTC\)\n/);
    expect(status.stdout).toMatch(/│ web +│ enforce +│ - +│ .* UTC \(v1\) +│ BLOCK ModifyListener by alice: reverted, .* UTC │/);
  });
});
