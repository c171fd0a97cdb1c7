import { InputValidationError } from '../../../lambdas/core/errors';
import { createRuntime, type WatchdogRuntime } from '../../../lambdas/handlers/watchdog-runtime';
import { HANDLER_CODE_ENV, HANDLER_FACTORIES } from '../../../sim/runner/handler-registry';

/** A function's environment as the runner resolves it from the template (no AWS call is made here). */
const ENVIRONMENT = { WATCHDOG_TABLE: 'ElbWatchdogStateTable', WATCHDOG_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:t', POWERTOOLS_LOG_LEVEL: 'SILENT' };

/** Invokes `on-alarm` with an event that is no alarm: its handler throws before any AWS call. */
async function errorOfOnAlarm(): Promise<{ error: Error; runtime: WatchdogRuntime | undefined }> {
  let runtime: WatchdogRuntime | undefined;
  const invoke = HANDLER_FACTORIES['on-alarm'](() => (runtime ??= createRuntime(ENVIRONMENT)));
  const error = await invoke({ 'detail-type': 'not an alarm' } as never).then(
    () => new Error('expected the handler to throw'),
    (thrown: unknown) => thrown as Error,
  );
  return { error, runtime };
}

describe('Module: sim/runner/handler-registry', () => {
  const before = process.env[HANDLER_CODE_ENV];
  afterEach(() => {
    if (before === undefined) delete process.env[HANDLER_CODE_ENV];
    else process.env[HANDLER_CODE_ENV] = before;
  });

  it('runs the prebuilt bundle by default: its own code, not the sources loaded here', async () => {
    // Prepare
    delete process.env[HANDLER_CODE_ENV];

    // Act
    const { error, runtime } = await errorOfOnAlarm();

    // Assess: the bundle carries its own copy of the error classes, so its error is not one of ours.
    expect(error.name).toBe('InputValidationError');
    expect(error.message).toMatch(/^invalid alarm event: /);
    expect(error).not.toBeInstanceOf(InputValidationError);
    expect(error.stack).toMatch(/dist\/lambda-bundles\/on-alarm\/index\.js:\d+/);
    runtime?.destroy();
  });

  it('runs the sources with ELB_WATCHDOG_HANDLERS=sources', async () => {
    process.env[HANDLER_CODE_ENV] = 'sources';

    const { error, runtime } = await errorOfOnAlarm();

    expect(error).toBeInstanceOf(InputValidationError);
    runtime?.destroy();
  });

  it('refuses a value it does not know', () => {
    process.env[HANDLER_CODE_ENV] = 'bundle';

    expect(() => HANDLER_FACTORIES.audit(() => createRuntime(ENVIRONMENT))).toThrow(`${HANDLER_CODE_ENV}=bundle: expected bundles or sources`);
  });
});
