/** One target's overload history. */
interface TargetState {
  overloadedMinutes: number;
  calmMinutes: number;
  crashed: boolean;
  crashedAt?: Date;
}

/** What one target did with its requests in a minute. */
export interface TargetMinute {
  readonly offered: number;
  readonly served: number;
  /** Requests the overloaded server answered with 5XX (HTTPCode_Target_5XX_Count). */
  readonly target5xx: number;
  /** Requests sent to a crashed server: the load balancer answers 502 (HTTPCode_ELB_5XX_Count). */
  readonly elb5xx: number;
}

/**
 * The May 19 crash: a server pushed past its capacity for `crashAfter` consecutive minutes stops answering
 * health checks; once its load has been back under capacity for `recoverAfter` minutes it comes back.
 * While overloaded but up it serves its capacity and answers the excess with 5XX.
 */
export class CrashModel {
  private readonly states = new Map<string, TargetState>();

  /** True unless the target has crashed. */
  isUp(id: string): boolean {
    return this.states.get(id)?.crashed !== true;
  }

  /** Crashed targets with the sim time they went down. */
  crashed(): { id: string; since?: Date }[] {
    return [...this.states].filter(([, s]) => s.crashed).map(([id, s]) => ({ id, since: s.crashedAt }));
  }

  /** Accounts one minute of load for one target and advances its state for the next minute. */
  step(id: string, offered: number, capacity: number, settings: { crashAfterMinutes: number; recoverAfterMinutes: number }, at: Date): TargetMinute {
    const state = this.states.get(id) ?? { overloadedMinutes: 0, calmMinutes: 0, crashed: false };
    this.states.set(id, state);
    const minute: TargetMinute = state.crashed
      ? { offered, served: 0, target5xx: 0, elb5xx: offered }
      : { offered, served: Math.min(offered, capacity), target5xx: Math.max(0, offered - capacity), elb5xx: 0 };
    if (offered > capacity) {
      state.calmMinutes = 0;
      state.overloadedMinutes++;
      if (!state.crashed && state.overloadedMinutes >= settings.crashAfterMinutes) {
        state.crashed = true;
        state.crashedAt = new Date(at.getTime() + 60_000);
      }
    } else {
      state.overloadedMinutes = 0;
      state.calmMinutes++;
      if (state.crashed && state.calmMinutes >= settings.recoverAfterMinutes) {
        state.crashed = false;
        state.crashedAt = undefined;
      }
    }
    return minute;
  }

  /** Forgets every target. */
  reset(): void {
    this.states.clear();
  }
}
