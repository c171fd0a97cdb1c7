/**
 * The front's protocol codecs, in one module: every wire format (awsQuery/XML, EC2 query, AWS JSON 1.0 and
 * 1.1, query-compatible JSON errors, SigV4 scopes) is read and written here and nowhere else.
 */
export { AwsError, validationError } from './aws-error';
export { decodeContentEncoding } from './content-encoding';
export { decodeCall, detectStyle, encodeError, encodeResult, header } from './protocol';
export type { AwsCall, CallStyle, WireAnswer, WireProtocol } from './protocol';
export { decodeQueryParams, normalizeTree } from './query-params';
export type { Normalized } from './query-params';
export { knownActions, SERVICE_WIRES } from './services';
export { parseCredentialScope } from './sigv4';
export type { CredentialScope } from './sigv4';
export { parseQueryResponse, toQueryXml } from './xml';
export type { QueryResponse } from './xml';
