import type { Command } from 'commander';
import { parseElbArn } from '../../lambdas/core/events';
import type { ShareChange } from '../../lambdas/core/notify/share-diff';
import type { Finding, Policy } from '../../lambdas/core/policy';
import { isUntrustedBaseline, type StateStore } from '../../lambdas/core/ports';
import { assessLoadBalancer, type DriftStatus } from '../../lambdas/core/workflow/assess-load-balancer';
import { isNotFound, loadBalancerArns, withAws, withAwsOptions, type AwsContext, type AwsOptions } from './aws-context';
import { describeError, EXIT } from './exit-codes';
import { progress, progressDone, writeJson } from './output';
import { choosePolicy, describePolicy, type ChosenPolicy } from './policy-source';
import { compactTable, renderFindings, renderShareChanges, utc } from './render-verdict';

/** Options of `elb-watchdog audit`. */
export interface AuditCommandOptions extends AwsOptions {
  readonly policy?: string;
  readonly lb?: string[];
  readonly json?: boolean;
}

/** Whether drift could be checked: the state table and why not. */
export interface BaselineSource {
  readonly table?: string;
  readonly reachable: boolean;
  readonly reason?: string;
}

/** What the audit found on one load balancer. */
export interface LoadBalancerAuditResult {
  readonly arn: string;
  readonly name: string;
  /** `not-checked` when the state table is not reachable; `error` when the load balancer could not be read. */
  readonly drift: DriftStatus | 'not-checked' | 'error';
  readonly risks: readonly Finding[];
  readonly driftFindings: readonly Finding[];
  readonly driftShareChanges: readonly ShareChange[];
  readonly baselineStoredAt?: string;
  /** The stored baseline carries no MAC or a wrong one (not the watchdog's): drift is judged as if none were stored. */
  readonly baselineUntrusted?: 'mac-missing' | 'mac-invalid';
  readonly error?: string;
}

/** Registers `elb-watchdog audit`. */
export function registerAuditCommand(program: Command): Command {
  const command = program
    .command('audit')
    .description('Judge every load balancer as it is now (read-only): risks per load balancer, and drift from the stored baseline.')
    .option('--policy <file>', 'policy file, YAML or JSON (default: the policy the deployed watchdog recorded, else the default policy)')
    .option('--lb <arn...>', 'only these load balancers (default: every one in the account and Region)', loadBalancerArns)
    .option('--json', 'print the results as JSON');
  return withAwsOptions(command, { table: true })
    .addHelpText(
      'after',
      '\nExample:\n  elb-watchdog audit --region eu-west-1\n  elb-watchdog audit --lb arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188 --json' +
        '\n\nDrift is checked against the baselines in the watchdog\'s state table when it is reachable; the report says when' +
        '\nit is not. Nothing is written. Progress goes to stderr on a terminal only.' +
        '\nExit codes: 0 clean, 1 warnings or risks, 2 unsafe drift (or bad usage), 3 AWS errors, including a load balancer' +
        '\n  that could not be read (the others are still reported).',
    )
    .action((options: AuditCommandOptions) => withAws(options, (aws) => runAudit(aws, options)));
}

async function runAudit(aws: AwsContext, options: AuditCommandOptions): Promise<void> {
  let source: BaselineSource | undefined;
  const baselines = async () => (source ??= await baselineSource(aws));
  const chosen = await choosePolicy(options.policy, async () => {
    const found = await baselines();
    // Why there is no table is said once, on the drift line.
    return found.table === undefined ? { unavailable: 'no deployed policy without the state table' } : { table: found.table, store: await aws.stateStore() };
  });
  const policy = chosen.policy;
  progress('listing load balancers…');
  const targets = options.lb ?? (await aws.reader.listLoadBalancers()).map((lb) => lb.arn);
  progress('looking for the state table…');
  source = await baselines();
  const store = source.reachable ? await aws.stateStore() : undefined;
  const results: LoadBalancerAuditResult[] = [];
  try {
    for (const [i, arn] of targets.entries()) {
      progress(`auditing ${i + 1}/${targets.length}: ${parseElbArn(arn)?.path[1] ?? arn}`);
      results.push(await auditOne(aws, store, policy, arn, options.lb !== undefined));
    }
  } finally {
    progressDone();
  }
  if (options.json) writeJson({ region: aws.region, stateTable: source, policy: chosen.from, loadBalancers: results });
  else process.stdout.write(`${render(aws.region, source, chosen, results).join('\n')}\n`);
  process.exitCode = exitCodeOf(results);
}

