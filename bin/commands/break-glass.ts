import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import { parseElbArn } from '../../lambdas/core/events';
import { DEFAULT_POLICY, isBreakGlassActive, type BreakGlass } from '../../lambdas/core/policy';
import type { AuditRecord, StateStore } from '../../lambdas/core/ports';
import { loadBalancerArn, withAws, withAwsOptions, type AwsContext, type AwsOptions } from './aws-context';
import { UsageError } from './exit-codes';
import { writeJson } from './output';
import { utc } from './render-verdict';

/** The longest break-glass: a suspension must end on its own, and a day covers any maintenance window. */
export const MAX_BREAK_GLASS_MINUTES = 24 * 60;

/** Options of `elb-watchdog break-glass`. */
export interface BreakGlassCommandOptions extends AwsOptions {
  readonly lb: string;
  /** Minutes, parsed from `30m`, `2h`, `1h30m`. */
  readonly for?: number;
  readonly reason?: string;
  readonly by?: string;
  readonly end?: boolean;
  readonly json?: boolean;
}

/** Commander parser: `30m`, `2h`, `1h30m` → minutes, from 1 minute to {@link MAX_BREAK_GLASS_MINUTES}. */
export function durationMinutes(value: string): number {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?$/.exec(value.trim());
  const minutes = match && value.trim() !== '' ? Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0) : Number.NaN;
  if (!Number.isFinite(minutes) || minutes < 1 || minutes > MAX_BREAK_GLASS_MINUTES) {
    throw new InvalidArgumentError(`expected a duration like 30m, 2h or 1h30m, at most ${MAX_BREAK_GLASS_MINUTES / 60}h`);
  }
  return minutes;
}

function nonEmpty(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('must not be empty');
  return value.trim();
}

/** Registers `elb-watchdog break-glass`. */
export function registerBreakGlassCommand(program: Command): Command {
  const command = program
    .command('break-glass')
    .description('Suspend enforcement for one load balancer for a while, with a reason (audited); or end it early with --end.')
    .requiredOption('--lb <arn>', 'the load balancer', loadBalancerArn)
    .option('--for <duration>', `how long: 30m, 2h, 1h30m (at most ${MAX_BREAK_GLASS_MINUTES / 60}h)`, durationMinutes)
    .option('--reason <text>', 'why, for the people reading the audit log and the notifications', nonEmpty)
    .option('--by <name>', 'who is responsible (default: your OS user name)', nonEmpty)
    .option('--end', 'end the active break-glass now')
    .option('--json', 'print the entry as JSON');
  return withAwsOptions(command, { table: true })
    .addHelpText(
      'after',
      '\nExample:\n  elb-watchdog break-glass --lb arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188 \\' +
        '\n    --for 30m --reason "CHG-1234: drain blue for the kernel upgrade"' +
        '\n  elb-watchdog break-glass --lb arn:...:loadbalancer/app/web/50dc6c495c0c9188 --end' +
        '\n\nUntil it expires the watchdog still judges and reports every change to that load balancer, but reverts none.' +
        '\nExit codes: 0 done (also: --end with none active), 2 bad usage (duration, ARN shape, missing --reason),' +
        '\n  3 AWS errors (unknown load balancer, no state table, unreachable, no credentials).',
    )
    .action((options: BreakGlassCommandOptions) => {
      if (options.end && (options.for !== undefined || options.reason !== undefined)) throw new UsageError('--end takes no --for or --reason');
      if (!options.end && (options.for === undefined || options.reason === undefined)) {
        throw new UsageError('a break-glass needs --for DURATION and --reason TEXT (or --end to end one)');
      }
      return withAws(options, (aws) => (options.end ? endBreakGlass(aws, options) : startBreakGlass(aws, options)));
    });
}

