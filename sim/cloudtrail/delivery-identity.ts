import { createHash } from 'node:crypto';
import { jsonObject, type JsonObject } from './json-object';

/** IDs the stand-in draws anew in every world: ELBv2 resource IDs in ARNs (16 hex digits) and EC2 instance IDs. */
const RESOURCE_IDS = /\/[0-9a-f]{16}(?=[/"])|\bi-[0-9a-f]{8,17}\b/g;

/**
 * Which call a CloudTrail event records, in words that stay the same when the run is played again on a fresh
 * world: the caller as its role or user (not the access key: a function's environments each have their own,
 * numbered in start order), the event's name, and a digest of its request with resource IDs left out (moto
 * draws them anew). Equal calls share an identity; their occurrence number completes a delivery's key.
 */
export function deliveryIdentity(detail: Readonly<JsonObject>): string {
  const identity = jsonObject(detail.userIdentity);
  const issuer = jsonObject(jsonObject(identity.sessionContext).sessionIssuer).arn;
  const caller = String(issuer ?? identity.arn ?? identity.invokedBy ?? identity.type ?? 'unknown');
  const request = JSON.stringify(detail.requestParameters ?? null).replace(RESOURCE_IDS, (id) => (id.startsWith('/') ? '/*' : 'i-*'));
  return `${caller} ${String(detail.eventName)} ${createHash('sha256').update(request).digest('hex').slice(0, 16)}`;
}
