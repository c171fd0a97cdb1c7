/** What a SigV4 credential scope says: who signed, for which Region and service. */
export interface CredentialScope {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
}

const SCOPE = /Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

/**
 * Reads the credential scope from an `Authorization` header or a presigned URL's `X-Amz-Credential`.
 * Signatures are not verified: the stand-in trusts its caller, as moto does.
 */
export function parseCredentialScope(authorization: string | undefined, url?: URL): CredentialScope | undefined {
  const fromHeader = authorization ? SCOPE.exec(authorization) : null;
  const presigned = url?.searchParams.get('X-Amz-Credential');
  const match = fromHeader ?? (presigned ? SCOPE.exec(`Credential=${presigned}`) : null);
  if (!match) return undefined;
  const [, accessKeyId, date, region, service] = match as unknown as [string, string, string, string, string];
  return { accessKeyId, date, region, service };
}
