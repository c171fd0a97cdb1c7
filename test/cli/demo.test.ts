import type { DemoResult } from '../../bin/commands/demo/outage-replay';
import { runCli } from './run-cli';
import { patience } from '../helpers/patience';

describe('CLI: elb-watchdog demo', () => {
  it('replays May 19: reverted before the server falls over, and without the watchdog it falls over', async () => {
    // Act
    const run = await runCli(['demo', '--json'], { timeoutMs: 90_000 });

    // Assess
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as DemoResult;
    expect(result.revertedBeforeCrash).toBe(true);
    expect(result.withWatchdog.crashed).toEqual([]);
    expect(result.withWatchdog.revertedAfterMs).toBeLessThan(result.crashAfterMinutes * 60_000);
    expect(result.withWatchdog.verdictNotification?.subject).toBe('BLOCKED and reverted: ModifyListener on web by alice');
    expect(result.withWatchdog.during['web-5']).toBeGreaterThan(result.capacityPerMinute);
    expect(result.withoutWatchdog.crashedAtSimMinute).toBe(result.crashAfterMinutes);
    const act1 = result.timeline.filter((e) => e.act === 1 && e.afterCallMs !== undefined).map((e) => e.event);
    expect(act1.indexOf('listener back to the last known good')).toBeGreaterThan(act1.indexOf('alice makes the "routine update"'));
    const failedAtEnd = result.withoutWatchdog.traffic.failedPerMinute.at(-1) ?? 0;
    expect(failedAtEnd).toBeGreaterThan(0);
  }, patience(120_000));

  it('tells the story in text: both acts, the notification and the comparison', async () => {
    const run = await runCli(['demo'], { timeoutMs: 90_000 });

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ACT 1: with ELB Watchdog/);
    expect(run.stdout).toMatch(/│ BLOCKED and reverted: ModifyListener on web by alice/);
    expect(run.stdout).toMatch(/ACT 2: the same change, no watchdog/);
    expect(run.stdout).toMatch(/web-5 falls over/);
    expect(run.stdout).toMatch(/THE COMPARISON/);
    expect(run.stdout).toMatch(/75 min/);
    expect(run.stderr).toBe('');
  }, patience(120_000));
});
