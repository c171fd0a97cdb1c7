import { evaluate } from '../../policy/evaluate';
import type { Policy } from '../../policy/policy-schema';
import type { Decision, Finding } from '../../policy/verdict';
import type { RuleRegistry } from '../../rules';
import { matchOverride, staticSettings, type StaticSubject } from '../policy-subject';
import type { RuleFinding } from '../rules';
import { isPlaceholderTarget, type StaticNote } from '../static-model';
import type { LoadBalancerView } from './lb-view';
import { emptySnapshot, snapshotOf, type Filling } from './snapshots';

/**
 * Judges a plan with the watchdog's own engine: for each load balancer, the core's `evaluate()` on the
 * snapshot before (from `prior_state`) and after (the planned values), so the verdict is the one the
 * watchdog gives at run time to the same change, without metrics. A load balancer the plan creates is
 * judged against itself with no listener, as the watchdog sees its first listener arrive.
 *
 * Targets an Auto Scaling group or ECS registers are unknown, so no single number may stand for them:
 * the change is judged once for every combination of "one target" and "many targets" in each such group
 * (the same number before and after), and a finding is reported only when every judgement makes it.
 * The rules compare shares and counts linearly, so what holds at both ends holds in between; what
 * depends on the number is listed as not judged (`--verbose`), never guessed.
 */

/** The verdict on one load balancer of a plan. */
export interface PlanVerdict {
  readonly address: string;
  readonly name: string;
  readonly decision: Decision;
}

/** The judgement of a plan. */
export interface PlanJudgement {
  readonly findings: readonly RuleFinding[];
  readonly notes: readonly StaticNote[];
  readonly verdicts: readonly PlanVerdict[];
}

/** Options of `judgePlan`. */
export interface JudgePlanOptions {
  readonly policy: Policy;
  /** @default RULES (tests inject failing rules here) */
  readonly registry?: RuleRegistry;
}

/** Every combination is tried up to this many groups with unknown targets on one load balancer. */
const EXHAUSTIVE_GROUPS = 8;
const PREFIX = { application: 'app', network: 'net', gateway: 'gwy' } as const;

interface Located {
  readonly address: string;
  readonly resourceType: string;
}

/** Each key a snapshot of the view uses → its Terraform address, most specific kinds first. */
function addressBook(view: LoadBalancerView): Map<string, Located & { rank: number }> {
  const book = new Map<string, Located & { rank: number }>();
  for (const state of [view.before, view.after]) {
    for (const listener of state?.listeners ?? []) {
      book.set(`tf:${listener.address}`, { address: listener.address, resourceType: listener.resourceType, rank: 1 });
      for (const rule of listener.rules) book.set(`tf:${rule.address}`, { address: rule.address, resourceType: rule.resourceType, rank: 0 });
    }
  }
  for (const group of view.groups.values()) if (group.address !== undefined) book.set(group.key, { address: group.address, resourceType: group.resourceType ?? 'aws_lb_target_group', rank: 2 });
  return book;
}

