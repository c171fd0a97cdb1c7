import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4MultiRegion as RealSigner } from '@aws-sdk/signature-v4-multi-region';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4MultiRegion as BundledSigner } from '../../lambdas/handlers/sigv4-only';

/**
 * The Lambda bundles sign STS (a member account's role) with `lambdas/handlers/sigv4-only.ts` in place of
 * `@aws-sdk/signature-v4-multi-region` (bin/bundle-handlers.ts). It must sign exactly as the real signer
 * does in Lambda, where no SigV4a implementation is loaded: SigV4 for every regional endpoint
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html), and no
 * SigV4a (signing region `*`, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html).
 */
describe('Module: lambdas/handlers/sigv4-only', () => {
  const options = {
    service: 'sts',
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session' },
    sha256: Sha256,
  };
  const request = (): HttpRequest =>
    new HttpRequest({
      method: 'POST',
      protocol: 'https:',
      hostname: 'sts.eu-west-1.amazonaws.com',
      path: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded', host: 'sts.eu-west-1.amazonaws.com' },
      body: 'Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fwatchdog&RoleSessionName=elb-watchdog',
    });
  const signingDate = new Date('2026-12-07T12:00:00Z');

  it('signs a request as the real signer does: the same headers, the same signature', async () => {
    const real = await new RealSigner(options).sign(request(), { signingDate });
    const bundled = await new BundledSigner(options).sign(request(), { signingDate });
    expect(bundled.headers).toEqual(real.headers);
    expect(bundled.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261207\/eu-west-1\/sts\/aws4_request, SignedHeaders=\S+, Signature=[0-9a-f]{64}$/);
  });

  it('presigns as the real signer does', async () => {
    const real = await new RealSigner(options).presign(request(), { signingDate, expiresIn: 300 });
    const bundled = await new BundledSigner(options).presign(request(), { signingDate, expiresIn: 300 });
    expect(bundled.query).toEqual(real.query);
  });

  it('reports no SigV4a implementation, as the real one does where none is loaded, and refuses region *', async () => {
    expect(BundledSigner.sigv4aDependency()).toBe(RealSigner.sigv4aDependency());
    await expect(new BundledSigner(options).sign(request(), { signingDate, signingRegion: '*' })).rejects.toThrow('SigV4a signing is not bundled');
    await expect(new RealSigner(options).sign(request(), { signingDate, signingRegion: '*' })).rejects.toThrow();
  });
});
