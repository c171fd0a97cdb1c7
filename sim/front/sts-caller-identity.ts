import { userIdentity } from '../cloudtrail/user-identity';
import { encodeResult, type AwsCall, type WireAnswer } from './codec';
import type { CallContext, Interceptor } from './interceptor';

/**
 * STS GetCallerIdentity as AWS answers it: the identity the caller's access key stands for, as the
 * identity registry knows it (`alice` is `arn:aws:iam::ACCOUNT:user/alice`; a registered role key is the
 * `assumed-role/ROLE/SESSION`), with the same principal ids the CloudTrail records carry. moto would answer
 * one fixed user for every unknown key. No permission is needed, as in AWS.
 */
export class StsCallerIdentity implements Interceptor {
  readonly name = 'sts-caller-identity';

  constructor(private readonly accountId: string) {}

  matches(call: AwsCall): boolean {
    return call.service === 'sts' && call.action === 'GetCallerIdentity';
  }

  async before({ call, identity, requestId }: CallContext): Promise<WireAnswer> {
    const caller = userIdentity(identity, this.accountId);
    return encodeResult(call.style, call.action, { UserId: caller.principalId, Account: this.accountId, Arn: caller.arn }, requestId);
  }
}
