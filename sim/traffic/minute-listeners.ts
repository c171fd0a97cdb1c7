/** Told of each sim minute once it was simulated (traffic, then alarms): its start. */
export type MinuteListener = (minuteStart: Date) => Promise<void> | void;

/**
 * Listeners of the sim clock added at run time, e.g. the runner firing scheduled functions when sim time
 * passes their schedule. Each simulated minute runs them in order, after traffic and alarms; the clock
 * waits for them, so `clock.advance(n)` resolves once everything due in those minutes was started.
 */
export class MinuteListeners {
  private readonly listeners = new Set<MinuteListener>();

  /** Adds a listener; returns the function that removes it. */
  add(listener: MinuteListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Runs every listener for the minute that starts at `minuteStart`; one that fails is reported, not fatal. */
  async run(minuteStart: Date): Promise<void> {
    for (const listener of [...this.listeners]) {
      try {
        await listener(minuteStart);
      } catch (error) {
        process.emitWarning(`sim minute listener failed at ${minuteStart.toISOString()}: ${String(error)}`);
      }
    }
  }
}
