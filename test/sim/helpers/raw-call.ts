/** A raw AWS request, signed only as far as moto and the front read it (credential scope), for shapes the SDKs would never send. */
export async function rawCall(
  url: string,
  service: string,
  init: { body: string; target?: string; contentType?: string; accessKeyId?: string },
): Promise<{ status: number; text: string; headers: Headers }> {
  const headers: Record<string, string> = {
    authorization: `AWS4-HMAC-SHA256 Credential=${init.accessKeyId ?? 'alice'}/20250101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
    'content-type': init.contentType ?? (init.target ? 'application/x-amz-json-1.0' : 'application/x-www-form-urlencoded; charset=utf-8'),
  };
  if (init.target) headers['x-amz-target'] = init.target;
  const response = await fetch(url, { method: 'POST', headers, body: init.body });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

/** Query-protocol body from flat parameters. */
export function query(params: Record<string, string | number>): string {
  return new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();
}
