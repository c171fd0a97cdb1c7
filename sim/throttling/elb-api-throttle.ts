import { AwsError, type AwsCall } from '../front/codec';
import type { CallContext, Interceptor } from '../front/interceptor';
import type { ElbApiBuckets } from './elb-api-buckets';

/**
 * Enforces ELBv2's token buckets at the front when switched on: a call without tokens is answered as ELBv2
 * answers it (HTTP 400, `<Code>Throttling</Code>`, `Rate exceeded`) before it is validated or reaches moto.
 * Buckets belong to the caller's account; a service acting for the account (`invokedBy`) has its own.
 */
export class ElbApiThrottle implements Interceptor {
  readonly name = 'elb-api-buckets';

  constructor(
    private readonly buckets: ElbApiBuckets,
    private readonly accountId: string,
    private readonly enabled: () => boolean,
  ) {}

  matches(call: AwsCall): boolean {
    return call.service === 'elasticloadbalancing' && this.enabled();
  }

  before(context: CallContext): Promise<undefined> {
    const { identity } = context;
    const account = (identity.type === 'AssumedRole' ? identity.accountId : undefined) ?? this.accountId;
    const owner = identity.invokedBy ? `${account}/${identity.invokedBy}` : account;
    if (!this.buckets.tryTake(owner, context.call.action)) return Promise.reject(new AwsError('Throttling', 'Rate exceeded', 400));
    return Promise.resolve(undefined);
  }
}
