import type { Command } from 'commander';
import { EXIT } from './exit-codes';
import { writeJson } from './output';
import { replayOutage } from './demo/outage-replay';
import { renderDemo } from './demo/render-demo';
import { watchdogWatcher } from './watchdog-watcher';

/** Registers `elb-watchdog demo`. */
export function registerDemoCommand(program: Command): Command {
  return program
    .command('demo')
    .description('Replay the May 19 outage on a local AWS stand-in: once with the watchdog, once without.')
    .option('--json', 'print the measured timeline and results as JSON')
    .addHelpText(
      'after',
      '\nNeeds python3 with moto (pip install \'moto[server]\'); no AWS account.' +
        '\nExit codes: 0 the unsafe change was reverted before the server fell over, 1 it was not, 3 python3/moto missing.',
    )
    .action(async (options: { json?: boolean }) => {
      const result = await replayOutage(() => watchdogWatcher('enforce'));
      if (options.json) writeJson(result);
      else process.stdout.write(renderDemo(result));
      process.exitCode = result.revertedBeforeCrash ? EXIT.ok : EXIT.failure;
    });
}
