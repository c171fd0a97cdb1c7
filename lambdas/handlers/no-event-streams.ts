/**
 * Takes the place of `@smithy/core/event-streams` in the Lambda bundles (an esbuild alias in
 * `bin/bundle-handlers.ts`). The SDK loads event-stream serde only for an operation whose input or output
 * has an event-stream member (a `@streaming` union: `HttpProtocol.loadEventStreamCapability`, reached from
 * `RpcProtocol`/`HttpBindingProtocol` when `getEventStreamMember()` finds one). No operation of the clients
 * the handlers bundle (ELBv2, DynamoDB, KMS, SNS, SQS, STS, CloudWatch, EventBridge) has one: their
 * schemas carry no `streaming` trait. So the ~15 KB of codec, marshallers and serde never run; should a
 * future client need them, this says so instead of failing obscurely. The CLI and the sources keep them.
 */
function absent(): never {
  throw new Error('event streams are not bundled in ELB Watchdog handlers (bin/bundle-handlers.ts): a client that needs them must not use this alias');
}

/** Never constructed: see the module comment. */
export class EventStreamSerde {
  public constructor() {
    absent();
  }
}

/** Never called: see the module comment. */
export const eventStreamSerdeProvider = absent;
