import { join } from 'node:path';
import { waitUntil } from '../../../sim/launcher/wait-until';
import { EnvironmentCrashedError, FunctionError, FunctionTimeoutError } from '../../../sim/runner/errors';
import { LocalFunction, type LocalFunctionSpec } from '../../../sim/runner/local-function';
import { patience } from '../../helpers/patience';

const PROBE = join(__dirname, '..', '..', 'fixtures', 'runner', 'probe-handler.js');

/** A gate the probe handler waits on: `entered()` counts invocations inside, `open()` lets them finish. */
function gate() {
  const buffer = new SharedArrayBuffer(8);
  const view = new Int32Array(buffer);
  return {
    buffer,
    entered: () => Atomics.load(view, 0),
    open: () => {
      Atomics.store(view, 1, 1);
      Atomics.notify(view, 1);
    },
  };
}

const until = (probe: () => boolean, what: string) => waitUntil(async () => (probe() ? true : undefined), { timeoutMs: 20_000, intervalMs: 20, onTimeout: () => new Error(`timed out waiting for ${what}`) });

/**
 * Lambda's execution environment lifecycle: Init once, then Invoke again and again while warm; after a
 * failure (a crash, a timeout) the environment is reset and the next invocation initialises anew.
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
 * Reserved concurrency caps a function's concurrent environments:
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
 */
describe('Class: LocalFunction (a function\'s execution environments)', () => {
  const made: LocalFunction[] = [];
  const probe = (overrides: Partial<LocalFunctionSpec> = {}) => {
    const fn = new LocalFunction({
      name: 'probe',
      modulePath: PROBE,
      handlerExport: 'handler',
      env: { PROBE_VALUE: 'from-the-function' },
      timeoutMs: 20_000,
      memoryLimitInMB: 128,
      credentialsFor: (index) => ({ accessKeyId: `probe.${index}` }),
      ...overrides,
    });
    made.push(fn);
    return fn;
  };
  afterEach(() => {
    for (const fn of made.splice(0)) fn.stop();
  });

  it('reuses a warm environment: module state carries over, process.env is the function\'s own', async () => {
    const fn = probe();

    const first = (await fn.invoke({})) as { invocations: number; value: string };
    const second = (await fn.invoke({})) as { invocations: number; value: string };

    expect([first.invocations, second.invocations]).toEqual([1, 2]);
    expect(second.value).toBe('from-the-function');
    expect(process.env.PROBE_VALUE).toBeUndefined();
    expect(fn.stats()).toMatchObject({ invocations: 2, coldStarts: 1, running: 1 });
  }, patience(60_000));

  it('warms one environment ahead of the first invocation, which then waits for it instead of starting another', async () => {
    const fn = probe();

    const warming = fn.warm();
    const first = (await fn.invoke({})) as { invocations: number };
    await warming;

    expect(first.invocations).toBe(1);
    expect(fn.stats()).toMatchObject({ invocations: 1, coldStarts: 1 });
  }, patience(60_000));

  it('warms up to the count asked for (provisioned concurrency), and two overlapping invocations start none cold', async () => {
    const fn = probe();
    const g = gate();

    await fn.warm(2);
    expect(fn.stats()).toMatchObject({ coldStarts: 2, running: 2 });
    const both = Promise.all([fn.invoke({ gate: g.buffer }), fn.invoke({ gate: g.buffer })]);
    await until(() => g.entered() === 2, 'both invocations inside the handler');
    g.open();
    await both;

    expect(fn.stats()).toMatchObject({ invocations: 2, coldStarts: 2, running: 2, peakConcurrency: 2 });
  }, patience(60_000));

  it('runs invocations that overlap in separate environments, each starting cold', async () => {
    const fn = probe();
    const g = gate();

    const both = Promise.all([fn.invoke({ gate: g.buffer }), fn.invoke({ gate: g.buffer })]);
    await until(() => g.entered() === 2, 'both invocations inside the handler');
    g.open();
    const results = (await both) as { invocations: number }[];

    expect(results.map((r) => r.invocations)).toEqual([1, 1]);
    expect(fn.stats()).toMatchObject({ coldStarts: 2, peakConcurrency: 2 });
  }, patience(60_000));

  it('holds reserved concurrency: with 1, the second invocation waits for the first environment', async () => {
    const fn = probe({ reservedConcurrency: 1 });
    const g = gate();

    const first = fn.invoke({ gate: g.buffer, label: 'first' });
    await until(() => g.entered() === 1, 'the first invocation inside the handler');
    const second = fn.invoke({ label: 'second' });
    g.open();
    const results = (await Promise.all([first, second])) as { invocations: number; label: string }[];

    // One environment ran both, one after the other.
    expect(results.map((r) => [r.label, r.invocations])).toEqual([['first', 1], ['second', 2]]);
    expect(fn.stats()).toMatchObject({ coldStarts: 1, peakConcurrency: 1 });
  }, patience(60_000));

  it('reports a thrown error as a function error, and keeps the environment warm', async () => {
    const fn = probe();

    const error = await fn.invoke({ fail: 'no luck' }).catch((e: unknown) => e);
    const after = (await fn.invoke({})) as { invocations: number };

    expect(error).toBeInstanceOf(FunctionError);
    expect(error).toMatchObject({ errorType: 'ProbeError', message: 'probe: ProbeError: no luck' });
    expect(after.invocations).toBe(2);
  }, patience(60_000));

  it('stops an invocation at the timeout and replaces the environment, as Lambda does', async () => {
    const fn = probe({ timeoutMs: 1_000 });
    await fn.invoke({});

    const error = await fn.invoke({ hang: true }).catch((e: unknown) => e);
    const next = (await fn.invoke({})) as { invocations: number };

    expect(error).toBeInstanceOf(FunctionTimeoutError);
    expect(next.invocations).toBe(1);
    expect(fn.stats()).toMatchObject({ coldStarts: 2, killed: 1 });
  }, patience(60_000));

  it('kills an environment mid-invocation: the invocation fails, the next one starts fresh', async () => {
    const fn = probe();
    const g = gate();
    await fn.invoke({});

    const running = fn.invoke({ gate: g.buffer }).catch((e: unknown) => e);
    await until(() => g.entered() === 1, 'the invocation inside the handler');
    await fn.environmentByKey('probe.1')?.kill(new EnvironmentCrashedError('killed by the test', 'probe'));
    const next = (await fn.invoke({})) as { invocations: number };

    expect(await running).toBeInstanceOf(EnvironmentCrashedError);
    expect(next.invocations).toBe(1);
    expect(fn.environmentByKey('probe.1')).toBeUndefined();
    expect(fn.environmentByKey('probe.2')).toBeDefined();
  }, patience(60_000));
});
