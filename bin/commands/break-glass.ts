import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, type Command } from 'commander';
import { parseElbArn } from '../../lambdas/core/events';
import { actorOfCaller } from '../../lambdas/core/events/actor';
import type { Actor } from '../../lambdas/core/events/change';
import { formatBreakGlass } from '../../lambdas/core/notify/format-break-glass';
import { DEFAULT_POLICY, isBreakGlassActive, type BreakGlass } from '../../lambdas/core/policy';
import type { AuditRecord, StateStore } from '../../lambdas/core/ports';
import { loadBalancerArn, withAws, withAwsOptions, type AwsContext, type AwsOptions } from './aws-context';
import { UsageError } from './exit-codes';
import { AwsCallError } from '../../lambdas/core/errors';
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
  /** A note on who is responsible; the actor is always the authenticated caller. */
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
    .description('Suspend enforcement for one load balancer for a while, with a reason (audited and announced); or end it early with --end.')
    .requiredOption('--lb <arn>', 'the load balancer', loadBalancerArn)
    .option('--for <duration>', `how long: 30m, 2h, 1h30m (at most ${MAX_BREAK_GLASS_MINUTES / 60}h)`, durationMinutes)
    .option('--reason <text>', 'why, for the people reading the audit log and the notifications', nonEmpty)
    .option('--by <text>', 'a note on who is responsible (recorded as a note: the actor is who your credentials authenticate as)', nonEmpty)
    .option('--end', 'end the active break-glass now')
    .option('--json', 'print the entry as JSON');
  return withAwsOptions(command, { table: true, topic: true })
    .addHelpText(
      'after',
      '\nExample:\n  elb-watchdog break-glass --lb arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188 \\' +
        '\n    --for 30m --reason "CHG-1234: drain blue for the kernel upgrade"' +
        '\n  elb-watchdog break-glass --lb arn:...:loadbalancer/app/web/50dc6c495c0c9188 --end' +
        '\n\nUntil it expires the watchdog still judges and reports every change to that load balancer, but reverts none.' +
        '\nThe actor recorded is the identity your credentials authenticate as (STS GetCallerIdentity), and starting or' +
        "\nending it is announced on the watchdog's topic: a break-glass that cannot be announced is not started." +
        '\nIn AWS only the ARNs named in the deployment\'s breakGlassOperators may write break-glass items.' +
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

/** The mode the watchdog last applied to the load balancer, for the record (the CLI does not know the deployed policy). */
async function lastMode(store: StateStore, arn: string): Promise<AuditRecord['mode']> {
  const records = await store.listAudit(arn, { limit: 1 });
  return records.at(-1)?.mode ?? DEFAULT_POLICY.mode;
}

async function breakGlassRecord(store: StateStore, arn: string, actor: Actor, eventName: 'BreakGlass' | 'BreakGlassEnded', at: string, message: string): Promise<AuditRecord> {
  return {
    loadBalancerArn: arn,
    at,
    eventId: `break-glass-${randomUUID()}`,
    eventName,
    eventTime: at,
    actor,
    mode: await lastMode(store, arn),
    decision: 'allow',
    action: 'none',
    outcome: eventName === 'BreakGlass' ? 'break-glass-started' : 'break-glass-ended',
    findings: [{ ruleId: 'break-glass', severity: 'info', message }],
    shareDiff: [],
  };
}

/** The note a person added with `--by`, in the audit record's message. */
const noted = (note: string | undefined): string => (note === undefined ? '' : ` (note: ${note})`);

async function startBreakGlass(aws: AwsContext, options: BreakGlassCommandOptions): Promise<void> {
  const arn = options.lb;
  const name = await aws.loadBalancerName(arn);
  const store = await aws.stateStore();
  // Who really asks (AWS vouches for it), and where people are told: both known before anything is written.
  const actor = actorOfCaller(await aws.caller());
  const notifier = await aws.notifier();
  const now = new Date();
  const minutes = options.for as number;
  const entry: BreakGlass = {
    loadBalancerArn: arn,
    startedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + minutes * 60_000).toISOString(),
    reason: options.reason as string,
    by: actor.displayName,
    ...(options.by !== undefined && { note: options.by }),
  };
  const previous = await store.getBreakGlass(arn);
  const replaced = isBreakGlassActive(previous, arn, now) ? previous : undefined;
  await store.putBreakGlass(entry);
  try {
    await notifier.publish(formatBreakGlass({ kind: 'started', loadBalancer: { arn, name }, entry, actor, replaced, note: options.by }));
  } catch (error) {
    // Nobody would hear of this suspension: take it back (or put back the one it replaced).
    if (replaced === undefined) await store.endBreakGlass(arn);
    else await store.putBreakGlass(replaced);
    throw new AwsCallError(`announcing the break-glass failed, so it was not started: ${(error as Error).message}`, { operation: 'Publish', cause: error, retryable: true });
  }
  const message = `until ${utc(entry.expiresAt)}: ${entry.reason}${noted(options.by)}`;
  await store.appendAudit(await breakGlassRecord(store, arn, actor, 'BreakGlass', entry.startedAt, message));
  if (options.json) {
    writeJson({ status: 'started', loadBalancer: { arn, name }, breakGlass: entry, actor, ...(replaced && { replaced }) });
    return;
  }
  const lines = [`Break-glass on ${name} until ${utc(entry.expiresAt)} (${formatMinutes(minutes)}), by ${actor.displayName}${noted(options.by)}: ${entry.reason}`];
  if (replaced) lines.push(`It replaces the one by ${replaced.by} until ${utc(replaced.expiresAt)}.`);
  lines.push(
    'Announced on the watchdog\'s topic. Until then the watchdog judges and reports every change to this load balancer but reverts none.',
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
  const actor = actorOfCaller(await aws.caller());
  const notifier = await aws.notifier();
  await store.endBreakGlass(arn);
  const message = `ended early; the one by ${existing.by} was to last until ${utc(existing.expiresAt)}${noted(options.by)}`;
  await store.appendAudit(await breakGlassRecord(store, arn, actor, 'BreakGlassEnded', now.toISOString(), message));
  try {
    await notifier.publish(formatBreakGlass({ kind: 'ended', loadBalancer: { arn, name }, entry: existing, actor, endedAt: now.toISOString(), note: options.by }));
  } catch (error) {
    // Ending restores enforcement, which is safe: it stays ended, and the person hears the announcement failed.
    throw new AwsCallError(`the break-glass on ${name} ended, but announcing it failed: ${(error as Error).message}`, { operation: 'Publish', cause: error, retryable: true });
  }
  if (options.json) writeJson({ status: 'ended', loadBalancer: { arn, name }, ended: existing, by: actor.displayName, actor });
  else process.stdout.write(`Break-glass on ${name} ended by ${actor.displayName}${noted(options.by)} (it was to last until ${utc(existing.expiresAt)}); the watchdog enforces as configured again.\n`);
}

function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${h > 0 ? `${h}h` : ''}${m > 0 || h === 0 ? `${m}m` : ''}`;
}
