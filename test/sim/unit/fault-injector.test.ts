import { FaultInjector } from '../../../sim/faults/fault-injector';
import type { AwsCall } from '../../../sim/front/codec';

const call = (service: string, action: string, protocol: 'query' | 'json' = 'query'): AwsCall => ({
  style: { protocol, service, jsonVersion: '1.0', queryCompatible: service === 'monitoring', xmlns: '' },
  service,
  action,
  params: {},
  region: 'us-east-1',
});

describe('Faults: FaultInjector', () => {
  it('is deterministic for a seed', () => {
    const run = () => {
      const f = new FaultInjector();
      f.configure({ rules: [{ throttleRate: 0.5 }], seed: 42 });
      return Array.from({ length: 20 }, () => f.decide(call('elasticloadbalancing', 'DescribeRules')).error?.code ?? '-').join(',');
    };
    expect(run()).toBe(run());
    expect(run()).toMatch(/Throttling/);
  });

  it('matches rules by service and action, adds latencies, and uses each protocol\'s throttling code', () => {
    const f = new FaultInjector();
    f.configure({ rules: [{ service: 'sqs', throttleRate: 1, latencyMs: 5 }, { action: 'SendMessage', latencyMs: 7 }] });
    expect(f.decide(call('sqs', 'SendMessage', 'json'))).toMatchObject({ latencyMs: 12, error: { code: 'ThrottlingException', status: 400 } });
    expect(f.decide(call('monitoring', 'SendMessage', 'json'))).toEqual({ latencyMs: 7, error: undefined });
    f.configure({ rules: [{ throttleRate: 1 }] });
    expect(f.decide(call('monitoring', 'PutMetricData', 'json')).error?.code).toBe('Throttling');
    expect(f.describe().stats).toEqual({ throttled: 1, failed: 0, delayed: 0 });
  });

  it('refuses invalid configurations', () => {
    expect(() => new FaultInjector().configure({ rules: [{ errorRate: -0.1 }] })).toThrow();
    expect(() => new FaultInjector().configure({ rules: [], seed: 1.5 })).toThrow();
  });
});

describe('Faults: FaultInjector and the ELBv2 token buckets', () => {
  it('keeps the launcher\'s bucket setting as the default a configuration or clear falls back to', () => {
    const f = new FaultInjector({ elbApiBuckets: true });
    expect(f.elbApiBucketsEnabled()).toBe(true);
    f.configure({ elbApiBuckets: false });
    expect(f.elbApiBucketsEnabled()).toBe(false);
    f.configure({ rules: [] });
    expect(f.elbApiBucketsEnabled()).toBe(true);
    f.clear();
    expect(f.elbApiBucketsEnabled()).toBe(true);
    const off = new FaultInjector();
    expect(off.elbApiBucketsEnabled()).toBe(false);
    off.configure({ elbApiBuckets: true });
    expect(off.elbApiBucketsEnabled()).toBe(true);
  });
});
