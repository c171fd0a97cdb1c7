import type { AwsCall, WireAnswer } from './codec';
import type { CallContext, Interceptor } from './interceptor';

/** What a hook decides before a call reaches the backend. */
export type BeforeCallDecision = 'continue' | 'drop';

/**
 * Something outside the front that wants to see a call as the front sees it, and may hold it: the runner
 * injecting crashes ("the function's environment dies when it calls SNS Publish"), a test pausing one
 * caller to show another proceeds.
 */
export interface CallHook {
  /**
   * Before the backend sees the call; the call waits while this runs. `drop`: the call never reaches the
   * backend nor any observer (CloudTrail never hears of it), and is never answered: for a caller that is
   * gone (its connection closes with it).
   */
  before?(context: CallContext): Promise<BeforeCallDecision | void> | BeforeCallDecision | void;
  /** After the backend answered (the call took effect), before the caller gets the answer. */
  after?(context: CallContext, answer: WireAnswer): Promise<void> | void;
}

/**
 * The front's one place for hooks added at run time. It is the first interceptor, so `before` sees every
 * call past the injected faults, and `after` every call that reached the backend.
 */
export class CallHooks implements Interceptor {
  readonly name = 'call-hooks';
  readonly seesFrontAnswers = true;
  private readonly hooks = new Set<CallHook>();

  /** Adds a hook; returns the function that removes it. */
  add(hook: CallHook): () => void {
    this.hooks.add(hook);
    return () => void this.hooks.delete(hook);
  }

  matches(_call: AwsCall): boolean {
    return this.hooks.size > 0;
  }

  async before(context: CallContext): Promise<undefined> {
    for (const hook of [...this.hooks]) {
      if ((await hook.before?.(context)) === 'drop') return new Promise<undefined>(() => undefined);
    }
    return undefined;
  }

  async after(context: CallContext, answer: WireAnswer): Promise<undefined> {
    for (const hook of [...this.hooks]) await hook.after?.(context, answer);
    return undefined;
  }
}
