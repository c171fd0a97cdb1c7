import { SignatureV4, type SignatureV4CryptoInit, type SignatureV4Init } from '@smithy/signature-v4';

type HttpRequest = Parameters<SignatureV4['presign']>[0];
type PresigningArguments = NonNullable<Parameters<SignatureV4['presign']>[1]>;
/** The request overload's options: what presigning takes besides its own `expiresIn` and header hoisting. */
type SigningArguments = Omit<PresigningArguments, 'expiresIn' | 'unhoistableHeaders' | 'hoistableHeaders'>;

/**
 * Takes the place of `@aws-sdk/signature-v4-multi-region` in the Lambda bundles (an esbuild alias in
 * `bin/bundle-handlers.ts`). STS (for member accounts' roles) and EventBridge use its signer, which signs
 * with plain SigV4 unless an endpoint asks for SigV4a (signing region `*`: multi-region access points,
 * EventBridge global endpoints). SigV4a needs the CRT or `@smithy/signature-v4a`, which no bundle carries,
 * so in Lambda its `sigv4aDependency()` is `none`, the SDK picks SigV4 wherever an endpoint offers both, and
 * a SigV4a-only endpoint fails: the same here, with a clear error. The real class is ~4 KB of every bundle
 * that never runs. The CLI and the sources keep it.
 */
export class SignatureV4MultiRegion {
  /** Which SigV4a implementation is loaded: none in these bundles. */
  public static sigv4aDependency(): 'none' {
    return 'none';
  }

  private readonly sigv4: SignatureV4;

  public constructor(options: SignatureV4Init & SignatureV4CryptoInit) {
    this.sigv4 = new SignatureV4(options);
  }

  public async sign(request: HttpRequest, options: SigningArguments = {}): Promise<HttpRequest> {
    noSigV4a(options.signingRegion);
    return this.sigv4.sign(request, options);
  }

  public async presign(request: HttpRequest, options: PresigningArguments = {}): Promise<HttpRequest> {
    noSigV4a(options.signingRegion);
    return this.sigv4.presign(request, options);
  }
}

function noSigV4a(signingRegion: string | undefined): void {
  if (signingRegion === '*') throw new Error('SigV4a signing is not bundled in ELB Watchdog handlers (bin/bundle-handlers.ts): an endpoint that requires it cannot be called');
}
