import { CrashModel } from '../../../sim/traffic/crash-model';

const settings = { crashAfterMinutes: 2, recoverAfterMinutes: 3 };
const at = new Date('2025-05-19T10:00:00Z');

describe('Traffic: CrashModel', () => {
  it('crashes a target after crashAfterMinutes overloaded minutes, serving its capacity until then', () => {
    const model = new CrashModel();
    expect(model.step('t', 4000, 1500, settings, at)).toEqual({ offered: 4000, served: 1500, target5xx: 2500, elb5xx: 0 });
    expect(model.isUp('t')).toBe(true);
    model.step('t', 4000, 1500, settings, at);
    expect(model.isUp('t')).toBe(false);
    expect(model.step('t', 4000, 1500, settings, at)).toEqual({ offered: 4000, served: 0, target5xx: 0, elb5xx: 4000 });
  });

  it('recovers after recoverAfterMinutes calm minutes, and a calm minute resets the overload count', () => {
    const model = new CrashModel();
    model.step('t', 2000, 1500, settings, at);
    model.step('t', 100, 1500, settings, at);
    model.step('t', 2000, 1500, settings, at);
    expect(model.isUp('t')).toBe(true);
    model.step('t', 2000, 1500, settings, at);
    expect(model.isUp('t')).toBe(false);
    for (let i = 0; i < 2; i++) model.step('t', 0, 1500, settings, at);
    expect(model.isUp('t')).toBe(false);
    model.step('t', 0, 1500, settings, at);
    expect(model.isUp('t')).toBe(true);
  });
});
