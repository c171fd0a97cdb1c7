import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { patience } from '../helpers/patience';

/** The built CLI, as `npx elb-watchdog` runs it (jest's global setup keeps it fresh). */
export const CLI = join(__dirname, '..', '..', 'dist', 'bin', 'elb-watchdog.js');

/** What one CLI run printed and how it ended. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI to completion with `args`, optional stdin and extra environment. */
export function runCli(args: readonly string[], options: { stdin?: string; env?: Record<string, string | undefined>; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, NODE_NO_WARNINGS: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`elb-watchdog ${args.join(' ')} did not finish in ${patience(options.timeoutMs ?? 60_000)} ms\n${stderr}`));
    }, patience(options.timeoutMs ?? 60_000));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}
