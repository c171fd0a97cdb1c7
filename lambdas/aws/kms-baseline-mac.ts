import { GenerateMacCommand, KMSInvalidMacException, VerifyMacCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { BaselineMac } from '../core/ports';
import { callAws } from './aws-error';

/** The MAC algorithm of the watchdog's key (key spec HMAC_256). */
export const BASELINE_MAC_ALGORITHM = 'HMAC_SHA_256';

/**
 * MACs with the watchdog's KMS HMAC key (GenerateMac / VerifyMac). The key never leaves KMS, and its key
 * policy lets only the watchdog's functions use it: a MAC that verifies was made by one of them. A MAC that
 * does not verify is `false` (KMS answers `KMSInvalidMacException`); any other failure (throttling, access
 * denied, a disabled key) is an error, never a "forged" verdict.
 */
export class KmsBaselineMac implements BaselineMac {
  public constructor(
    private readonly client: KMSClient,
    /** The key's ARN (or id or alias). */
    private readonly keyId: string,
  ) {}

  public async generate(message: Uint8Array): Promise<Uint8Array> {
    const result = await callAws('GenerateMac', this.keyId, () =>
      this.client.send(new GenerateMacCommand({ KeyId: this.keyId, Message: message, MacAlgorithm: BASELINE_MAC_ALGORITHM })),
    );
    if (result.Mac === undefined) throw new Error(`GenerateMac with ${this.keyId} returned no MAC`);
    return result.Mac;
  }

  public async verify(message: Uint8Array, mac: Uint8Array): Promise<boolean> {
    try {
      const result = await this.client.send(new VerifyMacCommand({ KeyId: this.keyId, Message: message, Mac: mac, MacAlgorithm: BASELINE_MAC_ALGORITHM }));
      return result.MacValid === true;
    } catch (error) {
      if (error instanceof KMSInvalidMacException) return false;
      return callAws('VerifyMac', this.keyId, () => Promise.reject(error));
    }
  }
}
