import type { Command } from 'commander';
import { InputValidationError, ResourceNotFoundError } from '../../lambdas/core/errors';
import { extractRecords, parseChangeEvent, targetGroupNameOf, type Change } from '../../lambdas/core/events';
import type { Action, LoadBalancerSnapshot } from '../../lambdas/core/model/snapshot';
import { shareChanges, type ShareChange } from '../../lambdas/core/notify/share-diff';
import { evaluate, type Decision, type Finding, type Policy } from '../../lambdas/core/policy';
import { applyChange } from '../../lambdas/core/simulate/apply-change';
import type { LoadContext } from '../../lambdas/core/capacity/load-types';
import { loadFromMetricsFile } from '../../lambdas/core/capacity/metrics-file';
import { loadPolicy, loadSnapshot, readJson } from './cli-input';
import { EXIT } from './exit-codes';
import { writeJson } from './output';
import { decisionLabel, exitCodeOfDecision, renderFindings, renderShareChanges, utc, worstDecision } from './render-verdict';

/** Options of `elb-watchdog evaluate`. */
export interface EvaluateCommandOptions {
  readonly event: string;
  readonly before?: string;
  readonly after?: string;
  readonly policy?: string;
  readonly metrics?: string;
  readonly json?: boolean;
  readonly text?: boolean;
}

/** Why a change was read but not judged. */
export type NotJudgedReason = 'no-snapshot' | 'other-load-balancer' | 'cannot-apply';

/** The result for one record of the input, in input order (`index` from 1). */
export type RecordResult =
  | { readonly index: number; readonly status: 'ignored'; readonly eventName?: string; readonly eventId?: string; readonly reason: string; readonly detail: string }
  | { readonly index: number; readonly status: 'invalid'; readonly field: string; readonly message: string }
  | { readonly index: number; readonly status: 'not-judged'; readonly change: Change; readonly reason: NotJudgedReason; readonly detail: string }
  | {
      readonly index: number;
      readonly status: 'judged';
      readonly change: Change;
      readonly loadBalancer: { readonly arn: string; readonly name: string };
      readonly decision: Decision;
      readonly findings: readonly Finding[];
      readonly shareChanges: readonly ShareChange[];
      /** Whether the verdict had metrics (`--metrics`), or was judged by shares and why. */
      readonly load: { readonly basis: 'metrics' } | { readonly basis: 'shares'; readonly reason: string };
    };

/** Registers `elb-watchdog evaluate`. */
export function registerEvaluateCommand(program: Command): Command {
  return program
    .command('evaluate')
    .description('Judge CloudTrail records of ELBv2 calls offline: one result per record, ignored ones with the reason.')
    .requiredOption('--event <file>', 'an EventBridge event, a CloudTrail record, a trail log file {"Records":[...]} or `aws cloudtrail lookup-events` output; - for stdin')
    .option('--before <snapshot>', 'the load balancer snapshot before the call (JSON, schema/load-balancer-snapshot.schema.json)')
    .option('--after <snapshot>', 'the snapshot after the call (default: --before with the call applied in memory)')
    .option('--policy <file>', 'policy file, YAML or JSON (default: the default policy)')
    .option('--metrics <file>', 'the traffic the load balancer moved: `aws cloudwatch get-metric-data` output labelled by target group, or {"groups": {"web-blue": 4000}, "provenCapacity": {"web-blue": 1050}} (requests/min)')
    .option('--json', 'print JSON (the default when stdout is not a terminal): the result of a single record, or an array of one per record')
    .option('--text', 'print for a person even when stdout is not a terminal')
    .addHelpText(
      'after',
      '\nExample:\n  aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=ModifyListener > events.json\n' +
        '  elb-watchdog evaluate --event events.json --before web-snapshot.json' +
        '\n\nEach record is judged on its own against --before (with the record\'s call applied, unless --after is given).' +
        '\nWithout a snapshot the change is read and reported, but nothing can be judged.' +
        '\nWith --metrics the change is judged with load (capacity-headroom), as the watchdog does live; without it, by shares' +
        '\n  alone, and each result says which (`load`).' +
        '\nExit codes: 0 allowed (or nothing to judge), 1 a warning, 2 a block or bad input (unreadable file, invalid JSON,' +
        '\n  a record that is not CloudTrail, a snapshot of another load balancer: stderr says which). No AWS calls, so never 3.',
    )
    .action((options: EvaluateCommandOptions) => runEvaluate(options));
}

