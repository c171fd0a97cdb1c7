import { MotoMissingError } from '../../sim/launcher/errors';

/** Exit codes every command uses (documented in `--help`). */
export const EXIT = {
  ok: 0,
  /** Something failed while running. */
  failure: 1,
  /** Bad usage: an unknown option value, or a mode that is not available. */
  usage: 2,
  /** A dependency is missing (Python or moto for the stand-in). */
  missingDependency: 3,
} as const;

/** A usage problem found after parsing (e.g. a mode not available yet). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The exit code for an error that ended a command. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof MotoMissingError) return EXIT.missingDependency;
  return EXIT.failure;
}
