import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { CLI } from '../cli/run-cli';
import { awsCli } from './helpers/aws-cli';
import { alive, eventually, simJson } from './helpers/stand-in-fixture';
import { patience } from '../helpers/patience';

/** The built CLI, as users run it (jest's global setup keeps it fresh). */
function run(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NODE_NO_WARNINGS: '1' } });
}

function collect(child: ChildProcessWithoutNullStreams): { out: () => string; err: () => string; exit: Promise<number | null> } {
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { out: () => out, err: () => err, exit: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
}

describe('CLI: elb-watchdog sim', () => {
  it('prints one READY line, serves AWS and /_sim, and stops cleanly on SIGTERM, taking moto with it', async () => {
    // Act
    const child = run(['sim', '--port', '0', '--world', 'empty', '--speed', '0']);
    const io = collect(child);
    const line = await eventually(() => io.out().match(/^READY (http:\/\/127\.0\.0\.1:\d+)\n$/)?.[1], patience(30_000), 'the READY line');
    const { json } = await simJson<{ status: string; backend: { pid: number } }>(line, '/_sim/health');
    expect(json.status).toBe('ok');
    child.kill('SIGTERM');
    const code = await io.exit;
    // Assess
    expect(code).toBe(0);
    expect(alive(json.backend.pid)).toBe(false);
    expect(io.out().trim().split('\n')).toHaveLength(1);
  }, patience(40_000));

  it('prints the ready line as JSON with --json', async () => {
    const child = run(['sim', '--world', 'empty', '--speed', '0', '--mode', 'off', '--json']);
    const io = collect(child);
    const ready = await eventually(() => (io.out().includes('\n') ? (JSON.parse(io.out()) as { status: string; url: string }) : undefined), patience(30_000), 'the JSON line');
    expect(ready).toMatchObject({ status: 'ready', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), world: 'empty', mode: 'off' });
    child.kill('SIGINT');
    expect(await io.exit).toBe(0);
  }, patience(40_000));

  it('with --mode enforce, reverts a weight flip made through the AWS CLI', async () => {
    // Prepare
    const child = run(['sim', '--mode', 'enforce', '--speed', '0']);
    const io = collect(child);
    const url = await eventually(() => io.out().match(/^READY (\S+)\n$/)?.[1], patience(45_000), 'the READY line');
    const { json: health } = await simJson<{ world: { resources: Record<string, string> } }>(url, '/_sim/health');
    const { resources } = health.world;
    const weights = (blue: number, green: number) =>
      JSON.stringify([
        {
          Type: 'forward',
          ForwardConfig: {
            TargetGroups: [
              { TargetGroupArn: resources['targetGroup:web-blue'], Weight: blue },
              { TargetGroupArn: resources['targetGroup:web-green'], Weight: green },
            ],
          },
        },
      ]);

    // Act
    const flip = await awsCli(url, ['elbv2', 'modify-listener', '--listener-arn', resources['listener:web:80'], '--default-actions', weights(0, 100)]);
    const restored = await eventually(async () => {
      const listeners = await awsCli(url, ['elbv2', 'describe-listeners', '--listener-arns', resources['listener:web:80']]);
      const groups = (listeners.json as { Listeners: { DefaultActions: { ForwardConfig: { TargetGroups: { Weight: number }[] } }[] }[] }).Listeners[0].DefaultActions[0].ForwardConfig.TargetGroups;
      return groups[0].Weight === 100 ? groups.map((g) => g.Weight) : undefined;
    }, 20_000, 'the revert');

    // Assess
    expect(flip.code).toBe(0);
    expect(restored).toEqual([100, 0]);
    child.kill('SIGTERM');
    expect(await io.exit).toBe(0);
  }, patience(90_000));

  it('lists the sim command in --help', async () => {
    const io = collect(run(['--help']));
    expect(await io.exit).toBe(0);
    expect(io.out()).toMatch(/sim \[options\]/);
  }, patience(20_000));
});
