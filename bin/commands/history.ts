import { InvalidArgumentError, type Command } from 'commander';
import { parseElbArn } from '../../lambdas/core/events';
import type { AuditRecord } from '../../lambdas/core/ports';
import { loadBalancerArn, withAws, withAwsOptions, type AwsContext, type AwsOptions } from './aws-context';
import { wholeNumber } from './cli-input';
import { writeJson } from './output';
import { compactTable, decisionLabel, largestMove, utc } from './render-verdict';

/** Options of `elb-watchdog history`. */
export interface HistoryCommandOptions extends AwsOptions {
  readonly lb: string;
  /** ISO-8601, resolved from `2h` or a date. */
  readonly since?: string;
  readonly limit: number;
  readonly json?: boolean;
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Commander parser: `30m`, `2h`, `7d` ago, or an ISO-8601 time → ISO-8601. */
export function sinceTime(value: string): string {
  const relative = /^(\d+)([mhd])$/.exec(value.trim());
  if (relative) return new Date(Date.now() - Number(relative[1]) * UNIT_MS[relative[2]]).toISOString();
  const time = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) throw new InvalidArgumentError('expected a time ago like 30m, 2h, 7d, or an ISO-8601 time like 2026-05-19T14:00:00Z');
  return new Date(time).toISOString();
}

/** Registers `elb-watchdog history`. */
export function registerHistoryCommand(program: Command): Command {
  const command = program
    .command('history')
    .description('The audit log of one load balancer: every judged change, what was done, and break-glass entries.')
    .requiredOption('--lb <arn>', 'the load balancer', loadBalancerArn)
    .option('--since <when>', 'only records since then: 30m, 2h, 7d ago, or an ISO-8601 time', sinceTime)
    .option('--limit <n>', 'at most this many records, the newest', wholeNumber(1, 1000), 20)
    .option('--json', 'print the audit records as JSON');
  return withAwsOptions(command, { table: true })
    .addHelpText(
      'after',
      '\nExample:\n  elb-watchdog history --lb arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188 --since 2h' +
        '\n\nExit codes: 0 shown (also when there is none), 2 bad usage, 3 AWS errors (no state table, unreachable, no credentials).',
    )
    .action((options: HistoryCommandOptions) => withAws(options, (aws) => runHistory(aws, options)));
}

async function runHistory(aws: AwsContext, options: HistoryCommandOptions): Promise<void> {
  const store = await aws.stateStore();
  const records = await store.listAudit(options.lb, { limit: options.limit, ...(options.since !== undefined && { since: options.since }) });
  if (options.json) {
    writeJson(records);
    return;
  }
  const name = parseElbArn(options.lb)?.path[1] ?? options.lb;
  const since = options.since === undefined ? '' : ` since ${utc(options.since)}`;
  if (records.length === 0) {
    process.stdout.write(`No audit records for ${name}${since}.\n`);
    return;
  }
  const rows = records.map(row);
  process.stdout.write(`Audit log of ${name}${since}, oldest first (${records.length} record${records.length === 1 ? '' : 's'}):\n`);
  process.stdout.write(`${compactTable(['time', 'call', 'who', 'verdict', 'outcome', 'largest share change'], rows)}\n`);
}

function row(record: AuditRecord): string[] {
  const breakGlass = record.eventName === 'BreakGlass' || record.eventName === 'BreakGlassEnded';
  return [
    utc(record.at),
    record.eventName,
    record.actor.displayName,
    breakGlass ? '-' : decisionLabel(record.decision),
    record.outcome,
    // A break-glass moves no traffic: its reason is what a reader needs in that column.
    breakGlass ? (record.findings[0]?.message ?? '-') : largestMove(record.shareDiff),
  ];
}
