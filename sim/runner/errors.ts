/**
 * How an invocation on the local runner fails, by who failed: the handler (it threw, as Lambda's
 * `Unhandled` function error), or its execution environment (killed by an injected crash, stopped at the
 * function's timeout, or unable to start). Event sources treat them all as a failed invocation.
 */

/** Base class of a failed invocation. */
export class InvocationError extends Error {
  override readonly name: string = 'InvocationError';

  constructor(
    message: string,
    /** The function (its handler name). */
    readonly functionName: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The handler threw (or rejected); `errorType` is the thrown error's name, as Lambda reports it. */
export class FunctionError extends InvocationError {
  override readonly name = 'FunctionError';

  constructor(
    functionName: string,
    readonly errorType: string,
    errorMessage: string,
    readonly trace: readonly string[] = [],
  ) {
    super(`${functionName}: ${errorType}: ${errorMessage}`, functionName);
  }
}

/** The environment was killed by an injected crash: nothing after the crash point ran. */
export class EnvironmentCrashedError extends InvocationError {
  override readonly name = 'EnvironmentCrashedError';
}

/** The invocation ran past the function's timeout; Lambda stops the environment. */
export class FunctionTimeoutError extends InvocationError {
  override readonly name = 'FunctionTimeoutError';
}

/** The environment could not load the handler module (Lambda's `Runtime.ImportModuleError`), or exited. */
export class EnvironmentFailedError extends InvocationError {
  override readonly name = 'EnvironmentFailedError';
}

/** The runner stopped (or reset) while the invocation waited or ran: not the function's failure, never retried. */
export class RunnerStoppedError extends InvocationError {
  override readonly name = 'RunnerStoppedError';
}

/** A crash spec that does not validate; `field` names the offending field. */
export class CrashSpecError extends Error {
  override readonly name = 'CrashSpecError';

  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}
