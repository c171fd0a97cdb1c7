/** What finally happened to one judged change: the last word of the audit record and the notification. */
export type Outcome =
  /** Allowed (or warned): the new configuration is the last known good. */
  | 'baseline-updated'
  /**
   * Allowed: the configuration is the last known good already (the change changed nothing, or was undone
   * before its event was judged, e.g. by the verification of a revert it raced with).
   */
  | 'unchanged'
  /** Blocked and restored to last known good, verified by re-reading. */
  | 'reverted'
  /** Blocked, but the revert did not complete (the record is retried; people are told). */
  | 'revert-failed'
  /** Blocked in dry-run: nothing changed. */
  | 'not-reverted'
  /** Blocked while a break-glass is active: nothing changed. */
  | 'suspended'
  /** The load balancer is in mode off. */
  | 'not-judged'
  /** Blocked, but the revert plan named a listener, rule or target group not of this load balancer: nothing applied. */
  | 'revert-refused'
  /** The stored baseline was rejected (not the watchdog's): judged without it, nothing reverted or stored. */
  | 'baseline-rejected'
  /** Blocked, but the change came from an actor the policy judges and never reverts (a scaler). */
  | 'judge-only'
  /**
   * Unsafe, but no change of its batch made it so (an event lost or still on its way): told, not reverted,
   * not taken as the baseline; the audit reverts unsafe routing drift that stays unexplained for a period.
   */
  | 'left-to-audit'
  /**
   * Was `left-to-audit`, held before telling (`policy.unexplained.holdSeconds`), and a later judgement of
   * the load balancer explained the state (the late event came) or found it safe again: nobody told.
   */
  | 'explained-later'
  /** Changes of actors the policy trusts: recorded, nobody told. */
  | 'trusted'
  /** Blocked, but the policy yields after this many rounds of a fight: not reverted. */
  | 'yielded'
  /** The load balancer was deleted: its state is forgotten. */
  | 'load-balancer-deleted';
