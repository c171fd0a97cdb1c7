import { SimClock } from '../../../sim/traffic/sim-clock';

describe('Traffic: SimClock', () => {
  it('simulates every whole minute passed, once and in order, when advanced', async () => {
    const seen: string[] = [];
    const clock = new SimClock(new Date('2025-05-19T10:00:30Z'), 0, async (m) => void seen.push(m.toISOString().slice(11, 16)));
    await clock.advance(3);
    expect(seen).toEqual(['10:00', '10:01', '10:02']);
    await clock.advance(0);
    expect(seen).toHaveLength(3);
    expect(clock.describe()).toMatchObject({ speed: 0, minutesSimulated: 3, simulatedUntil: '2025-05-19T10:03:00.000Z', now: '2025-05-19T10:03:30.000Z' });
    await clock.stop();
  });

  it('flows at speed × real time', async () => {
    const clock = new SimClock(new Date('2025-05-19T10:00:00Z'), 600, async () => undefined);
    const before = clock.now().getTime();
    await new Promise((r) => setTimeout(r, 50));
    expect(clock.now().getTime() - before).toBeGreaterThanOrEqual(600 * 40);
    clock.setSpeed(0);
    const frozen = clock.now().getTime();
    await new Promise((r) => setTimeout(r, 20));
    expect(clock.now().getTime()).toBe(frozen);
    await clock.stop();
  });

  it('keeps going when a minute fails, and starts over on restart', async () => {
    const seen: number[] = [];
    const clock = new SimClock(new Date('2025-05-19T10:00:00Z'), 0, async (m) => {
      seen.push(m.getUTCMinutes());
      if (m.getUTCMinutes() === 0) throw new Error('boom');
    });
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    await clock.advance(2);
    expect(seen).toEqual([0, 1]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('boom'));
    warn.mockRestore();
    await clock.restart(new Date('2025-05-19T11:00:00Z'));
    expect(clock.describe().minutesSimulated).toBe(0);
    await clock.stop();
  });
});
