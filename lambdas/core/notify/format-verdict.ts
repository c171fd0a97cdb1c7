import type { Change } from '../events/change';
import type { Notification } from '../ports';
import type { BreakGlass, EnforcementAction, Mode, Verdict } from '../policy/verdict';
import type { RevertPlan, RevertStep } from '../revert/revert-plan';
import type { BaselineRejection } from '../trust/check-baseline';
import type { Outcome } from '../workflow/outcome';
import { percent, type ShareChange } from './share-diff';
import { utc } from './time';

/** Beyond these, a notification says how many more there are: SNS messages stop at 256 KB. */
const MAX_LINES = { findings: 20, classes: 5, targetsPerClass: 10, machineRows: 100 } as const;

/** Everything a notification about one verdict says. */
export interface VerdictReport {
  readonly change: Change;
  readonly loadBalancer: { readonly arn: string; readonly name: string };
  readonly mode: Mode;
  /** The verdict's decision and findings (what the notification tells; serialisable for the outbox). */
  readonly verdict: Pick<Verdict, 'decision' | 'findings'>;
  /** Per-target share changes of the verdict (`shareChanges(verdict.before, verdict.after)`). */
  readonly shareChanges: readonly ShareChange[];
  readonly action: EnforcementAction;
  readonly outcome: Outcome;
  readonly plan?: RevertPlan;
  /** The calls a revert made, over all its rounds. */
  readonly applied?: readonly RevertStep[];
  /** What a revert could not bring back (routing differences, deleted target groups). */
  readonly notRestored?: readonly string[];
  readonly breakGlass?: BreakGlass;
  /** From the call to the end of the action. */
  readonly latencyMs?: number;
  readonly lastKnownGoodAt?: string;
  readonly error?: string;
  /** The stored baseline was rejected, so the change was judged without one. */
  readonly rejectedBaseline?: BaselineRejection;
  /** Why the revert plan was not applied (outcome `revert-refused`). */
  readonly refused?: readonly string[];
  /** How the policy knows the actor of `change`, when an actor matched: the title, treatment, what to fix at the source. */
  readonly actor?: { readonly title: string; readonly treatment: string; readonly source?: string };
  /** The other changes judged in the same batch (with their actors), which did not make it unsafe. */
  readonly judgedWith?: readonly string[];
  /** When `change`'s actor keeps re-applying what was reverted. */
  readonly fight?: { readonly round: number; readonly notice: 'normal' | 'escalate' | 'digest' | 'fold'; readonly span: string; readonly untold: number; readonly yielded: boolean };
  /** The notification's stable id (a duplicate carries the same id). */
  readonly notificationId?: string;
}

const HEADLINES: Partial<Record<Outcome, string>> = {
  reverted: 'BLOCKED and reverted',
  'revert-failed': 'BLOCKED, REVERT FAILED',
  'not-reverted': 'WOULD REVERT (dry-run)',
  suspended: 'BLOCKED, break-glass active',
  'revert-refused': 'BLOCKED, REVERT REFUSED',
  'baseline-rejected': 'BASELINE REJECTED',
  'judge-only': 'UNSAFE, NOT REVERTED (judge-only)',
  yielded: 'BLOCKED, NOT REVERTED (yielding)',
  'left-to-audit': 'UNSAFE, UNEXPLAINED',
};

const WHAT_WAS_DONE: Partial<Record<Outcome, string>> = {
  reverted: 'Restored routing to the last known good configuration and verified it by re-reading: every request class goes where it went.',
  'revert-failed': 'Tried to restore the last known good routing but could not finish; it will retry. Check the load balancer now.',
  'not-reverted': 'Nothing (dry-run mode). In enforce mode these calls would have restored the last known good configuration:',
  suspended: 'Nothing: enforcement is suspended by a break-glass.',
  'baseline-updated': 'Nothing to undo; this configuration is now the last known good.',
  unchanged: 'Nothing to undo: the configuration is the last known good already.',
  'left-to-audit': 'Unsafe, but no change judged here made it so, and no event explained it while this verdict waited (the cause\'s event is lost or late): left to the audit, which reverts routing drift that stays unexplained.',
  'revert-refused': 'Nothing: the revert plan names resources that are not this load balancer\'s, so it was not applied. Check the load balancer now:',
  'baseline-rejected': 'Nothing: there is no trusted last known good to return to.',
  'judge-only': 'Nothing: this actor\'s changes are judged and told, never reverted, by policy.',
  yielded: 'Nothing: the policy yields after this many rounds of a fight. The unsafe configuration stays until its source is fixed.',
};

function headline(report: VerdictReport): string {
  return HEADLINES[report.outcome] ?? (report.verdict.decision === 'warn' ? 'WARNING' : 'ALLOWED');
}

