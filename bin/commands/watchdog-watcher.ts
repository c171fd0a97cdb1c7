import type { StandIn, Watcher } from '../../sim';
import type { Mode } from '../../lambdas/core/policy/verdict';

/**
 * The watchdog, as the `sim` command attaches it to the stand-in. The runner (and with it the CDK app it
 * synthesizes) is loaded only when the watchdog runs, so other commands start fast.
 */
export function watchdogWatcher(mode: Exclude<Mode, 'off'>): Watcher {
  let runner: Watcher | undefined;
  return {
    name: 'elb-watchdog',
    async start(standIn: StandIn) {
      const { WatchdogRunner } = await import('../../sim/runner/watchdog-runner');
      runner = new WatchdogRunner({
        watchdog: { mode },
        onError: (error, where) => process.stderr.write(`elb-watchdog: ${where}: ${error.message}\n`),
      });
      await runner.start(standIn);
    },
    async stop() {
      await runner?.stop();
    },
    async reset() {
      await runner?.reset?.();
    },
  };
}
