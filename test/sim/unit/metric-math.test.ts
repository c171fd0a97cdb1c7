import { evaluateExpression, MetricMathError, type Series } from '../../../sim/alarms/metric-math';
import { computeBand } from '../../../sim/alarms/band-model';

const s = (points: Record<number, number>): Series => new Map(Object.entries(points).map(([t, v]) => [Number(t), v]));

describe('Alarms: evaluateExpression', () => {
  const series = new Map([
    ['tg', s({ 0: 10, 60: 30 })],
    ['lb', s({ 0: 100, 60: 100, 120: 100 })],
  ]);
  const grid = [0, 60, 120];

  it('does arithmetic point by point, aligned on timestamps', () => {
    expect(evaluateExpression('100 * tg / lb', series, grid)).toEqual(s({ 0: 10, 60: 30 }));
    expect(evaluateExpression('-(tg - 5) + 1', series, grid)).toEqual(s({ 0: -4, 60: -24 }));
  });

  it('FILLs missing periods and sums or averages series', () => {
    expect(evaluateExpression('FILL(tg, 0)', series, grid)).toEqual(s({ 0: 10, 60: 30, 120: 0 }));
    expect(evaluateExpression('SUM([tg, lb])', series, grid)).toEqual(s({ 0: 110, 60: 130, 120: 100 }));
    expect(evaluateExpression('AVG(METRICS())', series, grid)).toEqual(s({ 0: 55, 60: 65, 120: 100 }));
  });

  it('refuses what it cannot evaluate with a MetricMathError', () => {
    expect(() => evaluateExpression('nope * 2', series, grid)).toThrow(MetricMathError);
    expect(() => evaluateExpression('1 + 1', series, grid)).toThrow('not a time series');
    expect(() => evaluateExpression('RUNNING_SUM(tg)', series, grid)).toThrow('not supported');
    expect(() => evaluateExpression('tg +', series, grid)).toThrow(MetricMathError);
  });
});

describe('Alarms: computeBand', () => {
  it('has no band before minPoints datapoints (the model is still training)', () => {
    expect(computeBand([1, 2, 3, 4], 2)).toBeUndefined();
  });

  it('is mean ± k·σ over the window', () => {
    const band = computeBand([90, 110, 90, 110, 90, 110], 2);
    expect(band).toEqual({ lower: 80, upper: 120 });
  });

  it('keeps a minimum width for a flat history', () => {
    expect(computeBand([0, 0, 0, 0, 0], 2)).toEqual({ lower: -1, upper: 1 });
    expect(computeBand([1000, 1000, 1000, 1000, 1000], 2)).toEqual({ lower: 980, upper: 1020 });
  });
});
