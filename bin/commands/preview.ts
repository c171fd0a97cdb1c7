import { Option, type Command } from 'commander';
import { InputValidationError, ResourceNotFoundError } from '../../lambdas/core/errors';
import { MUTATING_EVENT_NAMES, parseChangeRequest, touchedResources, type ChangeEventName, type ChangeRequest } from '../../lambdas/core/events';
import { shareChanges, type ShareChange } from '../../lambdas/core/notify/share-diff';
import { readLoad } from '../../lambdas/core/capacity/read-load';
import type { LoadContext } from '../../lambdas/core/capacity/load-types';
import type { LoadBalancerSnapshot } from '../../lambdas/core/model/snapshot';
import { evaluate, type Decision, type Finding, type Policy } from '../../lambdas/core/policy';
import type { Verdict } from '../../lambdas/core/policy/verdict';
import { applyChange } from '../../lambdas/core/simulate/apply-change';
import { isNotFound, withAws, withAwsOptions, type AwsContext, type AwsOptions } from './aws-context';
import { readJson } from './cli-input';
import { describeError, UsageError } from './exit-codes';
import { writeJson } from './output';
import { choosePolicy, describePolicy, type ChosenPolicy, type DeployedPolicyLookup } from './policy-source';
import { decisionLabel, exitCodeOfDecision, renderFindings, renderShareChanges, worstDecision } from './render-verdict';

/** `ModifyListener` → `modify-listener`, as the AWS CLI names its commands. */
const kebab = (name: string) => name.replace(/[A-Z]/g, (c, i: number) => `${i === 0 ? '' : '-'}${c.toLowerCase()}`);
/** `--action` values: every call the watchdog judges, by its AWS CLI command name. */
const ACTIONS = new Map<string, ChangeEventName>(MUTATING_EVENT_NAMES.map((name) => [kebab(name), name]));

/** Options of `elb-watchdog preview`. */
export interface PreviewCommandOptions extends AwsOptions {
  readonly change: string;
  readonly action?: string;
  readonly policy?: string;
  readonly json?: boolean;
}

/** The verdict on one load balancer the proposed call touches. */
export interface LoadBalancerPreview {
  readonly arn: string;
  readonly name: string;
  readonly decision: Decision;
  readonly findings: readonly Finding[];
  readonly shareChanges: readonly ShareChange[];
  /** Whether the verdict had metrics, or fell back to shares and why. */
  readonly load?: Verdict['load'];
}

/** Registers `elb-watchdog preview`. */
export function registerPreviewCommand(program: Command): Command {
  const command = program
    .command('preview')
    .description('Judge a proposed ELBv2 request against the live state: traffic share per target before → after, and the verdict.')
    .requiredOption('--change <file>', "the request in the AWS CLI's --cli-input-json shape (- for stdin)")
    .addOption(new Option('--action <call>', 'the call, when the request\'s keys do not tell (e.g. targets to register or deregister)').choices([...ACTIONS.keys()]))
    .option('--policy <file>', 'policy file, YAML or JSON (default: the policy the deployed watchdog recorded, else the default policy)')
    .option('--json', 'print the verdict per load balancer as JSON');
  return withAwsOptions(command, { table: true })
    .addHelpText(
      'after',
      '\nExample:\n  aws elbv2 modify-listener --generate-cli-skeleton > change.json   # fill it in, then:\n' +
        '  elb-watchdog preview --change change.json --endpoint-url http://127.0.0.1:4566' +
        '\n\nExit codes: 0 allowed, 1 warnings, 2 blocked, 2 also bad input (unreadable file, invalid JSON, a request' +
        '\n  that needs --action), 3 AWS errors (unreachable, no credentials, an ARN not found). Blocks print the verdict on' +
        '\n  stdout and nothing on stderr; bad input and AWS errors print one line on stderr.',
    )
    .action((options: PreviewCommandOptions) => runPreview(options));
}

async function runPreview(options: PreviewCommandOptions): Promise<void> {
  const body = readJson(options.change, 'change request');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InputValidationError(`${options.change}: expected a JSON object (the --cli-input-json shape of one ELBv2 call)`, { input: 'change-request' });
  }
  const params = body as Record<string, unknown>;
  const eventName = options.action === undefined ? inferCall(params) : (ACTIONS.get(options.action) as ChangeEventName);
  const change = { eventName, request: parseChangeRequest(eventName, params, 'change') } as ChangeRequest;
  const { chosen, previews } = await withAws(options, async (aws) => {
    const chosenPolicy = await choosePolicy(options.policy, () => deployedPolicyOf(aws));
    return { chosen: chosenPolicy, previews: await previewOn(aws, change, chosenPolicy.policy) };
  });
  const decision = worstDecision(previews.map((p) => p.decision));
  if (options.json) writeJson({ call: eventName, request: change.request, decision, policy: chosen.from, loadBalancers: previews });
  else process.stdout.write(`${render(eventName, decision, chosen, previews).join('\n')}\n`);
  process.exitCode = exitCodeOfDecision(decision);
}

/**
 * Where the deployed policy is. Preview needs no state otherwise, so a missing table (or no permission
 * to read it) is said, not fatal: the verdict is then the default policy's, and the output says so.
 */
async function deployedPolicyOf(aws: AwsContext): Promise<DeployedPolicyLookup> {
  try {
    return { table: await aws.stateTable(), store: await aws.stateStore() };
  } catch (error) {
    return { unavailable: describeError(error) };
  }
}

