/**
 * Takes the place of the SDK's pure-JavaScript SHA-256 (`@smithy/core` `checksum/sha256/Sha256Js`, ~3 KB)
 * in the Lambda bundles (an esbuild plugin in `bin/bundle-handlers.ts`). `Sha256Node` falls back to it
 * only when `crypto.createHash('sha256')` throws, i.e. a Node.js built without OpenSSL's SHA-256; the
 * Lambda Node.js runtimes are built with OpenSSL, and SHA-256 is allowed even in FIPS mode, so the
 * fallback never runs there. Should it ever be reached, signing fails saying why.
 */
export class Sha256Js {
  public constructor() {
    throw new Error('this Node.js has no native SHA-256 and ELB Watchdog handlers do not bundle the JavaScript one (bin/bundle-handlers.ts)');
  }
}
