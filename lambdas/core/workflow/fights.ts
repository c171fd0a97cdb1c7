import type * as z from '../zod';
import type { FightSettingsSchema } from '../policy/policy-schema';

/**
 * Fights: someone (a pipeline, a controller) keeps re-applying a configuration the watchdog reverted.
 * The first unsafe change is told; so is the first time the same actor re-applies the reverted
 * configuration; the second re-apply within the window is a fight: one escalation, then later rounds are
 * folded into a digest at most every `digestMinutes`. The policy may make the watchdog yield after N rounds.
 */

/** The fight settings of a policy. */
export type FightSettings = z.output<typeof FightSettingsSchema>;

/** What the watchdog remembers about the last reverted configuration of one load balancer. */
export interface FightState {
  /** Who applied it (`arn` of the user or role session, or the display name). */
  readonly actorKey: string;
  readonly actorName: string;
  /** A fingerprint of the reverted (unsafe) configuration. */
  readonly configuration: string;
  /** How many times this actor applied it within the window (1 = the first, unsafe change). */
  readonly rounds: number;
  readonly firstAt: string;
  readonly lastAt: string;
  /** When the escalation was told, and when the last digest. */
  readonly escalatedAt?: string;
  readonly lastToldAt?: string;
  /** Rounds since the last escalation or digest, not told yet. */
  readonly untold: number;
}

/** How people hear about one round. */
export type FightNotice = 'normal' | 'escalate' | 'digest' | 'fold';

/** The decision for one blocked change by an enforced actor. */
export interface FightRound {
  readonly state: FightState;
  readonly round: number;
  readonly notice: FightNotice;
  /** True when the policy says to stop reverting (the round is past `yieldAfterRounds`). */
  readonly yieldNow: boolean;
  /** True when this round is part of a fight (round 3 and later). */
  readonly fighting: boolean;
}

const MINUTE = 60_000;

/** The next round of a possible fight; `previous` is the stored state (any actor, any configuration). */
export function nextFightRound(
  previous: FightState | undefined,
  seen: { readonly actorKey: string; readonly actorName: string; readonly configuration: string; readonly at: string },
  settings: FightSettings,
): FightRound {
  const now = Date.parse(seen.at);
  const continues =
    previous !== undefined &&
    previous.actorKey === seen.actorKey &&
    previous.configuration === seen.configuration &&
    now - Date.parse(previous.lastAt) <= settings.windowMinutes * MINUTE;
  const round = continues ? previous.rounds + 1 : 1;
  const base = continues ? previous : undefined;
  const yieldNow = settings.yieldAfterRounds !== undefined && round > settings.yieldAfterRounds;
  let notice: FightNotice;
  if (round <= 2) notice = 'normal';
  // Escalate when the fight starts, and again the round the watchdog starts yielding.
  else if (round === 3 || (settings.yieldAfterRounds !== undefined && round === settings.yieldAfterRounds + 1)) notice = 'escalate';
  else notice = now - Date.parse(base?.lastToldAt ?? base?.escalatedAt ?? seen.at) >= settings.digestMinutes * MINUTE ? 'digest' : 'fold';
  const told = notice === 'fold' ? base?.lastToldAt : seen.at;
  const state: FightState = {
    actorKey: seen.actorKey,
    actorName: seen.actorName,
    configuration: seen.configuration,
    rounds: round,
    firstAt: base?.firstAt ?? seen.at,
    lastAt: seen.at,
    ...((notice === 'escalate' ? seen.at : base?.escalatedAt) !== undefined && { escalatedAt: notice === 'escalate' ? seen.at : base?.escalatedAt }),
    ...(told !== undefined && { lastToldAt: told }),
    untold: notice === 'fold' ? (base?.untold ?? 0) + 1 : 0,
  };
  return { state, round, notice, yieldNow, fighting: round >= 3 };
}

/** `3 times in 4 min`. */
export function fightSpan(state: FightState): string {
  const minutes = Math.max(1, Math.round((Date.parse(state.lastAt) - Date.parse(state.firstAt)) / MINUTE));
  return `${state.rounds} times in ${minutes} min`;
}