/** The subject: the verdict, or the fight it is part of. */
function subjectOf(report: VerdictReport): string {
  const { change, fight } = report;
  // A service's role session is long (AWSServiceRoleForAutoScaling/AutoScaling): its title fits a subject better.
  const who = report.actor !== undefined && change.actor.displayName.length > 32 ? report.actor.title : change.actor.displayName;
  const where = `${change.eventName} on ${report.loadBalancer.name}`;
  if (fight?.notice === 'escalate') return `FIGHT: ${who} re-applied ${where} ${fight.span}`;
  if (fight?.notice === 'digest') return `FIGHT goes on: ${who} re-applied ${where} ${fight.span}`;
  return `${headline(report)}: ${where} by ${who}`;
}

/** The largest changes of the first request classes, each class with at most a few targets. */
function diffLines(diff: readonly ShareChange[]): string[] {
  const byClass = new Map<string, ShareChange[]>();
  for (const row of diff) byClass.set(row.requestClass, [...(byClass.get(row.requestClass) ?? []), row]);
  const lines: string[] = [];
  for (const [label, rows] of [...byClass].slice(0, MAX_LINES.classes)) {
    lines.push(`  ${label}`);
    for (const row of rows.slice(0, MAX_LINES.targetsPerClass)) {
      lines.push(`    ${`${row.targetId} (${row.targetGroupName})`.padEnd(36)} ${percent(row.before).padStart(6)} → ${percent(row.after)}`);
    }
    if (rows.length > MAX_LINES.targetsPerClass) lines.push(`    … and ${rows.length - MAX_LINES.targetsPerClass} more targets`);
  }
  if (byClass.size > MAX_LINES.classes) lines.push(`  … and ${byClass.size - MAX_LINES.classes} more request classes`);
  return lines;
}

/** The calls made (or that would be made), and what was not restored, exactly. */
function whatWasDone(report: VerdictReport): string[] {
  const lines: string[] = [];
  if (report.outcome === 'not-reverted' && report.plan !== undefined) {
    report.plan.steps.forEach((step, i) => lines.push(`   ${i + 1}. ${step.operation}: ${step.description}`));
    for (const next of report.plan.followUps ?? []) lines.push(`   … ${next}`);
    for (const item of report.plan.unrestorable) lines.push(`   - cannot be restored by a call: ${item}`);
    return lines;
  }
  if (report.outcome !== 'reverted' && report.outcome !== 'revert-failed') return lines;
  const applied = report.applied ?? [];
  if (applied.length > 0) lines.push('  Restored:');
  applied.forEach((step, i) => lines.push(`   ${i + 1}. ${step.operation}: ${step.description}`));
  const notRestored = report.notRestored ?? [];
  if (notRestored.length > 0) lines.push('  Not restored:', ...notRestored.map((item) => `   - ${item}`));
  for (const item of report.plan?.kept ?? []) lines.push(`   (kept on purpose: ${item})`);
  return lines;
}

/**
 * The notification for one verdict: a short subject and a body a person reads in ten seconds (who, when,
 * what changed as a before → after share per target, why, what was done, how to override), then a JSON
 * section for machines. Returns undefined for an allowed change: silence when all is well.
 */
