import { DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { BackendClients } from '../backend/backend-clients';
import { AwsError, type AwsCall } from '../front/codec';
import type { CallContext, Interceptor } from '../front/interceptor';
import { checkForwardActions } from './forward-config-rules';

const ACTION_MEMBERS: Readonly<Record<string, string>> = {
  CreateListener: 'DefaultActions',
  ModifyListener: 'DefaultActions',
  CreateRule: 'Actions',
  ModifyRule: 'Actions',
};

const INVALID_TARGET = 'The specified target does not exist, is not in the same VPC as the target group, or has an unsupported instance type.';

/** ELBv2 validations moto skips, refused in the front with AWS's error codes before moto sees the call. */
export class Elbv2Validations implements Interceptor {
  readonly name = 'elbv2-validations';

  constructor(private readonly backend: () => BackendClients) {}

  matches(call: AwsCall): boolean {
    return call.service === 'elasticloadbalancing' && (call.action in ACTION_MEMBERS || call.action === 'RegisterTargets');
  }

  async before({ call }: CallContext): Promise<undefined> {
    const member = ACTION_MEMBERS[call.action];
    if (member) {
      const error = checkForwardActions(call.params[member], member);
      if (error) throw error;
      return undefined;
    }
    await this.checkTargetsExist(call);
    return undefined;
  }

  /** RegisterTargets: instance targets must be existing instances in the target group's VPC (moto accepts any id). */
  private async checkTargetsExist(call: AwsCall): Promise<void> {
    const arn = call.params.TargetGroupArn;
    const targets = call.params.Targets;
    if (typeof arn !== 'string' || !Array.isArray(targets)) return;
    const backend = this.backend();
    const groups = await backend.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] })).catch(() => undefined);
    const group = groups?.TargetGroups?.[0];
    if (!group || (group.TargetType ?? 'instance') !== 'instance') return;
    const ids = targets.map((t) => String((t as Record<string, unknown>)?.Id ?? ''));
    const vpcOf = await instanceVpcs(backend, ids);
    const bad = ids.filter((id) => !vpcOf.has(id) || (group.VpcId && vpcOf.get(id) !== group.VpcId));
    if (bad.length > 0) throw new AwsError('InvalidTarget', INVALID_TARGET, 400);
  }
}

async function instanceVpcs(backend: BackendClients, ids: string[]): Promise<Map<string, string>> {
  const params: Record<string, string> = {};
  // Filter rather than InstanceId.N: unknown ids must not fail the whole lookup.
  params['Filter.1.Name'] = 'instance-id';
  ids.forEach((id, i) => (params[`Filter.1.Value.${i + 1}`] = id));
  const out = await backend.ec2('DescribeInstances', params);
  const result = new Map<string, string>();
  const reservations = Array.isArray(out.reservationSet) ? out.reservationSet : [];
  for (const reservation of reservations) {
    const instances = typeof reservation === 'object' && !Array.isArray(reservation) ? reservation.instancesSet : undefined;
    for (const instance of Array.isArray(instances) ? instances : []) {
      if (typeof instance !== 'object' || Array.isArray(instance)) continue;
      if (typeof instance.instanceId === 'string') result.set(instance.instanceId, typeof instance.vpcId === 'string' ? instance.vpcId : '');
    }
  }
  return result;
}
