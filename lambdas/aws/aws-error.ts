import { AwsCallError, ResourceNotFoundError } from '../core/errors';

/** The parts of an AWS SDK v3 service exception we read. */
interface SdkErrorShape {
  name?: string;
  message?: string;
  $retryable?: { throttling?: boolean };
  $metadata?: { httpStatusCode?: number };
}

// The wire code (`LoadBalancerNotFound`) and the SDK v3 exception name (`LoadBalancerNotFoundException`).
const NOT_FOUND_CODES = new Set([
  'LoadBalancerNotFound',
  'LoadBalancerNotFoundException',
  'ListenerNotFound',
  'ListenerNotFoundException',
  'RuleNotFound',
  'RuleNotFoundException',
  'TargetGroupNotFound',
  'TargetGroupNotFoundException',
  'ResourceNotFoundException',
  'ResourceNotFound',
  'NotFound',
]);

const RETRYABLE_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'ServiceUnavailable',
  'InternalFailure',
  'InternalError',
  'InternalServerError',
]);

/**
 * Maps an SDK error to ours: not-found codes to `ResourceNotFoundError`, everything else to
 * `AwsCallError` with `retryable` set for throttling, 5xx and network failures.
 */
export function toWatchdogError(error: unknown, operation: string, resourceArn?: string): Error {
  const sdk = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const code = sdk.name;
  const message = `${operation}${resourceArn ? ` on ${resourceArn}` : ''} failed: ${code ?? 'Error'}: ${sdk.message ?? String(error)}`;
  if (code !== undefined && NOT_FOUND_CODES.has(code) && resourceArn !== undefined) {
    return new ResourceNotFoundError(message, { resourceArn, cause: error });
  }
  const status = sdk.$metadata?.httpStatusCode;
  const retryable =
    (code !== undefined && RETRYABLE_CODES.has(code)) ||
    sdk.$retryable !== undefined ||
    (status !== undefined && status >= 500) ||
    status === undefined;
  return new AwsCallError(message, { operation, resourceArn, code, retryable, cause: error });
}

/** Runs one SDK call and maps its failure with `toWatchdogError`. */
export async function callAws<T>(operation: string, resourceArn: string | undefined, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toWatchdogError(error, operation, resourceArn);
  }
}