export function formatVerdict(report: VerdictReport): Notification | undefined {
  const { change, verdict } = report;
  // A rejected baseline is news whatever the verdict: someone else wrote the watchdog's state.
  const silentAllow = verdict.decision === 'allow' && report.outcome !== 'revert-failed' && report.rejectedBaseline === undefined;
  if (report.outcome === 'not-judged' || silentAllow) return undefined;
  const subject = subjectOf(report).slice(0, 100);
  const lines: string[] = [subject, ''];
  if (report.fight?.notice === 'escalate' || report.fight?.notice === 'digest') {
    const folded = report.fight.untold > 0 ? ` (${report.fight.untold} rounds since the last message, not told one by one)` : '';
    lines.push(
      `${change.actor.displayName} keeps re-applying a configuration the watchdog reverted: ${report.fight.span}${folded}.`,
      report.fight.yielded ? 'The policy yields now: the watchdog stops reverting it.' : 'The watchdog keeps reverting: fix the source, or break-glass to make the change on purpose.',
      '',
    );
  }
  const source = change.sourceIpAddress ? ` from ${change.sourceIpAddress}` : '';
  lines.push(`Who:   ${change.actor.displayName}${change.actor.arn ? ` (${change.actor.arn})` : ''}${source}`);
  // CloudTrail times the call to the second, so the latency is known to the second only.
  const judged = report.latencyMs === undefined ? '' : ` (handled within ${Math.max(1, Math.ceil(report.latencyMs / 1000))} s of the call)`;
  lines.push(`When:  ${utc(change.eventTime)}${judged}`);
  lines.push(`What:  ${change.eventName} on ${report.loadBalancer.arn}`);
  lines.push(`Mode:  ${report.mode}`);
  if (report.actor !== undefined) lines.push(`Actor: ${report.actor.title} (${report.actor.treatment})`);
  for (const other of report.judgedWith ?? []) lines.push(`Also:  ${other}`);
  lines.push('');
  if (report.rejectedBaseline !== undefined) {
    lines.push(
      `The stored baseline (last known good) of this load balancer was rejected: ${report.rejectedBaseline.reason}.`,
      'This change was judged without it and nothing was reverted; the next audit stores a fresh baseline.',
      '',
    );
  }
  lines.push('Why:');
  const findings = verdict.findings.filter((f) => f.severity !== 'info');
  for (const finding of findings.slice(0, MAX_LINES.findings)) {
    lines.push(`  ${finding.severity === 'block' ? '✗' : '!'} ${finding.ruleId}: ${finding.message}`);
  }
  if (findings.length > MAX_LINES.findings) lines.push(`  … and ${findings.length - MAX_LINES.findings} more findings`);
  // Whether load (CloudWatch) took part, or the verdict fell back to shares, and why.
  const load = verdict.findings.find((f) => f.ruleId === 'capacity-headroom' && f.severity === 'info' && f.message.startsWith('judged '));
  if (load !== undefined) lines.push(`  Load: ${load.message}`);
  const diff = report.shareChanges;
  if (diff.length > 0) lines.push('', 'Share of each request class per target, before → after:', ...diffLines(diff));
  lines.push('', 'What the watchdog did:', `  ${WHAT_WAS_DONE[report.outcome] ?? 'Nothing.'}`);
  lines.push(...whatWasDone(report));
  for (const problem of report.refused ?? []) lines.push(`   - ${problem}`);
  if (report.lastKnownGoodAt) lines.push(`  Last known good configuration: ${utc(report.lastKnownGoodAt)}.`);
  if (report.actor?.source !== undefined && report.verdict.decision === 'block') lines.push('', `Fix it at the source: ${report.actor.source}.`);
  if (report.error) lines.push(`  Error: ${report.error}`);
  if (report.breakGlass) {
    lines.push(`  Break-glass by ${report.breakGlass.by} until ${utc(report.breakGlass.expiresAt)}: ${report.breakGlass.reason}`);
  }
  if (verdict.decision === 'block' && report.outcome !== 'suspended') {
    lines.push(
      '',
      'To make this change on purpose, suspend enforcement for this load balancer, then repeat it:',
      `  elb-watchdog break-glass --lb ${report.loadBalancer.arn} --for 30m --reason "<why>"`,
    );
  }
  const machine = {
    ...(report.notificationId !== undefined && { notificationId: report.notificationId }),
    eventId: change.eventId,
    eventName: change.eventName,
    eventTime: change.eventTime,
    actor: change.actor,
    loadBalancerArn: report.loadBalancer.arn,
    mode: report.mode,
    decision: verdict.decision,
    action: report.action,
    outcome: report.outcome,
    findings: verdict.findings,
    shareChanges: diff.slice(0, MAX_LINES.machineRows),
    shareChangesOmitted: Math.max(0, diff.length - MAX_LINES.machineRows),
    plan: report.plan,
    ...(report.applied !== undefined && { applied: report.applied.map((step) => ({ operation: step.operation, description: step.description })) }),
    ...(report.notRestored !== undefined && report.notRestored.length > 0 && { notRestored: report.notRestored }),
    latencyMs: report.latencyMs,
    ...(report.rejectedBaseline !== undefined && { rejectedBaseline: report.rejectedBaseline }),
    ...(report.refused !== undefined && report.refused.length > 0 && { refused: report.refused }),
    ...(report.actor !== undefined && { actorTreatment: report.actor }),
    ...(report.judgedWith !== undefined && report.judgedWith.length > 0 && { judgedWith: report.judgedWith }),
    ...(report.fight !== undefined && { fight: report.fight }),
  };
  lines.push('', '--- machine-readable ---', JSON.stringify(machine));
  return {
    subject,
    body: lines.join('\n'),
    attributes: {
      decision: verdict.decision,
      action: report.action,
      outcome: report.outcome,
      loadBalancer: report.loadBalancer.arn,
      ...(report.notificationId !== undefined && { notificationId: report.notificationId }),
      ...(report.fight !== undefined && report.fight.notice !== 'normal' && { fight: report.fight.notice }),
    },
  };
}