async function baselineSource(aws: AwsContext): Promise<BaselineSource> {
  try {
    return { table: await aws.stateTable(), reachable: true };
  } catch (error) {
    return { reachable: false, reason: describeError(error) };
  }
}

async function auditOne(aws: AwsContext, store: StateStore | undefined, policy: Policy, arn: string, named: boolean): Promise<LoadBalancerAuditResult> {
  let current;
  try {
    current = await aws.reader.readSnapshot(arn);
  } catch (error) {
    // A load balancer asked for by name must exist; one that vanished while we listed is reported.
    if (named && isNotFound(error)) throw aws.notFound(arn, error);
    return { arn, name: arn, drift: 'error', risks: [], driftFindings: [], driftShareChanges: [], error: describeError(error) };
  }
  const found = store === undefined ? undefined : await store.getLastKnownGood(arn);
  // The CLI holds no MAC key: it sees a missing MAC, not a forged one (the watchdog's functions check that).
  const stored = isUntrustedBaseline(found) ? undefined : found;
  const assessment = assessLoadBalancer(policy, current, stored?.snapshot);
  return {
    arn,
    name: current.loadBalancer.name,
    ...assessment,
    drift: store === undefined ? 'not-checked' : assessment.drift,
    ...(stored !== undefined && { baselineStoredAt: stored.storedAt }),
    ...(isUntrustedBaseline(found) && { baselineUntrusted: found.untrusted }),
  };
}

/** 3 when a load balancer could not be read, 2 for unsafe drift, 1 for risks or warnings, 0 clean. */
function exitCodeOf(results: readonly LoadBalancerAuditResult[]): number {
  if (results.some((r) => r.drift === 'error')) return EXIT.aws;
  if (results.some((r) => r.drift === 'unsafe-drift')) return EXIT.usage;
  if (results.some((r) => r.risks.length > 0 || r.driftFindings.length > 0)) return EXIT.failure;
  return EXIT.ok;
}

const DRIFT_TEXT: Record<LoadBalancerAuditResult['drift'], string> = {
  'no-baseline': 'no baseline stored',
  unchanged: 'none',
  'safe-drift': 'safe drift',
  'unsafe-drift': 'UNSAFE DRIFT',
  'not-checked': 'not checked',
  error: 'error',
};

function render(region: string, source: BaselineSource, chosen: ChosenPolicy, results: readonly LoadBalancerAuditResult[]): string[] {
  const lines = [`Audited ${results.length} load balancer${results.length === 1 ? '' : 's'} in ${region}.`];
  lines.push(source.reachable ? `Drift checked against the baselines in ${source.table}.` : `Drift not checked: ${source.reason}`);
  lines.push(describePolicy(chosen));
  if (results.length === 0) return lines;
  const rows = results.map((r) => [r.name, r.drift === 'error' ? '-' : String(r.risks.length), DRIFT_TEXT[r.drift]]);
  lines.push(compactTable(['load balancer', 'risks', 'drift from baseline'], rows));
  for (const r of results) {
    if (r.error !== undefined) lines.push('', `${r.name}: could not be read: ${r.error}`);
    if (r.risks.length > 0) lines.push('', `${r.name}: risks in the configuration as it is:`, ...renderFindings(r.risks));
    if (r.drift === 'unsafe-drift' || r.drift === 'safe-drift') {
      const since = r.baselineStoredAt === undefined ? '' : ` (stored ${utc(r.baselineStoredAt)})`;
      lines.push('', `${r.name}: ${DRIFT_TEXT[r.drift].toLowerCase()} from the baseline${since}:`);
      lines.push(...renderFindings(r.driftFindings), ...renderShareChanges(r.driftShareChanges));
    }
  }
  return lines;
}
