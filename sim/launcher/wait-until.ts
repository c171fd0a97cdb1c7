import { setTimeout as delay } from 'node:timers/promises';

/** Polls `probe` until it returns a value other than undefined, or throws the deadline error. */
export async function waitUntil<T>(
  probe: () => Promise<T | undefined>,
  options: { timeoutMs: number; intervalMs?: number; onTimeout: () => Error; abort?: () => Error | undefined },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const aborted = options.abort?.();
    if (aborted) throw aborted;
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw options.onTimeout();
    await delay(options.intervalMs ?? 50);
  }
}