function runEvaluate(options: EvaluateCommandOptions): void {
  const input = readJson(options.event, 'CloudTrail event');
  const policy = loadPolicy(options.policy);
  const before = options.before === undefined ? undefined : loadSnapshot(options.before);
  const after = options.after === undefined ? undefined : loadSnapshot(options.after);
  if (before && after && before.loadBalancer.arn !== after.loadBalancer.arn) {
    throw new InputValidationError(`--before is of ${before.loadBalancer.arn} but --after of ${after.loadBalancer.arn}: give snapshots of one load balancer`, { input: 'snapshot' });
  }
  const records = extractRecords(input);
  if (records.length === 0) throw new InputValidationError(`${options.event}: no CloudTrail records in it`, { input: 'cloudtrail-event' });
  const snapshot = before ?? after;
  if (options.metrics !== undefined && snapshot === undefined) throw new InputValidationError('--metrics needs a snapshot (--before) to name the target groups', { field: 'metrics', input: 'metrics' });
  const load = options.metrics === undefined || snapshot === undefined ? undefined : loadFromMetricsFile(readJson(options.metrics, 'metrics'), snapshot, options.metrics);
  const results = records.map((record, i) => evaluateRecord(i + 1, record, policy, before, after, load));
  // Machines read JSON (DESIGN's contract: `evaluate` prints JSON); a person at a terminal reads text.
  const json = options.json === true || (options.text !== true && !process.stdout.isTTY);
  if (json) writeJson(results.length === 1 ? results[0] : results);
  else process.stdout.write(`${results.flatMap(renderResult).join('\n')}\n`);
  const bad = results.filter((r) => r.status === 'invalid' || (r.status === 'not-judged' && r.reason !== 'no-snapshot'));
  if (bad.length > 0) {
    process.stderr.write(`elb-watchdog: ${bad.length} of ${results.length} record(s) could not be judged: ${describeBad(bad[0])}\n`);
    process.exitCode = EXIT.usage;
    return;
  }
  process.exitCode = exitCodeOfDecision(worstDecision(results.flatMap((r) => (r.status === 'judged' ? [r.decision] : []))));
}

function describeBad(result: RecordResult): string {
  if (result.status === 'invalid') return `record ${result.index}: ${result.field ? `${result.field}: ` : ''}${result.message}`;
  return result.status === 'not-judged' ? `record ${result.index}: ${result.detail}` : '';
}

/**
 * True when the change is about the snapshot's load balancer: named by it (directly, or in a listener or
 * rule ARN), or, for target-group calls that name no load balancer, through one of its groups.
 */
function concerns(change: Change, snapshot: LoadBalancerSnapshot): boolean {
  const { loadBalancerArns, targetGroupArns } = change.resources;
  if (loadBalancerArns.length > 0) return loadBalancerArns.includes(snapshot.loadBalancer.arn);
  const groups = new Set(snapshot.targetGroups.map((g) => g.arn));
  return targetGroupArns.length === 0 || targetGroupArns.some((arn) => groups.has(arn));
}

