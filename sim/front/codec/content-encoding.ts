import { gunzipSync } from 'node:zlib';
import type { IncomingHttpHeaders } from 'node:http';
import { AwsError } from './aws-error';

/** Largest body a gzip request may expand to (AWS caps PutMetricData at 1 MB uncompressed). */
export const MAX_INFLATED_BYTES = 8 * 1024 * 1024;

/**
 * Undoes `Content-Encoding: gzip` (the SDKs compress CloudWatch PutMetricData bodies over 10 KB), so the
 * front can read the call and the backend gets a plain body: moto's server decompresses such bodies twice
 * and answers 500.
 */
export function decodeContentEncoding(headers: IncomingHttpHeaders, body: Buffer): { headers: IncomingHttpHeaders; body: Buffer } {
  const encoding = String(headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding !== 'gzip') return { headers, body };
  let inflated: Buffer;
  try {
    inflated = gunzipSync(body, { maxOutputLength: MAX_INFLATED_BYTES });
  } catch {
    throw new AwsError('SerializationException', 'The request body is not valid gzip.', 400);
  }
  const { 'content-encoding': _dropped, ...rest } = headers;
  return { headers: rest, body: inflated };
}
