import { isUntrustedBaseline, type StoredSnapshot, type UntrustedBaseline } from '../ports';
import { foreignArns } from './foreign-arns';

/** Why a stored baseline is not used. */
export type BaselineRejectionCode = 'mac-missing' | 'mac-invalid' | 'mac-unchecked' | 'foreign-arns';

/** A stored baseline the watchdog will not revert to, and why. */
export interface BaselineRejection {
  readonly code: BaselineRejectionCode;
  /** One sentence for people: what is wrong with it. */
  readonly reason: string;
  /** The rejected item's version, when it is a number: a fresh baseline replaces exactly that item. */
  readonly version?: number;
}

/** What the watchdog may do with what the store returned for one load balancer. */
export type BaselineCheck =
  | { readonly status: 'none' }
  | { readonly status: 'trusted'; readonly stored: StoredSnapshot }
  | { readonly status: 'rejected'; readonly rejection: BaselineRejection };

const MAX_NAMED = 3;

/**
 * Decides whether a stored baseline may be used as the last known good of `loadBalancerArn`: only one the
 * watchdog wrote (its MAC checked by the store) and that names only this load balancer's listeners and
 * rules and target groups of its account and Region. A baseline stored before baselines were signed has no
 * MAC and is rejected like a forged one: accepting it "once" would accept anyone who deletes the MAC too.
 * The audit replaces a rejected baseline with a fresh one (see `auditLoadBalancers`).
 */
export function checkBaseline(stored: StoredSnapshot | UntrustedBaseline | undefined, loadBalancerArn: string): BaselineCheck {
  if (stored === undefined) return { status: 'none' };
  if (isUntrustedBaseline(stored)) {
    const reason =
      stored.untrusted === 'mac-missing'
        ? 'it carries no MAC: it was stored before baselines were signed, or written by someone other than the watchdog'
        : 'its MAC does not match its content: it was written or changed by someone other than the watchdog';
    return { status: 'rejected', rejection: { code: stored.untrusted, reason, version: stored.version } };
  }
  if (stored.unverified === true) {
    return { status: 'rejected', rejection: { code: 'mac-unchecked', reason: 'its MAC could not be checked: no MAC key is configured', version: stored.version } };
  }
  const foreign = foreignArns(stored.snapshot, loadBalancerArn);
  if (foreign.length > 0) {
    const named = foreign.slice(0, MAX_NAMED).join(', ') + (foreign.length > MAX_NAMED ? ` and ${foreign.length - MAX_NAMED} more` : '');
    const reason = `it names resources that are not this load balancer's, or not of its account and Region: ${named}`;
    return { status: 'rejected', rejection: { code: 'foreign-arns', reason, version: stored.version } };
  }
  return { status: 'trusted', stored };
}
