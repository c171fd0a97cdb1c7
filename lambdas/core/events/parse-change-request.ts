import { InputValidationError } from '../errors';
import type { ChangeEventName, ChangeRequests } from './change';
import {
  toModelActions,
  toModelConditions,
  toRequestedAttributes,
  toRequestedTargets,
} from './convert-actions';
import { isRecord, member, objectList, optionalInt, optionalString, requiredString, stringList } from './params';

type Converter<N extends ChangeEventName> = (p: Record<string, unknown>, field: string) => ChangeRequests[N];

/** Puts `value` under `key` only when it is defined (optional members stay absent, not undefined). */
function opt<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

function listOrAbsent<T>(p: Record<string, unknown>, name: string, read: () => T): T | undefined {
  return member(p, name) === undefined ? undefined : read();
}

const CONVERTERS: { [N in ChangeEventName]: Converter<N> } = {
  CreateListener: (p, f) => ({
    loadBalancerArn: requiredString(p, 'loadBalancerArn', f),
    ...opt('port', optionalInt(p, 'port', f)),
    ...opt('protocol', optionalString(p, 'protocol')),
    ...opt('sslPolicy', optionalString(p, 'sslPolicy')),
    ...opt('certificates', listOrAbsent(p, 'certificates', () => certificateArns(p, f))),
    defaultActions: toModelActions(p, 'defaultActions', f),
  }),
  ModifyListener: (p, f) => ({
    listenerArn: requiredString(p, 'listenerArn', f),
    ...opt('port', optionalInt(p, 'port', f)),
    ...opt('protocol', optionalString(p, 'protocol')),
    ...opt('sslPolicy', optionalString(p, 'sslPolicy')),
    ...opt('certificates', listOrAbsent(p, 'certificates', () => certificateArns(p, f))),
    ...opt('defaultActions', listOrAbsent(p, 'defaultActions', () => toModelActions(p, 'defaultActions', f))),
  }),
  DeleteListener: (p, f) => ({ listenerArn: requiredString(p, 'listenerArn', f) }),
  CreateRule: (p, f) => ({
    listenerArn: requiredString(p, 'listenerArn', f),
    ...opt('priority', optionalInt(p, 'priority', f)),
    conditions: toModelConditions(p, f),
    actions: toModelActions(p, 'actions', f),
  }),
  ModifyRule: (p, f) => ({
    ruleArn: requiredString(p, 'ruleArn', f),
    ...opt('conditions', listOrAbsent(p, 'conditions', () => toModelConditions(p, f))),
    ...opt('actions', listOrAbsent(p, 'actions', () => toModelActions(p, 'actions', f))),
  }),
  DeleteRule: (p, f) => ({ ruleArn: requiredString(p, 'ruleArn', f) }),
  SetRulePriorities: (p, f) => ({
    rulePriorities: objectList(p, 'rulePriorities', f).map((pair, i) => {
      const priority = optionalInt(pair, 'priority', `${f}.rulePriorities.${i}`);
      if (priority === undefined) {
        const field = `${f}.rulePriorities.${i}.priority`;
        throw new InputValidationError(`${field}: required integer is missing`, { field, input: 'cloudtrail-event' });
      }
      return { ruleArn: requiredString(pair, 'ruleArn', `${f}.rulePriorities.${i}`), priority };
    }),
  }),
  RegisterTargets: (p, f) => ({ targetGroupArn: requiredString(p, 'targetGroupArn', f), targets: toRequestedTargets(p, f) }),
  DeregisterTargets: (p, f) => ({ targetGroupArn: requiredString(p, 'targetGroupArn', f), targets: toRequestedTargets(p, f) }),
  ModifyTargetGroup: (p, f) => {
    const { targetGroupArn: _a, TargetGroupArn: _b, ...settings } = p;
    return { targetGroupArn: requiredString(p, 'targetGroupArn', f), settings };
  },
  ModifyTargetGroupAttributes: (p, f) => ({
    targetGroupArn: requiredString(p, 'targetGroupArn', f),
    attributes: toRequestedAttributes(p, f),
  }),
  DeleteTargetGroup: (p, f) => ({ targetGroupArn: requiredString(p, 'targetGroupArn', f) }),
  ModifyLoadBalancerAttributes: (p, f) => ({
    loadBalancerArn: requiredString(p, 'loadBalancerArn', f),
    attributes: toRequestedAttributes(p, f),
  }),
  SetSubnets: (p, f) => {
    const plain = member(p, 'subnets');
    const subnets = plain !== undefined ? stringList(plain) : objectList(p, 'subnetMappings', f).map((m, i) => requiredString(m, 'subnetId', `${f}.subnetMappings.${i}`));
    return { loadBalancerArn: requiredString(p, 'loadBalancerArn', f), subnets };
  },
  DeleteLoadBalancer: (p, f) => ({ loadBalancerArn: requiredString(p, 'loadBalancerArn', f) }),
  AddListenerCertificates: (p, f) => ({ listenerArn: requiredString(p, 'listenerArn', f), certificates: certificateArns(p, f) }),
  RemoveListenerCertificates: (p, f) => ({ listenerArn: requiredString(p, 'listenerArn', f), certificates: certificateArns(p, f) }),
};

/** `certificates: [{certificateArn}]` as a list of ARNs. */
function certificateArns(p: Record<string, unknown>, f: string): string[] {
  return objectList(p, 'certificates', f).map((c, i) => requiredString(c, 'certificateArn', `${f}.certificates.${i}`));
}

/**
 * The typed request of one mutating call from its parameters, in CloudTrail's casing (`listenerArn`)
 * or the SDK's (`ListenerArn`, as in `--cli-input-json`). Throws `InputValidationError` naming the field.
 */
export function parseChangeRequest<N extends ChangeEventName>(
  eventName: N,
  params: unknown,
  field = 'requestParameters',
): ChangeRequests[N] {
  const converter = CONVERTERS[eventName] as Converter<N> | undefined;
  if (converter === undefined) {
    throw new InputValidationError(`unknown ELBv2 call ${JSON.stringify(eventName)}`, { field: 'eventName', input: 'cloudtrail-event' });
  }
  if (!isRecord(params)) {
    throw new InputValidationError(`${field}: expected an object, got ${params === null ? 'null' : typeof params}`, {
      field,
      input: 'cloudtrail-event',
    });
  }
  return converter(params, field);
}
