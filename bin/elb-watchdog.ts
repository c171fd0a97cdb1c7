#!/usr/bin/env node
/**
 * The `elb-watchdog` command line. Kept thin: each command lives in `bin/commands/<name>.ts` and registers
 * itself here; this file only builds the program and maps failures to exit codes.
 */
import { Command, CommanderError } from 'commander';
// An import (not a require), so the build emits package.json next to dist/bin and the path holds there too.
import packageJson from '../package.json';
import { registerSimCommand } from './commands/sim';
import { EXIT, exitCodeOf } from './commands/exit-codes';

const { version } = packageJson;

/** Builds the program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('elb-watchdog')
    .description('Judges every Elastic Load Balancing v2 change within seconds and reverts unsafe ones.')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    // Before registering: subcommands inherit it, so every usage error reaches the exit-code mapping below.
    .exitOverride();
  registerSimCommand(program);
  return program;
}

if (require.main === module) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      // Commander has already printed its message; help and version exit 0, usage errors 2.
      if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : EXIT.usage);
      process.stderr.write(`elb-watchdog: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(exitCodeOf(error));
    });
}
