import { AwsCallError, InputValidationError, ResourceNotFoundError } from '../../lambdas/core/errors';
import { MotoMissingError } from '../../sim/launcher/errors';

/**
 * Exit codes every command uses (each command's `--help` lists its own). `preview` and `check` also use
 * 1 for "warnings" and 2 for "blocked", so a CI gate can tell them apart from success.
 */
export const EXIT = {
  ok: 0,
  /** Something failed while running; for preview/check: warnings. */
  failure: 1,
  /** Bad usage or input: an unknown option value, an unreadable file, invalid JSON; for preview/check: blocked. */
  usage: 2,
  /** AWS (or the stand-in) failed us: unreachable, no credentials, throttled, a resource not found; or moto missing. */
  aws: 3,
} as const;

/** A usage problem found after parsing (a mode not available, a missing option). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

interface ErrorShape {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
  $metadata?: unknown;
}

/** Walks `cause` links: an SDK error wrapped in ours still decides the exit code and the hint. */
function chain(error: unknown): ErrorShape[] {
  const seen: ErrorShape[] = [];
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && seen.length < 5) {
    seen.push(current as ErrorShape);
    current = (current as ErrorShape).cause;
  }
  return seen;
}

const isNetwork = (e: ErrorShape) => ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT'].includes(e.code ?? '');
const isCredentials = (e: ErrorShape) => e.name === 'CredentialsProviderError' || /Could not load credentials/i.test(e.message ?? '');

/** The exit code for an error that ended a command. */
export function exitCodeOf(error: unknown): number {
  const errors = chain(error);
  if (errors.some((e) => e instanceof UsageError || e instanceof InputValidationError)) return EXIT.usage;
  if (errors.some((e) => e instanceof AwsCallError || e instanceof ResourceNotFoundError || e instanceof MotoMissingError)) return EXIT.aws;
  if (errors.some((e) => isNetwork(e) || isCredentials(e) || e.$metadata !== undefined)) return EXIT.aws;
  return EXIT.failure;
}

/** One line for a person: what went wrong and, when we know, what to do about it. */
export function describeError(error: unknown): string {
  const errors = chain(error);
  const first = errors[0];
  const message = first?.message ?? String(error);
  const network = errors.find(isNetwork);
  if (network) {
    const endpoint = process.env.AWS_ENDPOINT_URL ?? 'AWS';
    return `cannot reach ${endpoint} (${network.code}): check the endpoint, or start the stand-in with \`elb-watchdog sim\``;
  }
  if (errors.some(isCredentials)) {
    const profile = process.env.AWS_PROFILE;
    if (profile !== undefined && profile !== '') return `no AWS credentials from profile ${profile}: ${message.split('\n')[0]}`;
    return 'no AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (for the stand-in, any key: AWS_ACCESS_KEY_ID=alice)';
  }
  return message.split('\n')[0];
}
