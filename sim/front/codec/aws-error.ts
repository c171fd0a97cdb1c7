/** An error answered to the caller in its own protocol, as AWS would (code, HTTP status, fault side). */
export class AwsError extends Error {
  override readonly name = 'AwsError';

  constructor(
    /** AWS error code, e.g. `ValidationError`, `Throttling`. */
    readonly code: string,
    message: string,
    /** HTTP status AWS uses for this error. */
    readonly status = 400,
    /** `Sender` for client faults, `Receiver` for service faults (Query `<Type>`, query-compatible JSON header). */
    readonly fault: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
  ) {
    super(message);
  }
}

/** A `ValidationError` (HTTP 400), the code ELBv2 uses for bad parameters. */
export function validationError(message: string): AwsError {
  return new AwsError('ValidationError', message, 400);
}
