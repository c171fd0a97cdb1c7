/**
 * Errors of ELB Watchdog. Validation errors (bad input: events, policy, CLI requests) are a different
 * class from execution errors (AWS calls, missing resources) so callers can tell "your input is wrong"
 * from "the world failed us" — the first is never retried, the second usually is.
 */

/** Base class: every error we raise on purpose is a `WatchdogError`. */
export class WatchdogError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WatchdogError';
  }
}

/** Input that does not match its schema: an event, a policy file, a snapshot, a CLI request. */
export class InputValidationError extends WatchdogError {
  /** Dotted path of the offending field, e.g. `rules.max-target-share.limitPercent`. */
  public readonly field?: string;
  /** Which input was invalid, e.g. `policy`, `snapshot`, `cloudtrail-event`. */
  public readonly input?: string;

  public constructor(message: string, context: { field?: string; input?: string; cause?: unknown } = {}) {
    super(message, { cause: context.cause });
    this.name = 'InputValidationError';
    this.field = context.field;
    this.input = context.input;
  }
}

/** An AWS API call failed after the retries its client allows. */
export class AwsCallError extends WatchdogError {
  /** The API operation, e.g. `ModifyListener`. */
  public readonly operation: string;
  /** The resource the call was about, when there was one. */
  public readonly resourceArn?: string;
  /** The AWS error code, e.g. `Throttling`, when AWS returned one. */
  public readonly code?: string;
  /** True when retrying later may succeed (throttling, 5xx, network). */
  public readonly retryable: boolean;

  public constructor(
    message: string,
    context: { operation: string; resourceArn?: string; code?: string; retryable?: boolean; cause?: unknown },
  ) {
    super(message, { cause: context.cause });
    this.name = 'AwsCallError';
    this.operation = context.operation;
    this.resourceArn = context.resourceArn;
    this.code = context.code;
    this.retryable = context.retryable ?? false;
  }
}

/** A resource the watchdog needed does not exist (any more). */
export class ResourceNotFoundError extends WatchdogError {
  /** The ARN (or name) that was not found. */
  public readonly resourceArn: string;

  public constructor(message: string, context: { resourceArn: string; cause?: unknown }) {
    super(message, { cause: context.cause });
    this.name = 'ResourceNotFoundError';
    this.resourceArn = context.resourceArn;
  }
}

/** A conditional write lost a race: someone else updated the item first. */
export class ConcurrentUpdateError extends WatchdogError {
  /** The key of the item that changed under us. */
  public readonly key: string;

  public constructor(message: string, context: { key: string; cause?: unknown }) {
    super(message, { cause: context.cause });
    this.name = 'ConcurrentUpdateError';
    this.key = context.key;
  }
}
