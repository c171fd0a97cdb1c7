#!/usr/bin/env node
/**
 * The `elb-watchdog` command line. Kept thin: each command lives in `bin/commands/<name>.ts` and registers
 * itself here; this file only builds the program and maps failures to exit codes.
 */
// The SDK's notice that it will need Node 22 from 2027 is not for the people running this tool.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { Command, CommanderError } from 'commander';
// An import (not a require), so the build emits package.json next to dist/bin and the path holds there too.
import packageJson from '../package.json';
import { registerDemoCommand } from './commands/demo';
import { registerSimCommand } from './commands/sim';
import { registerAuditCommand } from './commands/audit';
import { registerBreakGlassCommand } from './commands/break-glass';
import { registerCheckCommand } from './commands/check';
import { registerEvaluateCommand } from './commands/evaluate';
import { registerHistoryCommand } from './commands/history';
import { registerPreviewCommand } from './commands/preview';
import { registerStatusCommand } from './commands/status';
import { watchdogWatcher } from './commands/watchdog-watcher';
import { describeError, EXIT, exitCodeOf } from './commands/exit-codes';

const { version } = packageJson;

/** Builds the program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('elb-watchdog')
    .description('Judges every Elastic Load Balancing v2 change within seconds and reverts unsafe ones.')
    .version(version)
    .option('--debug', 'print stack traces of errors')
    .showHelpAfterError('(run with --help for usage)')
    // Before registering: subcommands inherit it, so every usage error reaches the exit-code mapping below.
    .exitOverride();
  registerDemoCommand(program);
  registerSimCommand(program, watchdogWatcher);
  registerEvaluateCommand(program);
  registerPreviewCommand(program);
  registerCheckCommand(program);
  registerAuditCommand(program);
  registerBreakGlassCommand(program);
  registerHistoryCommand(program);
  registerStatusCommand(program);
  return program;
}

if (require.main === module) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      // Commander has already printed its message; help and version exit 0, usage errors 2.
      if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : EXIT.usage);
      process.stderr.write(`elb-watchdog: ${describeError(error)}\n`);
      if (process.argv.includes('--debug') && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
      process.exit(exitCodeOf(error));
    });
}
