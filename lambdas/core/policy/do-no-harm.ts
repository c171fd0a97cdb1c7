import type { ClassComparison, RoutingComparison } from '../routing/compare-routing';
import { classHead, classRef, healthyTargetsText } from '../rules/rule-helpers';
import type { Finding } from './verdict';

/**
 * Do no harm: never block (and so never revert) a change whose result serves a request class with more
 * healthy capacity than the last known good would with today's health, unless the revert gives the classes
 * that block more than that back (`helpOfRevert`). The case it exists for: every target of the current
 * group is unhealthy and an operator moves traffic to the only healthy server; a revert would send the
 * requests back into the dead group.
 *
 * An improvement counts when it is at least half a server (capacity is counted by share, so weights of
 * 1/999 move it by fractions that are not a rescue).
 */
const MEANINGFUL = 0.5;

function capacity(side: ClassComparison['before']): number | undefined {
  if (side === undefined) return undefined;
  if (side.traffic !== undefined) return side.traffic.healthyCapacity;
  // A redirect or a fixed 2xx answers without targets: there is no capacity to compare.
  return side.working ? undefined : 0;
}

/** The class a revert would harm most, with its capacities; undefined when a revert harms none. */
export function harmOfRevert(routing: RoutingComparison): { comparison: ClassComparison; before: number; after: number } | undefined {
  if (routing.before === undefined) return undefined;
  let worst: { comparison: ClassComparison; before: number; after: number } | undefined;
  for (const comparison of routing.classes) {
    const before = capacity(comparison.before);
    const after = capacity(comparison.after);
    if (before === undefined || after === undefined || after < before + MEANINGFUL) continue;
    if (worst === undefined || after - before > worst.after - worst.before) worst = { comparison, before, after };
  }
  return worst;
}

/**
 * What a revert gives back to the request classes that block: the most healthy capacity any of them regains
 * (the last known good's with today's health, less the change's). A revert that gives one class 3 servers
 * back harms no one by taking 0.9 of a server from another: a pipeline that sent /api/* to one server
 * while a person's lost change spread the default path over one more was kept, unreverted, because of
 * the default path (chaos soak, seeds 1353761292 and 1353769211).
 */
export function helpOfRevert(routing: RoutingComparison, blockingClassLabels: ReadonlySet<string>): number {
  let help = 0;
  for (const comparison of routing.classes) {
    if (!blockingClassLabels.has(comparison.requestClass.label)) continue;
    const before = capacity(comparison.before);
    const after = capacity(comparison.after);
    if (before !== undefined && after !== undefined) help = Math.max(help, before - after);
  }
  return help;
}

/** The finding that says why a block was lowered to a warning. */
export function doNoHarmFinding(harm: NonNullable<ReturnType<typeof harmOfRevert>>): Finding {
  return {
    ruleId: 'do-no-harm',
    severity: 'warn',
    message:
      `not blocked, do no harm: ${classHead(harm.comparison)} is served by ${healthyTargetsText(harm.after)} after the change, ` +
      `${healthyTargetsText(harm.before)} under the last known good with today's health; reverting would leave them worse`,
    requestClass: classRef(harm.comparison),
    numbers: { before: harm.before, after: harm.after },
  };
}
