import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { BaselineMac } from '../../lambdas/core/ports';

/**
 * HMAC-SHA-256 in this process with a random key: the algorithm a KMS `HMAC_256` key computes (RFC 2104),
 * for tests of what the store does with MACs. The KMS adapter itself is tested against the stand-in
 * (test/sim/kms-baseline-mac.test.ts). Counts calls, so a test can show that no MAC was even computed.
 */
export class LocalHmac implements BaselineMac {
  public generated = 0;
  public verified = 0;
  private readonly key = randomBytes(32);

  public async generate(message: Uint8Array): Promise<Uint8Array> {
    this.generated += 1;
    return createHmac('sha256', this.key).update(message).digest();
  }

  public async verify(message: Uint8Array, mac: Uint8Array): Promise<boolean> {
    this.verified += 1;
    const expected = createHmac('sha256', this.key).update(message).digest();
    return mac.length === expected.length && timingSafeEqual(mac, expected);
  }
}
