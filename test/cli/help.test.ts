import { runCli } from './run-cli';

describe('CLI: elb-watchdog --help', () => {
  it('lists the commands and exits 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Commands:/);
    expect(result.stdout).toMatch(/sim \[options\]/);
  });

  it('exits 2 with one line on an unknown command', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')[0]).toMatch(/unknown command 'frobnicate'/);
  });
});