/** Judges one record: never throws for bad input, which becomes `invalid` or `not-judged`. */
export function evaluateRecord(
  index: number,
  record: unknown,
  policy: Policy,
  before: LoadBalancerSnapshot | undefined,
  after: LoadBalancerSnapshot | undefined,
  load?: LoadContext,
): RecordResult {
  const parsed = parseChangeEvent(record);
  if (parsed.status === 'ignored') return { index, ...parsed };
  if (parsed.status === 'invalid') return { index, ...parsed };
  const { change } = parsed;
  const snapshot = before ?? after;
  if (snapshot === undefined) {
    return { index, status: 'not-judged', change, reason: 'no-snapshot', detail: 'nothing can be judged without a snapshot: pass --before (and --after if you have it)' };
  }
  if (!concerns(change, snapshot)) {
    const { loadBalancerArns, targetGroupArns } = change.resources;
    const touched = (loadBalancerArns.length > 0 ? loadBalancerArns : targetGroupArns).join(', ');
    return { index, status: 'not-judged', change, reason: 'other-load-balancer', detail: `the call is about ${touched}; the snapshot is of ${snapshot.loadBalancer.arn}` };
  }
  let afterSnapshot: LoadBalancerSnapshot;
  try {
    afterSnapshot = after ?? applyChange(before as LoadBalancerSnapshot, change);
  } catch (error) {
    if (!(error instanceof InputValidationError || error instanceof ResourceNotFoundError)) throw error;
    return { index, status: 'not-judged', change, reason: 'cannot-apply', detail: `${change.eventName} does not apply to the --before snapshot: ${error.message}` };
  }
  const verdict = evaluate(policy, before, afterSnapshot, { change, ...(load !== undefined && { load }) });
  return {
    index,
    status: 'judged',
    change,
    loadBalancer: { arn: afterSnapshot.loadBalancer.arn, name: afterSnapshot.loadBalancer.name },
    decision: verdict.decision,
    findings: verdict.findings,
    shareChanges: shareChanges(verdict.routing),
    // No metrics given: judged by shares (the same findings `check` gives a plan), and said so.
    load: verdict.load ?? { basis: 'shares', reason: load === undefined ? 'no --metrics file given' : 'capacity-headroom is off in the policy' },
  };
}

function renderResult(result: RecordResult): string[] {
  const head = `#${result.index}`;
  switch (result.status) {
    case 'invalid':
      return [`${head} invalid: ${result.field ? `${result.field}: ` : ''}${result.message}`];
    case 'ignored':
      return [`${head} ignored (${result.reason}): ${result.detail}`];
    case 'not-judged':
      return [`${head} ${describeChange(result.change)}`, ...describeRequest(result.change), `   not judged: ${result.detail}`];
    case 'judged':
      return [
        `${head} ${describeChange(result.change)}`,
        ...describeRequest(result.change),
        `   ${decisionLabel(result.decision)} on ${result.loadBalancer.name}${result.decision === 'allow' ? '' : ':'}`,
        ...renderFindings(result.findings, '     '),
        ...(result.load.basis === 'shares' && !result.findings.some((f) => f.ruleId === 'capacity-headroom') ? [`     Load: judged by shares, not load: ${result.load.reason}`] : []),
        '   Share of each request class per target, before → after:',
        ...renderShareChanges(result.shareChanges).map((line) => `   ${line}`),
      ];
  }
}

function describeChange(change: Change): string {
  const where = [...change.resources.loadBalancerArns, ...change.resources.targetGroupArns][0];
  return `${change.eventName} by ${change.actor.displayName} at ${utc(change.eventTime)}${where ? ` on ${where}` : ''}`;
}

const groupLabel = (arn: string) => targetGroupNameOf(arn) ?? arn;

function describeActions(actions: readonly Action[]): string {
  return actions
    .map((a) => (a.forward ? `forward to ${a.forward.targetGroups.map((g) => `${groupLabel(g.targetGroupArn)} (weight ${g.weight})`).join(', ')}` : a.type))
    .join('; ');
}

/** What the call asked for, in a line: the part of the request that decides where traffic goes. */
function describeRequest(change: Change): string[] {
  const r = change.request as Partial<Record<string, unknown>>;
  const parts: string[] = [];
  const actions = (r.defaultActions ?? r.actions) as Action[] | undefined;
  if (actions !== undefined) parts.push(describeActions(actions));
  if (typeof r.priority === 'number') parts.push(`priority ${r.priority}`);
  if (Array.isArray(r.targets)) parts.push(`targets ${(r.targets as { id: string; port?: number }[]).map((t) => `${t.id}${t.port ? `:${t.port}` : ''}`).join(', ')} of ${groupLabel(String(r.targetGroupArn))}`);
  if (Array.isArray(r.attributes)) parts.push((r.attributes as { key: string; value: string }[]).map((a) => `${a.key}=${a.value}`).join(', '));
  if (Array.isArray(r.rulePriorities)) parts.push((r.rulePriorities as { ruleArn: string; priority: number }[]).map((p) => `${p.ruleArn.split('/').at(-1)} → ${p.priority}`).join(', '));
  return parts.length === 0 ? [] : [`   asks: ${parts.join('; ')}`];
}
