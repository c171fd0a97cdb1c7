import { execFile } from 'node:child_process';

/** What one AWS CLI run printed. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON when it is JSON. */
  readonly json?: unknown;
}

/** Runs the AWS CLI against an endpoint as a given caller (credentials in the child's environment only). */
export function awsCli(endpoint: string, args: string[], accessKeyId = 'alice'): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      'aws',
      ['--endpoint-url', endpoint, '--output', 'json', ...args],
      {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: 'x', AWS_DEFAULT_REGION: 'us-east-1', AWS_MAX_ATTEMPTS: '1', AWS_PAGER: '' },
        timeout: 30_000,
      },
      (error, stdout, stderr) => {
        let json: unknown;
        try {
          json = stdout.trim() ? JSON.parse(stdout) : undefined;
        } catch {
          json = undefined;
        }
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr, json });
      },
    );
  });
}
