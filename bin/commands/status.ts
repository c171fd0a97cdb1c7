import type { Command } from 'commander';
import { isBreakGlassActive, resolveMode, type BreakGlass, type Decision, type Mode } from '../../lambdas/core/policy';
import { isUntrustedBaseline, type AuditRecord, type LoadBalancerSummary, type StateStore } from '../../lambdas/core/ports';
import { loadBalancerArns, withAws, withAwsOptions, type AwsContext, type AwsOptions } from './aws-context';
import { writeJson } from './output';
import { choosePolicy, describePolicy, type PolicySource } from './policy-source';
import { compactTable, decisionLabel, utc } from './render-verdict';

/** Options of `elb-watchdog status`. */
export interface StatusCommandOptions extends AwsOptions {
  readonly lb?: string[];
  readonly policy?: string;
  readonly json?: boolean;
}

/** How the watchdog stands towards one load balancer. */
export interface LoadBalancerStatus {
  readonly arn: string;
  readonly name: string;
  /** From the policy (`--policy`, else the deployed one, else the default), its overrides and the load balancer's tags. */
  readonly mode: Mode;
  /** Which policy that was. */
  readonly policy: PolicySource;
  readonly overrideApplied?: string;
  /** The active break-glass, if any (an expired entry is not shown). */
  readonly breakGlass?: BreakGlass;
  readonly baseline?: { readonly storedAt: string; readonly version: number };
  readonly lastVerdict?: { readonly at: string; readonly eventName: string; readonly by: string; readonly decision: Decision; readonly outcome: string };
}

/** Registers `elb-watchdog status`. */
export function registerStatusCommand(program: Command): Command {
  const command = program
    .command('status')
    .description('Per load balancer: the mode, any break-glass (who, until), when its baseline was stored, and the last verdict.')
    .option('--lb <arn...>', 'only these load balancers (default: every one in the account and Region)', loadBalancerArns)
    .option('--policy <file>', 'resolve modes with this policy file (default: the policy the deployed watchdog recorded in its state table)')
    .option('--json', 'print the status as JSON');
  return withAwsOptions(command, { table: true })
    .addHelpText(
      'after',
      '\nExample:\n  elb-watchdog status\n  elb-watchdog status --policy watchdog-policy.yaml   # modes under a local file instead' +
        '\n\nModes come from the policy the deployed watchdog recorded in its state table (at deploy and at each' +
        '\naudit); the first line says which policy was used, with its hash.' +
        '\n\nExit codes: 0 shown, 2 bad usage or policy file, 3 AWS errors (unknown load balancer, no state table, unreachable, no credentials).',
    )
    .action((options: StatusCommandOptions) => withAws(options, (aws) => runStatus(aws, options)));
}

async function runStatus(aws: AwsContext, options: StatusCommandOptions): Promise<void> {
  const chosen = await choosePolicy(options.policy, async () => ({ table: await aws.stateTable(), store: await aws.stateStore() }));
  const listed = await aws.reader.listLoadBalancers();
  const picked: LoadBalancerSummary[] = [];
  for (const arn of options.lb ?? listed.map((lb) => lb.arn)) {
    const found = listed.find((lb) => lb.arn === arn);
    if (found === undefined) throw aws.notFound(arn);
    picked.push(found);
  }
  const store = await aws.stateStore();
  const now = new Date();
  const statuses: LoadBalancerStatus[] = [];
  for (const lb of picked) {
    const [breakGlass, baseline, lastVerdict] = await Promise.all([store.getBreakGlass(lb.arn), store.getLastKnownGood(lb.arn), lastJudged(store, lb.arn)]);
    const { mode, overrideApplied } = resolveMode(chosen.policy, lb, breakGlass, now);
    statuses.push({
      arn: lb.arn,
      name: lb.name,
      mode,
      policy: chosen.from,
      ...(overrideApplied !== undefined && { overrideApplied }),
      ...(isBreakGlassActive(breakGlass, lb.arn, now) && { breakGlass }),
      ...(baseline !== undefined && !isUntrustedBaseline(baseline) && { baseline: { storedAt: baseline.storedAt, version: baseline.version } }),
      ...(lastVerdict !== undefined && {
        lastVerdict: { at: lastVerdict.at, eventName: lastVerdict.eventName, by: lastVerdict.actor.displayName, decision: lastVerdict.decision, outcome: lastVerdict.outcome },
      }),
    });
  }
  if (options.json) {
    writeJson(statuses);
    return;
  }
  const rows = statuses.map((s) => [
    s.name,
    `${s.mode}${s.breakGlass ? ' (suspended)' : ''}${s.overrideApplied ? ` [${s.overrideApplied}]` : ''}`,
    s.breakGlass ? `${s.breakGlass.by} until ${utc(s.breakGlass.expiresAt)}: ${s.breakGlass.reason}` : '-',
    s.baseline ? `${utc(s.baseline.storedAt)} (v${s.baseline.version})` : 'none',
    s.lastVerdict ? `${decisionLabel(s.lastVerdict.decision)} ${s.lastVerdict.eventName} by ${s.lastVerdict.by}: ${s.lastVerdict.outcome}, ${utc(s.lastVerdict.at)}` : '-',
  ]);
  process.stdout.write(`${describePolicy(chosen)}\nState from ${await aws.stateTable()} in ${aws.region}.\n`);
  process.stdout.write(`${compactTable(['load balancer', 'mode', 'break-glass', 'baseline stored', 'last verdict'], rows)}\n`);
}

/** The newest record of a judged change (break-glass entries are not verdicts). */
async function lastJudged(store: StateStore, arn: string): Promise<AuditRecord | undefined> {
  const records = await store.listAudit(arn, { limit: 10 });
  return records.reverse().find((r) => r.eventName !== 'BreakGlass' && r.eventName !== 'BreakGlassEnded');
}