/** The load balancers a call reaches: named in its ARNs, or every one a target group serves. */
async function loadBalancersOf(aws: AwsContext, change: ChangeRequest): Promise<string[]> {
  const touched = touchedResources(change);
  if (touched.loadBalancerArns.length > 0) return [...touched.loadBalancerArns];
  const group = (change.request as { targetGroupArn?: string }).targetGroupArn;
  if (group === undefined) return [];
  return aws.reader.loadBalancersOfTargetGroup(group).catch((error: unknown) => {
    if (!isNotFound(error)) throw error;
    throw new ResourceNotFoundError(`target group ${group} not found in ${aws.region}: check the ARN, --region and --profile`, { resourceArn: group, cause: error });
  });
}

async function previewOn(aws: AwsContext, change: ChangeRequest, policy: Policy): Promise<LoadBalancerPreview[]> {
  const previews: LoadBalancerPreview[] = [];
  for (const arn of await loadBalancersOf(aws, change)) {
    const before = await aws.reader.readSnapshot(arn).catch((error: unknown) => {
      throw isNotFound(error) ? aws.notFound(arn, error) : error;
    });
    const after = applyChange(before, change);
    const load = await liveLoad(aws, before);
    const verdict = evaluate(policy, before, after, { lb: { arn, tags: before.loadBalancer.tags }, load });
    previews.push({ arn, name: before.loadBalancer.name, decision: verdict.decision, findings: verdict.findings, shareChanges: shareChanges(verdict.routing), ...(verdict.load !== undefined && { load: verdict.load }) });
  }
  return previews;
}

/**
 * The load as the judge reads it: the last 15 minutes from CloudWatch (one GetMetricData call) and the proven
 * capacity the deployed watchdog's audit stored (none without a state table: then the groups' sources, or shares).
 */
async function liveLoad(aws: AwsContext, before: LoadBalancerSnapshot): Promise<LoadContext> {
  const capacity = await aws
    .stateStore()
    .then((store) => store.getProvenCapacity(before.loadBalancer.arn))
    .catch(() => undefined);
  return { reading: await readLoad(aws.metrics(), before, new Date()), ...(capacity !== undefined && { capacity }) };
}

const has = (params: Record<string, unknown>, ...names: string[]) =>
  names.some((name) => params[name] !== undefined || params[name.charAt(0).toLowerCase() + name.slice(1)] !== undefined);

/**
 * The call a request is for, from its keys, when only one call takes them (never a deletion); otherwise a
 * usage error that names the candidates for `--action`.
 */
export function inferCall(params: Record<string, unknown>): ChangeEventName {
  const candidates = candidatesOf(params);
  // A deletion is never guessed: a lone ARN more likely means a request still to be filled in.
  if (candidates.length === 1 && !candidates[0].startsWith('Delete')) return candidates[0];
  const keys = Object.keys(params).join(', ') || 'none';
  if (candidates.length === 0) throw new UsageError(`cannot tell which ELBv2 call the request is for (keys: ${keys}): pass --action`);
  if (candidates.length === 1) throw new UsageError(`a deletion is never inferred (keys: ${keys}): pass --action ${kebab(candidates[0])} to preview it`);
  throw new UsageError(`the request could be ${candidates.map(kebab).join(' or ')} (keys: ${keys}): pass --action ${candidates.map(kebab).join(' | ')}`);
}

function candidatesOf(p: Record<string, unknown>): ChangeEventName[] {
  if (has(p, 'RulePriorities')) return ['SetRulePriorities'];
  if (has(p, 'RuleArn')) return has(p, 'Actions', 'Conditions') ? ['ModifyRule'] : ['ModifyRule', 'DeleteRule'];
  if (has(p, 'ListenerArn')) {
    if (has(p, 'Priority', 'Conditions', 'Actions')) return ['CreateRule'];
    if (has(p, 'DefaultActions', 'Port', 'Protocol', 'Certificates', 'SslPolicy', 'AlpnPolicy', 'MutualAuthentication')) return ['ModifyListener'];
    return ['ModifyListener', 'DeleteListener'];
  }
  if (has(p, 'LoadBalancerArn')) {
    if (has(p, 'DefaultActions')) return ['CreateListener'];
    if (has(p, 'Attributes')) return ['ModifyLoadBalancerAttributes'];
    return ['DeleteLoadBalancer'];
  }
  if (has(p, 'TargetGroupArn')) {
    if (has(p, 'Targets')) return ['RegisterTargets', 'DeregisterTargets'];
    if (has(p, 'Attributes')) return ['ModifyTargetGroupAttributes'];
    if (Object.keys(p).some((key) => /^(healthCheck|healthyThreshold|unhealthyThreshold|matcher)/i.test(key))) return ['ModifyTargetGroup'];
    return ['ModifyTargetGroup', 'DeleteTargetGroup'];
  }
  return [];
}

function render(call: ChangeEventName, decision: Decision, chosen: ChosenPolicy, previews: readonly LoadBalancerPreview[]): string[] {
  if (previews.length === 0) return [`${call}: the target group serves no load balancer, so no traffic moves.`, `Verdict: ${decisionLabel(decision)}`, describePolicy(chosen)];
  const lines: string[] = [describePolicy(chosen)];
  for (const p of previews) {
    lines.push(`${call} on ${p.name} (${p.arn})`, 'Share of each request class per target, before → after:', ...renderShareChanges(p.shareChanges));
    lines.push(`Verdict: ${decisionLabel(p.decision)}`, ...renderFindings(p.findings), '');
  }
  if (previews.length > 1) lines.push(`Overall: ${decisionLabel(decision)}`);
  if (decision === 'block') {
    const arn = previews.length === 1 ? previews[0].arn : 'ARN';
    lines.push('The watchdog would revert this change. To make it on purpose, first:', `  elb-watchdog break-glass --lb ${arn} --for 30m --reason "<why>"`);
  }
  return lines;
}
