import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { eventually, simJson } from './helpers/stand-in-fixture';

const ROOT = join(__dirname, '..', '..');

function run(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bin', 'elb-watchdog.ts'), ...args], { cwd: ROOT, env: { ...process.env, NODE_NO_WARNINGS: '1' } });
}

function collect(child: ChildProcessWithoutNullStreams): { out: () => string; err: () => string; exit: Promise<number | null> } {
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { out: () => out, err: () => err, exit: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('CLI: elb-watchdog sim', () => {
  it('prints one READY line, serves AWS and /_sim, and stops cleanly within 2 s of SIGTERM', async () => {
    // Act
    const child = run(['sim', '--port', '0', '--world', 'empty', '--speed', '0']);
    const io = collect(child);
    const line = await eventually(() => io.out().match(/^READY (http:\/\/127\.0\.0\.1:\d+)\n$/)?.[1], 30_000, 'the READY line');
    const { json } = await simJson<{ status: string; backend: { pid: number } }>(line, '/_sim/health');
    expect(json.status).toBe('ok');
    const started = Date.now();
    child.kill('SIGTERM');
    const code = await io.exit;
    // Assess
    expect(Date.now() - started).toBeLessThan(2000);
    expect(code).toBe(0);
    expect(alive(json.backend.pid)).toBe(false);
    expect(io.out().trim().split('\n')).toHaveLength(1);
  }, 40_000);

  it('prints the ready line as JSON with --json', async () => {
    const child = run(['sim', '--world', 'empty', '--speed', '0', '--json']);
    const io = collect(child);
    const ready = await eventually(() => (io.out().includes('\n') ? (JSON.parse(io.out()) as { status: string; url: string }) : undefined), 30_000, 'the JSON line');
    expect(ready).toMatchObject({ status: 'ready', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), world: 'empty', mode: 'off' });
    child.kill('SIGINT');
    expect(await io.exit).toBe(0);
  }, 40_000);

  it('refuses --mode enforce for now with a clear error and exit code 2', async () => {
    const io = collect(run(['sim', '--mode', 'enforce']));
    expect(await io.exit).toBe(2);
    expect(io.err()).toContain('--mode enforce is not available yet');
    expect(io.out()).toBe('');
  }, 20_000);

  it('lists the sim command in --help', async () => {
    const io = collect(run(['--help']));
    expect(await io.exit).toBe(0);
    expect(io.out()).toMatch(/sim \[options\]/);
  }, 20_000);
});