/** The resource a finding is about: the most specific address among the keys it carries (whatever fields carry them). */
function locate(finding: Finding, book: ReadonlyMap<string, Located & { rank: number }>, fallback: Located): Located {
  let best: (Located & { rank: number }) | undefined;
  const walk = (value: unknown, key?: string): void => {
    if (key === 'message' || key === 'numbers') return;
    if (typeof value === 'string') {
      const found = book.get(value);
      if (found !== undefined && (best === undefined || found.rank < best.rank)) best = found;
    } else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  walk(finding);
  return best ?? fallback;
}

function fillings(unknown: readonly string[], many: number): { fillings: Filling[]; exhaustive: boolean } {
  if (unknown.length === 0) return { fillings: [new Map()], exhaustive: true };
  if (unknown.length <= EXHAUSTIVE_GROUPS) {
    const all = Array.from({ length: 2 ** unknown.length }, (_, bits) => new Map(unknown.map((key, i) => [key, (bits >> i) & 1 ? many : 1])));
    return { fillings: all, exhaustive: true };
  }
  const uniform = (n: number) => new Map(unknown.map((key) => [key, n]));
  const oneOff = unknown.flatMap((key) => [new Map([...uniform(1), [key, many]]), new Map([...uniform(many), [key, 1]])]);
  return { fillings: [uniform(1), uniform(many), ...oneOff], exhaustive: false };
}

function subjectOf(view: LoadBalancerView): StaticSubject {
  const lb = view.after?.lb ?? view.before?.lb;
  const arn = lb?.arn ?? view.before?.lb.arn;
  const name = lb === undefined || lb.name === lb.address ? '*' : lb.name;
  return {
    arn: arn ?? `arn:*:elasticloadbalancing:*:*:loadbalancer/${PREFIX[lb?.type ?? 'application']}/${name}/*`,
    tags: new Map(Object.entries(lb?.tags ?? {})),
    tagsKnown: lb?.tagsKnown ?? false,
  };
}

type Merged = { located: Located; findings: Finding[] };

/** Judges one load balancer of a plan. */
function judgeView(view: LoadBalancerView, options: JudgePlanOptions, notes: StaticNote[]): { findings: RuleFinding[]; decision: Decision } | undefined {
  const after = view.after;
  const lbAddress = after?.lb.address ?? view.before?.lb.address;
  const anchor: Located = { address: lbAddress ?? after?.listeners[0]?.address ?? view.key, resourceType: after?.lb.resourceType ?? 'aws_lb' };
  if (after === undefined) {
    notes.push({ logicalId: anchor.address, message: 'load balancer deleted by this plan: not judged' });
    return undefined;
  }
  const subject = subjectOf(view);
  const settings = staticSettings(options.policy, subject);
  if (settings.mode === 'off') {
    notes.push({ logicalId: anchor.address, message: `LB ${after.lb.name} not checked: the policy's mode for it is off` });
    return undefined;
  }
  // The overrides that surely apply, as evaluate() resolves them for any load balancer.
  const sure: Policy = { ...options.policy, overrides: options.policy.overrides.filter((o) => matchOverride(o, subject) === 'yes').map((o) => ({ ...o, match: { arn: '*' } })) };
  const unknown = [...view.groups.values()].filter((g) => 'unknown' in g.targets);
  const first = { before: view.before === undefined ? emptySnapshot(after.lb) : snapshotOf(view, 'before', new Map()), after: snapshotOf(view, 'after', new Map()) };
  const routing = (snapshot: typeof first.after) => JSON.stringify([snapshot?.loadBalancer.crossZoneEnabled, snapshot?.listeners, snapshot?.targetGroups]);
  const unchanged = routing(first.before) === routing(first.after);
  const known = [...view.groups.values()].reduce((n, g) => n + ('unknown' in g.targets ? 0 : g.targets.before.length + g.targets.after.length), 0);
  const plan = fillings(unchanged ? [] : unknown.map((g) => g.key), Math.min(10_000, 64 + 100 * known));
  if (!plan.exhaustive) notes.push({ logicalId: anchor.address, message: `${unknown.length} target groups with unknown targets: judged with each at one and at many targets, not every combination` });

  const book = addressBook(view);
  const runs: Map<string, Merged>[] = [];
  let errored = false;
  for (const filling of plan.fillings) {
    const before = view.before === undefined ? emptySnapshot(after.lb) : snapshotOf(view, 'before', filling);
    const planned = snapshotOf(view, 'after', filling);
    if (planned === undefined) return undefined;
    const verdict = evaluate(sure, before, planned, { lb: { arn: subject.arn, tags: after.lb.tags }, ...(options.registry !== undefined && { registry: options.registry }) });
    errored ||= verdict.findings.some((f) => f.ruleId === 'rule-error');
    const run = new Map<string, Merged>();
    for (const finding of verdict.findings) {
      if (finding.severity === 'info' || (finding.targetId !== undefined && isPlaceholderTarget(finding.targetId))) continue;
      const located = locate(finding, book, anchor);
      const base = `${finding.ruleId}|${located.address}|${finding.targetId ?? ''}`;
      let n = 0;
      while (run.has(`${base}|${n}`)) n += 1;
      run.set(`${base}|${n}`, { located, findings: [finding] });
    }
    runs.push(run);
  }

  const unknownNames = unknown.map((g) => g.name).join(', ');
  const findings: RuleFinding[] = [];
  const keys = new Set(runs.flatMap((run) => [...run.keys()]));
  for (const key of keys) {
    const all = runs.map((run) => run.get(key)?.findings[0]);
    const seen = runs.map((run) => run.get(key)).find((m) => m !== undefined);
    const finding = all[0];
    if (finding === undefined || all.some((f) => f === undefined)) {
      if (seen !== undefined) notes.push({ logicalId: seen.located.address, message: `${seen.findings[0].ruleId} not judged: it depends on how many targets ${unknownNames} ${unknown.length === 1 ? 'has' : 'have'}` });
      continue;
    }
    const located = (seen as Merged).located;
    const blocks = all.every((f) => f?.severity === 'block') && !errored;
    const sameText = all.every((f) => f?.message === finding.message);
    const figures = sameText ? '' : ` (counting 1 target in ${unknownNames}, whose targets are unknown: it holds for any number of them)`;
    const undecided = blocks && settings.undecided.length > 0 ? ` (a warning, not an error: policy override ${settings.undecided.map((u) => JSON.stringify(u)).join(', ')} may apply to LB ${after.lb.name} once applied)` : '';
    findings.push({
      ruleId: finding.ruleId,
      severity: blocks && undecided === '' ? 'error' : 'warning',
      logicalId: located.address,
      resourceType: located.resourceType,
      message: `${finding.message}${figures}${undecided}`,
      loadBalancer: after.lb.name,
      ...(finding.numbers !== undefined && sameText && { numbers: finding.numbers }),
    });
  }
  const decision: Decision = findings.some((f) => f.severity === 'error') ? 'block' : findings.length > 0 ? 'warn' : 'allow';
  return { findings, decision };
}

/** Judges every load balancer of a plan's views. */
export function judgePlan(views: readonly LoadBalancerView[], options: JudgePlanOptions): PlanJudgement {
  const notes: StaticNote[] = [];
  const findings: RuleFinding[] = [];
  const verdicts: PlanVerdict[] = [];
  for (const view of views) {
    notes.push(...view.notes.map((n) => ({ logicalId: n.address, message: n.message })));
    for (const group of view.groups.values()) {
      if ('unknown' in group.targets) notes.push({ logicalId: group.address ?? group.key.replace(/^ext:/, ''), message: `target group ${group.name}: its targets are unknown (${group.targets.unknown}); findings that depend on how many it has are not reported` });
    }
    const judged = judgeView(view, options, notes);
    if (judged === undefined) continue;
    findings.push(...judged.findings);
    const lb = view.after?.lb;
    verdicts.push({ address: lb?.address ?? view.key, name: lb?.name ?? view.key, decision: judged.decision });
  }
  return { findings, notes, verdicts };
}
