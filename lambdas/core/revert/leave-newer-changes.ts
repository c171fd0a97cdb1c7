import type { Listener, ListenerRule, LoadBalancerSnapshot } from '../model/snapshot';
import { canonicalActions, canonicalConditions, stableJson } from './canonical';

/**
 * A revert finished by another run than the one that judged it (its judge crashed, or timed out) plans
 * against the load balancer as it is when it runs, which may be minutes later. Whatever someone changed
 * after the verdict was judged is theirs, and their own event judges it: the revert must not undo it
 * (chaos seed 1363834087: a retry re-applied the baseline over a person's safe change made 5 s after the
 * first attempt). So the verdict keeps a fingerprint of each routing element as judged, and a late revert
 * restores only the elements still as they were judged (or already restored).
 */

/** A fingerprint per routing element: `listener <arn>` (its default actions) and `rule <arn>` (priority, conditions, actions). */
export type RoutingFingerprints = Readonly<Record<string, string>>;

const listenerKey = (arn: string): string => `listener ${arn}`;
const ruleKey = (arn: string): string => `rule ${arn}`;
const ruleFingerprint = (rule: ListenerRule): string => stableJson({ priority: rule.priority, conditions: canonicalConditions(rule.conditions), actions: canonicalActions(rule.actions) });

/** An element someone changed after the verdict: now neither as judged nor as in the baseline. */
function changedSince(judged: RoutingFingerprints, key: string, now: string, good: string): boolean {
  return now !== good && judged[key] !== undefined && now !== judged[key];
}

/** The fingerprints of a snapshot's listeners and rules. */
export function routingFingerprints(snapshot: LoadBalancerSnapshot): RoutingFingerprints {
  const prints: Record<string, string> = {};
  for (const listener of snapshot.listeners) {
    prints[listenerKey(listener.arn)] = canonicalActions(listener.defaultActions);
    for (const rule of listener.rules) prints[ruleKey(rule.arn)] = ruleFingerprint(rule);
  }
  return prints;
}

/** What a late revert restores, and the elements it leaves as they are now (each named). */
export interface LateRevertTarget {
  readonly target: LoadBalancerSnapshot;
  readonly left: readonly string[];
}

/**
 * The baseline, with each listener's default actions and each rule that changed since it was judged (neither
 * as judged nor as in the baseline) taken as it is now, and each rule created or deleted since kept so.
 */
export function leaveNewerChanges(baseline: LoadBalancerSnapshot, live: LoadBalancerSnapshot, judged: RoutingFingerprints): LateRevertTarget {
  const left: string[] = [];
  const liveListeners = new Map(live.listeners.map((l) => [l.arn, l]));
  const listeners = baseline.listeners.map((good): Listener => {
    const now = liveListeners.get(good.arn);
    if (now === undefined) return good;
    let defaultActions = good.defaultActions;
    if (changedSince(judged, listenerKey(good.arn), canonicalActions(now.defaultActions), canonicalActions(good.defaultActions))) {
      defaultActions = now.defaultActions;
      left.push(`the default actions of listener ${good.arn}, changed after the verdict (judged on their own)`);
    }
    const liveRules = new Map(now.rules.map((r) => [r.arn, r]));
    const rules: ListenerRule[] = [];
    for (const rule of good.rules) {
      const current = liveRules.get(rule.arn);
      const wasJudged = judged[ruleKey(rule.arn)] !== undefined;
      if (current === undefined) {
        // Deleted after the verdict (it was there when judged): left deleted.
        if (wasJudged) left.push(`rule ${rule.arn}, deleted after the verdict (judged on its own)`);
        else rules.push(rule);
        continue;
      }
      if (changedSince(judged, ruleKey(rule.arn), ruleFingerprint(current), ruleFingerprint(rule))) {
        rules.push(current);
        left.push(`rule ${rule.arn}, changed after the verdict (judged on its own)`);
      } else {
        rules.push(rule);
      }
    }
    // Created after the verdict (neither judged nor in the baseline): kept.
    const known = new Set(good.rules.map((r) => r.arn));
    for (const rule of now.rules) {
      if (known.has(rule.arn) || judged[ruleKey(rule.arn)] !== undefined) continue;
      rules.push(rule);
      left.push(`rule ${rule.arn}, created after the verdict (judged on its own)`);
    }
    return { ...good, defaultActions, rules };
  });
  return { target: { ...baseline, listeners }, left };
}
