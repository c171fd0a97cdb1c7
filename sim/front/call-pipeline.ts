import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { FaultInjector } from '../faults/fault-injector';
import { AwsError, decodeCall, decodeContentEncoding, detectStyle, encodeError, header, knownActions, parseQueryResponse } from './codec';
import type { AwsCall, CallStyle, WireAnswer } from './codec';
import { forward } from './forwarder';
import type { IdentityRegistry } from './identity-registry';
import type { CallContext, CallObserver, CallOutcome, Interceptor } from './interceptor';

/** What the pipeline needs from the stand-in. */
export interface PipelineDeps {
  readonly region: string;
  readonly backendUrl: () => string;
  /** DynamoDB endpoint (dynalite); undefined sends DynamoDB to the backend too. */
  readonly dynamoUrl: () => string | undefined;
  readonly identities: IdentityRegistry;
  readonly faults: FaultInjector;
  readonly interceptors: readonly Interceptor[];
  readonly observers: readonly CallObserver[];
  readonly now: () => Date;
}

/** The largest body the front accepts, as AWS's Query and JSON endpoints do. */
export const MAX_BODY_BYTES = 1024 * 1024;

const INTERNAL = 'The request processing has failed because of an unknown error, exception or failure.';

/** Runs one AWS request: decode, faults, features before, backend, features after, observers. */
export async function handleAwsRequest(deps: PipelineDeps, req: IncomingMessage, rawBody: Buffer, tooLarge: boolean): Promise<WireAnswer> {
  const url = new URL(req.url ?? '/', 'http://front.invalid');
  const style = detectStyle(req.method ?? 'GET', url, req.headers);
  const requestId = randomUUID();
  if (tooLarge) {
    return encodeError(style, new AwsError('RequestEntityTooLarge', `Request body must be at most ${MAX_BODY_BYTES} bytes.`, 413), requestId);
  }
  let call: AwsCall | undefined;
  let headers = req.headers;
  let body = rawBody;
  try {
    if (style.protocol !== 'rest') ({ headers, body } = decodeContentEncoding(req.headers, rawBody));
    call = decodeCall(style, url, body, deps.region, header(headers, 'x-amz-target'));
  } catch (error) {
    if (error instanceof AwsError) return encodeError(style, error, requestId);
    throw error;
  }
  // AWS refuses an RPC call that names no credentials before looking at anything else.
  if (call && !style.scope) {
    const code = style.protocol === 'json' ? 'MissingAuthenticationTokenException' : 'MissingAuthenticationToken';
    return encodeError(style, new AwsError(code, 'Request is missing Authentication Token', 403), requestId);
  }
  const target = endpointFor(deps, style.service);
  if (!call) return guard(style, requestId, () => forward(target, { method: req.method ?? 'GET', path: req.url ?? '/', headers, body }));
  const identity = deps.identities.resolve(call.accessKeyId);
  // A service's calls show the service's DNS name as address and agent, as CloudTrail writes them.
  const context: CallContext = {
    call,
    identity,
    requestId,
    userAgent: identity.userAgent ?? identity.invokedBy ?? header(req.headers, 'user-agent') ?? '',
    sourceIp: identity.sourceIPAddress ?? identity.invokedBy ?? req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
    time: deps.now(),
  };
  const outcome = await run(deps, context, () => forward(target, { method: req.method ?? 'POST', path: req.url ?? '/', headers, body }));
  for (const observer of deps.observers) {
    try {
      observer.observe(context, outcome);
    } catch (error) {
      process.emitWarning(`observer ${observer.name} failed: ${String(error)}`);
    }
  }
  return outcome.answer;
}

function endpointFor(deps: PipelineDeps, service: string | undefined): string {
  return (service === 'dynamodb' ? deps.dynamoUrl() : undefined) ?? deps.backendUrl();
}

async function run(deps: PipelineDeps, context: CallContext, toBackend: () => Promise<WireAnswer>): Promise<CallOutcome> {
  const { call } = context;
  try {
    const known = knownActions(call.service);
    if (known && !known.has(call.action)) {
      throw call.style.protocol === 'json'
        ? new AwsError('UnknownOperationException', `Operation ${call.action} is not supported.`, 400)
        : new AwsError('InvalidAction', `The action ${call.action} is not valid for this web service.`, 400);
    }
    const decision = deps.faults.decide(call);
    if (decision.latencyMs > 0) await delay(decision.latencyMs);
    if (decision.error) throw decision.error;
    const active = deps.interceptors.filter((i) => i.matches(call));
    for (const [index, interceptor] of active.entries()) {
      let local = await interceptor.before?.(context);
      if (local) {
        // Answered in the front (GetMetricData, GetCallerIdentity, a validation): the runner's call hooks see
        // the answer as they would see the backend's, so a hook waiting for "answered" is not left waiting.
        for (const earlier of active.slice(0, index)) if (earlier.seesFrontAnswers === true) local = (await earlier.after?.(context, local)) ?? local;
        return { answer: local, error: errorOf(call.style, local) };
      }
    }
    let answer = await guard(call.style, context.requestId, toBackend);
    for (const interceptor of active) answer = (await interceptor.after?.(context, answer)) ?? answer;
    return { answer, error: errorOf(call.style, answer) };
  } catch (error) {
    const awsError = error instanceof AwsError ? error : new AwsError('InternalFailure', INTERNAL, 500);
    if (!(error instanceof AwsError)) process.emitWarning(`stand-in front: ${call.service}.${call.action} failed: ${String(error)}`);
    return { answer: encodeError(call.style, awsError, context.requestId), error: { code: awsError.code, message: awsError.message } };
  }
}

/** Calls the backend; an unreachable backend or a crash page (moto's HTML 500) becomes an AWS error. */
async function guard(style: CallStyle, requestId: string, toBackend: () => Promise<WireAnswer>): Promise<WireAnswer> {
  let answer: WireAnswer;
  try {
    answer = await toBackend();
  } catch {
    return encodeError(style, new AwsError('ServiceUnavailable', 'The stand-in backend is unavailable.', 503), requestId);
  }
  const html = (answer.headers['content-type'] ?? '').includes('text/html');
  if (answer.status >= 400 && html && style.protocol !== 'rest') {
    return encodeError(style, new AwsError('InternalFailure', INTERNAL, 500), requestId);
  }
  return answer;
}

/** The error code and message of a failed answer in any protocol. */
export function errorOf(style: CallStyle, answer: WireAnswer): { code: string; message: string } | undefined {
  if (answer.status < 300) return undefined;
  const text = answer.body.toString('utf8');
  if (style.protocol === 'json') {
    const queryError = answer.headers['x-amzn-query-error']?.split(';')[0];
    try {
      const parsed = JSON.parse(text) as { __type?: string; message?: string; Message?: string };
      const code = queryError ?? parsed.__type?.split('#').pop() ?? 'InternalFailure';
      return { code, message: parsed.message ?? parsed.Message ?? '' };
    } catch {
      return { code: queryError ?? 'InternalFailure', message: text.slice(0, 200) };
    }
  }
  return parseQueryResponse(text).error ?? { code: 'InternalFailure', message: text.slice(0, 200) };
}
