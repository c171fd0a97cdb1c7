import { XMLParser } from 'fast-xml-parser';
import { normalizeTree, type Normalized } from './query-params';

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (name) => name === 'member' || name === 'item' || name === 'entry',
});

/** A Query/XML response as features see it: the `<Action>Result` content, normalised like requests. */
export interface QueryResponse {
  readonly result?: Record<string, Normalized>;
  readonly error?: { readonly code: string; readonly message: string };
  readonly requestId?: string;
}

/** Parses an awsQuery (or EC2) XML answer from the backend; tolerant of anything that is not XML. */
export function parseQueryResponse(xml: string): QueryResponse {
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml) as Record<string, unknown>;
  } catch {
    return {};
  }
  const rootName = Object.keys(doc).find((k) => k !== '?xml');
  const root = rootName ? (doc[rootName] as Record<string, unknown> | string) : undefined;
  if (!rootName || root === undefined || typeof root !== 'object') return {};
  if (rootName === 'ErrorResponse' || rootName === 'Response') {
    const errors = root.Errors as Record<string, unknown> | undefined;
    const nested = errors?.Error;
    const raw = (root.Error ?? (Array.isArray(nested) ? nested[0] : nested)) as Record<string, unknown> | undefined;
    return {
      error: { code: String(raw?.Code ?? 'InternalFailure'), message: String(raw?.Message ?? '') },
      requestId: String(root.RequestId ?? root.RequestID ?? ''),
    };
  }
  const resultKey = Object.keys(root).find((k) => k.endsWith('Result'));
  const meta = root.ResponseMetadata as Record<string, unknown> | undefined;
  const requestId = meta?.RequestId ?? root.requestId;
  // EC2 answers carry their fields directly under the root element.
  const body = resultKey ? root[resultKey] : Object.fromEntries(Object.entries(root).filter(([k]) => k !== 'requestId'));
  const normalized = normalizeTree(body === '' ? {} : body);
  const result = typeof normalized === 'object' && !Array.isArray(normalized) ? normalized : {};
  return { result, requestId: requestId === undefined ? undefined : String(requestId) };
}

/** Escapes text for XML element content. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
}

/** Serialises a value as awsQuery XML: lists as `<member>` elements, maps as `<entry><key/><value/></entry>`. */
export function toQueryXml(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => `<member>${toQueryXml(v)}</member>`).join('');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `<${k}>${toQueryXml(v)}</${k}>`)
      .join('');
  }
  return escapeXml(String(value));
}
