import type { Actor } from '../events/change';
import type { Notification } from '../ports';
import type { BreakGlass } from '../policy/verdict';
import { utc } from './time';

/** A break-glass started or ended, as people are told about it. */
export interface BreakGlassReport {
  readonly kind: 'started' | 'ended';
  readonly loadBalancer: { readonly arn: string; readonly name: string };
  /** The entry started, or the one that ended. */
  readonly entry: BreakGlass;
  /** Who started or ended it: the authenticated caller. */
  readonly actor: Actor;
  /** A break-glass the new one replaces, when one was active. */
  readonly replaced?: BreakGlass;
  /** When it ended (`ended` only). */
  readonly endedAt?: string;
  /** What the person added (`--by`), reported as a note: never taken as the identity. */
  readonly note?: string;
}

/** The short name in a subject: the user or session, the full ARN being in the body. */
function shortName(actor: Actor): string {
  return actor.userName ?? actor.sessionName ?? actor.arn?.split('/').pop() ?? actor.displayName;
}

/**
 * The notification for a break-glass: who (the authenticated identity), why, until when, and how to end it.
 * Suspending enforcement is exactly what people must hear about, so it is announced on the watchdog's topic
 * both when it starts and when it ends early.
 */
export function formatBreakGlass(report: BreakGlassReport): Notification {
  const { entry, loadBalancer, actor } = report;
  const started = report.kind === 'started';
  const subject = started
    ? `BREAK-GLASS on ${loadBalancer.name} by ${shortName(actor)}: enforcement suspended until ${utc(entry.expiresAt).slice(11, 16)} UTC`
    : `BREAK-GLASS ENDED on ${loadBalancer.name} by ${shortName(actor)}: enforcement resumed`;
  const lines = [subject, '', `Who:    ${actor.arn ?? actor.displayName} (authenticated by AWS STS)`];
  if (report.note !== undefined) lines.push(`Note:   ${report.note} (as given; not verified)`);
  lines.push(`What:   ${loadBalancer.arn}`, `Why:    ${entry.reason}`);
  if (started) {
    lines.push(`Until:  ${utc(entry.expiresAt)}`);
    if (report.replaced !== undefined) lines.push(`It replaces the break-glass by ${report.replaced.by} until ${utc(report.replaced.expiresAt)}: ${report.replaced.reason}`);
    lines.push(
      '',
      'Until then the watchdog judges and reports every change to this load balancer but reverts none.',
      `End it early: elb-watchdog break-glass --lb ${loadBalancer.arn} --end`,
    );
  } else {
    lines.push(`Opened: by ${entry.by} at ${utc(entry.startedAt)}, to last until ${utc(entry.expiresAt)}`);
    if (report.endedAt !== undefined) lines.push(`Ended:  ${utc(report.endedAt)}`);
    lines.push('', 'The watchdog enforces as configured again: an unsafe change is reverted.');
  }
  const machine = { kind: `break-glass-${report.kind}`, loadBalancerArn: loadBalancer.arn, breakGlass: entry, actor, ...(report.replaced && { replaced: report.replaced }), ...(report.note !== undefined && { note: report.note }) };
  lines.push('', '--- machine-readable ---', JSON.stringify(machine));
  return { subject, body: lines.join('\n'), attributes: { kind: 'break-glass', action: report.kind, loadBalancer: loadBalancer.arn } };
}
