import { predictLoad } from '../../../lambdas/core/capacity/predict-load';
import { compareRouting } from '../../../lambdas/core/routing/compare-routing';
import { forward, lb, may19 } from '../../helpers/snapshot-builder';
import { observed } from './capacity-fixtures';

/**
 * The prediction: each target's rate after a change, from the rates groups carried before (CloudWatch
 * `RequestCount` by TargetGroup and LoadBalancer:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html).
 */
const rates = (load: Record<string, number>) => {
  const context = observed(load);
  if (context.reading.status !== 'observed') throw new Error('unreachable');
  return context.reading.load;
};

function predicted(before: ReturnType<typeof may19>, after: ReturnType<typeof may19>, load: Record<string, number>) {
  const prediction = predictLoad(compareRouting(before, after), rates(load));
  return { prediction, rate: (id: string) => Math.round(prediction.targets.get(id)?.after ?? 0), was: (id: string) => Math.round(prediction.targets.get(id)?.before ?? 0) };
}

describe('Function: predictLoad', () => {
  it.each([
    { name: 'the flip: one green server takes all 4,000', weights: { blue: 0, green: 100 }, target: 'i-green-1', after: 4000, before: 0 },
    { name: 'half and half: green takes 2,000, each blue 500', weights: { blue: 50, green: 50 }, target: 'i-green-1', after: 2000, before: 0 },
    { name: 'no change: each blue keeps 1,000', weights: { blue: 100, green: 0 }, target: 'i-blue-1', after: 1000, before: 1000 },
  ])('$name', ({ weights, target, after, before }) => {
    // Prepare / Act
    const { rate, was } = predicted(may19({ blue: 100, green: 0 }), may19(weights), { blue: 4000 });

    // Assess
    expect(rate(target)).toBe(after);
    expect(was(target)).toBe(before);
  });

  it('predicts 2,000 per target for a cutover from 4 blue to a green group of 2', () => {
    const build = (blue: number, green: number) => lb('web').group('blue', { healthy: 4 }).group('green', { healthy: 2 }).listener(80, forward({ blue, green })).build();
    const { rate } = predicted(build(100, 0), build(0, 100), { blue: 4000 });
    expect([rate('i-green-1'), rate('i-green-2')]).toEqual([2000, 2000]);
  });

  it('moves a quiet class with its own group at its own rate, and takes no bound', () => {
    const build = (admin: string) => lb('web').group('blue', { healthy: 4 }).group('admin', { healthy: 2 }).group('green', { healthy: 1 }).listener(80, forward({ blue: 1 })).rule(80, 10, { path: '/admin/*' }, forward({ [admin]: 1 })).build();
    const { rate, prediction } = predicted(build('admin'), build('green'), { blue: 3980, admin: 20, green: 0 });
    expect(rate('i-green-1')).toBe(20);
    expect(rate('i-blue-1')).toBe(995);
    expect(prediction.boundedBuckets).toBe(0);
    expect(prediction.targets.get('i-green-1')?.bounded).toBe(false);
  });

  it('takes the safe bound when a group served two classes whose split is unknown', () => {
    // /api/* and everything else both went to blue; the change sends /api/* alone to green
    const build = (api: string) => lb('web').group('blue', { healthy: 4 }).group('green', { healthy: 1 }).listener(80, forward({ blue: 1 })).rule(80, 10, { path: '/api/*' }, forward({ [api]: 1 })).build();
    const { rate, prediction } = predicted(build('blue'), build('green'), { blue: 4000 });
    // The bound: /api/* may have been all of blue's 4,000.
    expect(rate('i-green-1')).toBe(4000);
    expect(prediction.targets.get('i-green-1')?.bounded).toBe(true);
    expect(rate('i-blue-1')).toBe(1000);
  });

  it('leaves a class that had no forward before unknown', () => {
    const before = lb('web').group('blue', { healthy: 4 }).listener(80, forward({ blue: 1 })).build();
    const after = lb('web').group('blue', { healthy: 4 }).listener(80, forward({ blue: 1 })).listener(8080, forward({ blue: 1 })).build();
    const { prediction } = predicted(before, after, { blue: 4000 });
    expect(prediction.unknownClasses.map((c) => c.requestClass.listenerPort)).toEqual([8080]);
  });

  it('predicts nothing for a group that moved no traffic (absent from the metrics)', () => {
    const { prediction } = predicted(may19({ blue: 100, green: 0 }), may19({ blue: 0, green: 100 }), {});
    expect(prediction.targets.size).toBe(0);
  });
});