function whoAmI(by: string | undefined): string {
  if (by !== undefined) return by;
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

/** The mode the watchdog last applied to the load balancer, for the record (the CLI does not know the deployed policy). */
async function lastMode(store: StateStore, arn: string): Promise<AuditRecord['mode']> {
  const records = await store.listAudit(arn, { limit: 1 });
  return records.at(-1)?.mode ?? DEFAULT_POLICY.mode;
}

async function breakGlassRecord(store: StateStore, arn: string, by: string, eventName: 'BreakGlass' | 'BreakGlassEnded', at: string, message: string): Promise<AuditRecord> {
  return {
    loadBalancerArn: arn,
    at,
    eventId: `break-glass-${randomUUID()}`,
    eventName,
    eventTime: at,
    actor: { type: 'ElbWatchdogCli', displayName: by, userName: by },
    mode: await lastMode(store, arn),
    decision: 'allow',
    action: 'none',
    outcome: eventName === 'BreakGlass' ? 'break-glass-started' : 'break-glass-ended',
    findings: [{ ruleId: 'break-glass', severity: 'info', message }],
    shareDiff: [],
  };
}

async function startBreakGlass(aws: AwsContext, options: BreakGlassCommandOptions): Promise<void> {
  const arn = options.lb;
  const name = await aws.loadBalancerName(arn);
  const store = await aws.stateStore();
  const by = whoAmI(options.by);
  const now = new Date();
  const minutes = options.for as number;
  const entry: BreakGlass = {
    loadBalancerArn: arn,
    startedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + minutes * 60_000).toISOString(),
    reason: options.reason as string,
    by,
  };
  const previous = await store.getBreakGlass(arn);
  const replaced = isBreakGlassActive(previous, arn, now) ? previous : undefined;
  await store.putBreakGlass(entry);
  const message = `until ${utc(entry.expiresAt)}: ${entry.reason}`;
  await store.appendAudit(await breakGlassRecord(store, arn, by, 'BreakGlass', entry.startedAt, message));
  if (options.json) {
    writeJson({ status: 'started', loadBalancer: { arn, name }, breakGlass: entry, ...(replaced && { replaced }) });
    return;
  }
  const lines = [`Break-glass on ${name} until ${utc(entry.expiresAt)} (${formatMinutes(minutes)}), by ${by}: ${entry.reason}`];
  if (replaced) lines.push(`It replaces the one by ${replaced.by} until ${utc(replaced.expiresAt)}.`);
  lines.push(
    'Until then the watchdog judges and reports every change to this load balancer but reverts none.',
    `End it early: elb-watchdog break-glass --lb ${arn} --end`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function endBreakGlass(aws: AwsContext, options: BreakGlassCommandOptions): Promise<void> {
  const arn = options.lb;
  const store = await aws.stateStore();
  const existing = await store.getBreakGlass(arn);
  const now = new Date();
  // A load balancer deleted during its break-glass can still have it ended; a typo in the ARN is an error.
  const name = existing === undefined ? await aws.loadBalancerName(arn) : (parseElbArn(arn)?.path[1] ?? arn);
  if (existing === undefined || !isBreakGlassActive(existing, arn, now)) {
    if (existing !== undefined) await store.endBreakGlass(arn);
    if (options.json) writeJson({ status: 'none-active', loadBalancer: { arn, name } });
    else process.stdout.write(`No active break-glass on ${name}: the watchdog enforces as configured.\n`);
    return;
  }
  const by = whoAmI(options.by);
  await store.endBreakGlass(arn);
  const message = `ended early; the one by ${existing.by} was to last until ${utc(existing.expiresAt)}`;
  await store.appendAudit(await breakGlassRecord(store, arn, by, 'BreakGlassEnded', now.toISOString(), message));
  if (options.json) writeJson({ status: 'ended', loadBalancer: { arn, name }, ended: existing, by });
  else process.stdout.write(`Break-glass on ${name} ended by ${by} (it was to last until ${utc(existing.expiresAt)}); the watchdog enforces as configured again.\n`);
}

function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${h > 0 ? `${h}h` : ''}${m > 0 || h === 0 ? `${m}m` : ''}`;
}
