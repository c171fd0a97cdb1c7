import { MetricIndex, type StatQuery } from '../../../sim/metrics/metric-index';

const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);
const MIN = 60_000;
const TG = { Name: 'TargetGroup', Value: 'targetgroup/blue/1' };
const LB = { Name: 'LoadBalancer', Value: 'app/web/1' };

function index(): MetricIndex {
  const i = new MetricIndex();
  // Ten minutes of RequestCount for blue (TG+LB) and the LB, values 1..10 and 10..100.
  for (let m = 0; m < 10; m++) {
    i.add('AWS/ApplicationELB', [
      { MetricName: 'RequestCount', Dimensions: [TG, LB], Timestamp: new Date(T0 + m * MIN), Value: m + 1, Unit: 'Count' },
      { MetricName: 'RequestCount', Dimensions: [LB], Timestamp: new Date(T0 + m * MIN), Value: (m + 1) * 10, Unit: 'Count' },
    ]);
  }
  return i;
}

const q = (over: Partial<StatQuery> = {}): StatQuery => ({ id: 'm', namespace: 'AWS/ApplicationELB', name: 'RequestCount', dimensions: [TG, LB], period: 300, stat: 'Sum', returnData: true, ...over });

describe('Metrics: MetricIndex computes what moto answers', () => {
  it('buckets by period from StartTime, newest first by default, with moto\'s label', () => {
    const [r] = index().query([q()], T0, T0 + 10 * MIN, 'TimestampDescending') ?? [];
    expect(r).toEqual({ id: 'm', label: 'RequestCount Sum', timestamps: [T0 + 5 * MIN, T0], values: [6 + 7 + 8 + 9 + 10, 1 + 2 + 3 + 4 + 5] });
  });

  it.each([
    ['Average', [3, 8]],
    ['Minimum', [1, 6]],
    ['Maximum', [5, 10]],
    ['SampleCount', [5, 5]],
  ])('computes %s', (stat, values) => {
    expect(index().query([q({ stat })], T0, T0 + 10 * MIN, 'TimestampAscending')?.[0]?.values).toEqual(values);
  });

  it('aligns periods to StartTime (seconds dropped), cuts the last one at EndTime, and skips empty periods', () => {
    const [r] = index().query([q({ period: 120 })], T0 + MIN + 999, T0 + 4 * MIN, 'TimestampAscending') ?? [];
    expect(r).toMatchObject({ timestamps: [T0 + MIN, T0 + 3 * MIN], values: [2 + 3, 4] });
    expect(index().query([q()], T0 + 20 * MIN, T0 + 30 * MIN, 'TimestampAscending')?.[0]?.values).toEqual([]);
  });

  it('matches dimensions as a set, in any order; without dimensions, every series of the name', () => {
    expect(index().query([q({ dimensions: [LB, TG] })], T0, T0 + 5 * MIN, 'TimestampAscending')?.[0]?.values).toEqual([15]);
    expect(index().query([q({ dimensions: [LB] })], T0, T0 + 5 * MIN, 'TimestampAscending')?.[0]?.values).toEqual([150]);
    expect(index().query([q({ dimensions: [] })], T0, T0 + 5 * MIN, 'TimestampAscending')?.[0]?.values).toEqual([165]);
  });

  it('filters by unit, keeps the caller\'s label, and leaves out queries that do not return data', () => {
    const out = index().query([q({ unit: 'Seconds' }), q({ id: 'hidden', returnData: false }), q({ id: 'x', label: 'mine' })], T0, T0 + 5 * MIN, 'TimestampAscending');
    expect(out?.map((r) => [r.id, r.label, r.values])).toEqual([['m', 'RequestCount Sum', []], ['x', 'mine', [15]]]);
  });

  it('declines what moto may know better: other namespaces, unknown statistics, data others wrote, a touched backend', () => {
    const i = index();
    expect(i.query([q({ namespace: 'Custom/App' })], T0, T0 + MIN, 'TimestampAscending')).toBeUndefined();
    expect(i.query([q({ stat: 'p99' })], T0, T0 + MIN, 'TimestampAscending')).toBeUndefined();
    expect(i.query([q()], T0, T0, 'TimestampAscending')).toBeUndefined();
    i.notePut('Custom/App', [{ MetricName: 'RequestCount', Dimensions: [LB, TG] }]);
    expect(i.query([q()], T0, T0 + MIN, 'TimestampAscending')).toBeUndefined();
    expect(i.query([q({ dimensions: [LB] })], T0, T0 + MIN, 'TimestampAscending')).toBeDefined();
    i.notePut('AWS/ApplicationELB', [{ MetricName: 'Anything' }]);
    expect(i.query([q({ dimensions: [LB] })], T0, T0 + MIN, 'TimestampAscending')).toBeUndefined();
    const touched = index();
    touched.distrust();
    expect(touched.query([q()], T0, T0 + MIN, 'TimestampAscending')).toBeUndefined();
    touched.reset();
    expect(touched.query([q()], T0, T0 + MIN, 'TimestampAscending')?.[0]?.values).toEqual([]);
  });
});
