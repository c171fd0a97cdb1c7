import { useWatchdog } from './watchdog-harness';

/**
 * The watchdog when AWS misbehaves. Functions get 3 SDK attempts here (the construct gives 10) so an
 * outage exhausts them in seconds; the change queue's own retries then do the rest, as in AWS.
 */
const watchdog = useWatchdog({ mode: 'enforce' }, { sdkEnvironment: { AWS_MAX_ATTEMPTS: '3' } });

async function injectFaults(rules: Record<string, unknown>[]): Promise<void> {
  const response = await fetch(`${watchdog.fixture.standIn.url}/_sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ rules, seed: 7 }),
  });
  expect(response.status).toBe(200);
}

describe('ELB Watchdog when AWS fails', () => {
  it('completes the revert through 30% ELBv2 throttling', async () => {
    // Prepare: the person's call goes through first; then ELBv2 throttles everyone.
    await watchdog.setWeights(0, 100);
    await injectFaults([{ service: 'elasticloadbalancing', throttleRate: 0.3 }]);

    // Act
    await watchdog.eventually(async () => ((await watchdog.weights().catch(() => undefined))?.blue === 100 ? true : undefined), 'the revert', 30_000);

    // Assess
    const faults = (await (await fetch(`${watchdog.fixture.standIn.url}/_sim/faults`)).json()) as { stats: { throttled: number } };
    await injectFaults([]);
    expect(faults.stats.throttled).toBeGreaterThan(0);
    const notification = await watchdog.eventually(async () => watchdog.fixture.standIn.notifications()[0], 'a notification');
    expect(notification.subject).toBe('BLOCKED and reverted: ModifyListener on web by alice');
  });

  it('moves the change to the dead-letter queue when ELBv2 is down, with nothing half-applied', async () => {
    await watchdog.setWeights(0, 100);
    // Every ELBv2 call fails: the watchdog reads only what a change can affect, so no single action is enough.
    await injectFaults([{ service: 'elasticloadbalancing', errorRate: 1, errorCode: 'ServiceUnavailable' }]);

    await watchdog.eventually(async () => ((await watchdog.queueMessages('WatchdogChangesDeadLetters')) > 0 ? true : undefined), 'the dead letter', 60_000);

    await injectFaults([]);
    expect(await watchdog.weights()).toEqual({ blue: 0, green: 100 });
    expect(watchdog.fixture.standIn.events({ eventName: 'ModifyListener' })).toHaveLength(1);
  });
});
