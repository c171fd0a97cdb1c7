import { join } from 'node:path';
import { runCli, type CliResult } from './run-cli';

/** The CLI fixtures and the CloudTrail fixtures the operator commands read. */
export const CLI_FIXTURES = join(__dirname, '..', 'fixtures', 'cli');
export const CLOUDTRAIL_FIXTURES = join(__dirname, '..', 'fixtures', 'cloudtrail');

/**
 * The environment of a person using the stand-in: access key `alice`, Region us-east-1, and nothing else
 * that could steer the SDK (a developer's profile, or what the local runner put in this process's env).
 */
export const ALICE_ENV: Record<string, string | undefined> = {
  AWS_ACCESS_KEY_ID: 'alice',
  AWS_SECRET_ACCESS_KEY: 'x',
  AWS_SESSION_TOKEN: undefined,
  AWS_PROFILE: undefined,
  AWS_REGION: 'us-east-1',
  AWS_ENDPOINT_URL: undefined,
  ELB_WATCHDOG_TABLE: undefined,
  ELB_WATCHDOG_TOPIC_ARN: undefined,
};

/** Runs the built CLI against a stand-in as `alice`, with `--endpoint-url` added. */
export function cliAt(url: string): (args: readonly string[], options?: { stdin?: string; env?: Record<string, string | undefined> }) => Promise<CliResult> {
  return (args, options = {}) => runCli([...args, '--endpoint-url', url], { stdin: options.stdin, env: { ...ALICE_ENV, ...options.env } });
}

/**
 * Asserts a failed run: the exit code, one error line matching `pattern` (commander adds a second line
 * pointing at --help for usage errors), and no stack trace.
 */
export function expectErrorLine(result: CliResult, code: number, pattern: RegExp): void {
  const lines = result.stderr.trim().split('\n');
  expect({ code: result.code, line: lines[0] }).toEqual({ code, line: expect.stringMatching(pattern) });
  expect(lines.slice(1).filter((line) => line !== '(run with --help for usage)')).toEqual([]);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

/** The JSON a `--json` run printed. */
export function jsonOf<T = unknown>(result: CliResult): T {
  return JSON.parse(result.stdout) as T;
}
