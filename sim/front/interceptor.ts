import type { AwsCall, WireAnswer } from './codec';
import type { RegisteredIdentity } from './identity-registry';

/** Everything a feature knows about one AWS call passing through the front. */
export interface CallContext {
  readonly call: AwsCall;
  readonly identity: RegisteredIdentity;
  readonly requestId: string;
  readonly userAgent: string;
  readonly sourceIp: string;
  /** Sim-clock time of the call (CloudTrail `eventTime`). */
  readonly time: Date;
}

/** How a call ended, as the caller saw it. */
export interface CallOutcome {
  readonly answer: WireAnswer;
  /** Set when the call failed (from the backend, a validation, or an injected fault). */
  readonly error?: { readonly code: string; readonly message: string };
}

/**
 * A feature hooked into the front for some calls: it may refuse or answer a call before the backend sees it
 * (validations moto skips, actions moto lacks) and may rewrite the backend's answer (health overrides).
 */
export interface Interceptor {
  readonly name: string;
  matches(call: AwsCall): boolean;
  /** Throw an `AwsError` to refuse; return an answer to reply without the backend. */
  before?(context: CallContext): Promise<WireAnswer | undefined>;
  /** Return a replacement answer, or undefined to keep the backend's. */
  after?(context: CallContext, answer: WireAnswer): Promise<WireAnswer | undefined>;
  /**
   * True: `after` also sees answers a later interceptor gave in the front (GetMetricData, GetCallerIdentity),
   * as the caller will. Off by default: most `after`s post-process what the backend did.
   */
  readonly seesFrontAnswers?: boolean;
}

/** Sees every decoded call's final outcome (CloudTrail, notifications, cache invalidation); must not throw. */
export interface CallObserver {
  readonly name: string;
  observe(context: CallContext, outcome: CallOutcome): void;
}
