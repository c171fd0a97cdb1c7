import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { AwsError } from './aws-error';
import { decodeQueryParams, type Normalized } from './query-params';
import { SERVICE_WIRES, serviceForTarget } from './services';
import { parseCredentialScope, type CredentialScope } from './sigv4';
import { toQueryXml } from './xml';

/** The wire protocol of one request: awsQuery, EC2 query, AWS JSON 1.0/1.1, or anything else (REST). */
export type WireProtocol = 'query' | 'ec2' | 'json' | 'rest';

/** How to read a request and answer it; derived from headers alone, so it never fails. */
export interface CallStyle {
  readonly protocol: WireProtocol;
  /** Signing name (`elasticloadbalancing`, `monitoring`, ...), when known. */
  readonly service?: string;
  readonly jsonVersion: '1.0' | '1.1';
  readonly queryCompatible: boolean;
  readonly xmlns: string;
  readonly scope?: CredentialScope;
}

/** One decoded RPC call: what features see. */
export interface AwsCall {
  readonly style: CallStyle;
  readonly service: string;
  readonly action: string;
  /** Request members in the JSON shape whatever the protocol (Query values stay strings). */
  readonly params: Record<string, Normalized | unknown>;
  readonly accessKeyId?: string;
  readonly region: string;
}

/** An HTTP answer ready to send. */
export interface WireAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** Works out protocol and service from the request line and headers. */
export function detectStyle(method: string, url: URL, headers: IncomingHttpHeaders): CallStyle {
  const scope = parseCredentialScope(header(headers, 'authorization'), url);
  const target = header(headers, 'x-amz-target');
  const contentType = header(headers, 'content-type') ?? '';
  const service = scope?.service ?? (target ? serviceForTarget(target) : undefined);
  const wire = service ? SERVICE_WIRES[service] : undefined;
  let protocol: WireProtocol = 'rest';
  if (target) protocol = 'json';
  else if (contentType.includes('x-www-form-urlencoded') || (method === 'GET' && url.searchParams.has('Action'))) {
    protocol = service === 'ec2' ? 'ec2' : 'query';
  }
  const jsonVersion = contentType.includes('1.1') ? '1.1' : (wire?.jsonVersion ?? '1.0');
  return {
    protocol,
    service,
    jsonVersion,
    queryCompatible: wire?.queryCompatible === true,
    xmlns: wire?.xmlns ?? 'https://aws.amazon.com/doc/',
    scope,
  };
}

/** Decodes an RPC call; undefined for REST requests, which the front forwards untouched. */
export function decodeCall(style: CallStyle, url: URL, body: Buffer, defaultRegion: string, target?: string): AwsCall | undefined {
  if (style.protocol === 'rest') return undefined;
  const region = style.scope?.region ?? defaultRegion;
  const base = { style, service: style.service ?? 'unknown', accessKeyId: style.scope?.accessKeyId, region };
  if (style.protocol === 'json') {
    const action = (target ?? '').split('.').slice(1).join('.');
    if (!action) throw new AwsError('UnknownOperationException', 'Missing operation in X-Amz-Target', 400);
    return { ...base, action, params: parseJsonBody(body) };
  }
  const params = decodeQueryParams([...url.searchParams.entries(), ...new URLSearchParams(body.toString('utf8')).entries()]);
  const action = typeof params.Action === 'string' ? params.Action : '';
  if (!action) throw new AwsError('MissingAction', 'The request must contain the parameter Action.', 400);
  delete params.Action;
  delete params.Version;
  return { ...base, action, params };
}

function parseJsonBody(body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AwsError('SerializationException', 'Start of structure or map found where not expected.', 400);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AwsError('SerializationException', 'The request body must be a JSON object.', 400);
  }
  return parsed as Record<string, unknown>;
}

/** Encodes an error the way the caller's protocol carries it, so its SDK maps code and retryability. */
export function encodeError(style: CallStyle, error: AwsError, requestId: string = randomUUID()): WireAnswer {
  if (style.protocol === 'json') {
    const headers: Record<string, string> = {
      'content-type': `application/x-amz-json-${style.jsonVersion}`,
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': error.code,
    };
    // Query-compatible services (CloudWatch, SQS) carry the classic code in this header.
    if (style.queryCompatible) headers['x-amzn-query-error'] = `${error.code};${error.fault}`;
    const body = JSON.stringify({ __type: error.code, message: error.message, Message: error.message });
    return { status: error.status, headers, body: Buffer.from(body) };
  }
  const detail = `<Code>${error.code}</Code><Message>${toQueryXml(error.message)}</Message>`;
  const xml =
    style.protocol === 'ec2'
      ? `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>${detail}</Error></Errors><RequestID>${requestId}</RequestID></Response>`
      : `<ErrorResponse xmlns="${style.xmlns}"><Error><Type>${error.fault}</Type>${detail}</Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status: error.status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: Buffer.from(xml) };
}

/** Encodes a successful result of an action the front answers itself (e.g. anomaly detectors). */
export function encodeResult(style: CallStyle, action: string, result: Record<string, unknown>, requestId: string = randomUUID()): WireAnswer {
  if (style.protocol === 'json') {
    return {
      status: 200,
      headers: { 'content-type': `application/x-amz-json-${style.jsonVersion}`, 'x-amzn-requestid': requestId },
      body: Buffer.from(JSON.stringify(result)),
    };
  }
  const xml =
    `<${action}Response xmlns="${style.xmlns}"><${action}Result>${toQueryXml(result)}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
  return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: Buffer.from(xml) };
}

/** One header's value as a string (first of repeated headers). */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
