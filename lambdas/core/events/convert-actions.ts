import { InputValidationError } from '../errors';
import { ActionSchema, type Action, type RuleCondition } from '../model/snapshot';
import type { RequestedAttribute, RequestedTarget } from './change';
import {
  asArray,
  isRecord,
  member,
  objectList,
  optionalBoolean,
  optionalInt,
  optionalString,
  pascalKeys,
  requiredString,
  stringList,
} from './params';

/** Converts API-shaped actions, conditions, targets and attributes (either casing) into the model's. */

const ACTION_TYPES = new Set<string>(ActionSchema.shape.type.options);
const RAW_CONFIGS = [
  'redirectConfig',
  'fixedResponseConfig',
  'authenticateOidcConfig',
  'authenticateCognitoConfig',
  'jwtValidationConfig',
] as const;

/** One action; a forward naming only `targetGroupArn` becomes a one-group forward of weight 1. */
export function toModelAction(raw: Record<string, unknown>, field: string): Action {
  const type = requiredString(raw, 'type', field);
  if (!ACTION_TYPES.has(type)) {
    throw new InputValidationError(`${field}.type: unknown action type ${JSON.stringify(type)}`, {
      field: `${field}.type`,
      input: 'cloudtrail-event',
    });
  }
  const action: { -readonly [K in keyof Action]: Action[K] } = { type: type as Action['type'] };
  const order = optionalInt(raw, 'order', field);
  if (order !== undefined) action.order = order;
  if (type === 'forward') action.forward = toForward(raw, field);
  for (const name of RAW_CONFIGS) {
    const config = member(raw, name);
    if (isRecord(config)) action[name] = pascalKeys(config) as Record<string, unknown>;
  }
  return action;
}

function toForward(raw: Record<string, unknown>, field: string): NonNullable<Action['forward']> {
  const config = member(raw, 'forwardConfig');
  const single = optionalString(raw, 'targetGroupArn');
  if (!isRecord(config) || asArray(member(config, 'targetGroups')).length === 0) {
    if (single === undefined) {
      throw new InputValidationError(`${field}: a forward action names no target group`, {
        field: `${field}.targetGroupArn`,
        input: 'cloudtrail-event',
      });
    }
    return { targetGroups: [{ targetGroupArn: single, weight: 1 }] };
  }
  const groupsField = `${field}.forwardConfig`;
  const targetGroups = objectList(config, 'targetGroups', groupsField).map((group, i) => ({
    targetGroupArn: requiredString(group, 'targetGroupArn', `${groupsField}.targetGroups.${i}`),
    // The API lets Weight be omitted; ELB then treats the group as weight 1.
    weight: optionalInt(group, 'weight', `${groupsField}.targetGroups.${i}`) ?? 1,
  }));
  const sticky = member(config, 'targetGroupStickinessConfig');
  if (!isRecord(sticky)) return { targetGroups };
  const durationSeconds = optionalInt(sticky, 'durationSeconds', `${groupsField}.targetGroupStickinessConfig`);
  return {
    targetGroups,
    stickiness: { enabled: optionalBoolean(sticky, 'enabled') ?? false, ...(durationSeconds !== undefined && { durationSeconds }) },
  };
}

/** A list of actions (`actions` or `defaultActions`), each checked. */
export function toModelActions(obj: Record<string, unknown>, name: string, field: string): Action[] {
  return objectList(obj, name, field).map((raw, i) => toModelAction(raw, `${field}.${name}.${i}`));
}

const CONFIG_OF_FIELD: Record<string, string> = {
  'host-header': 'hostHeaderConfig',
  'path-pattern': 'pathPatternConfig',
  'http-header': 'httpHeaderConfig',
  'query-string': 'queryStringConfig',
  'http-request-method': 'httpRequestMethodConfig',
  'source-ip': 'sourceIpConfig',
};

/** One rule condition, from either the legacy `values` or the field's `...Config` block. */
export function toModelCondition(raw: Record<string, unknown>, field: string): RuleCondition {
  const name = requiredString(raw, 'field', field);
  const configName = CONFIG_OF_FIELD[name];
  const config = configName === undefined ? undefined : member(raw, configName);
  const condition: { -readonly [K in keyof RuleCondition]: RuleCondition[K] } = { field: name, values: [] };
  if (name === 'query-string') {
    const pairs = isRecord(config) ? asArray(member(config, 'values')) : asArray(member(raw, 'values'));
    condition.queryStrings = pairs.filter(isRecord).map((pair) => {
      const key = optionalString(pair, 'key');
      return { ...(key !== undefined && { key }), value: optionalString(pair, 'value') ?? '' };
    });
    return condition;
  }
  const fromConfig = isRecord(config) ? stringList(member(config, 'values')) : [];
  condition.values = fromConfig.length > 0 ? fromConfig : stringList(member(raw, 'values'));
  if (isRecord(config)) {
    const headerName = optionalString(config, 'httpHeaderName');
    if (headerName !== undefined) condition.httpHeaderName = headerName;
    const regex = stringList(member(config, 'regexValues'));
    if (regex.length > 0) condition.regexValues = regex;
  }
  const topRegex = stringList(member(raw, 'regexValues'));
  if (topRegex.length > 0 && condition.regexValues === undefined) condition.regexValues = topRegex;
  return condition;
}

/** A list of rule conditions. */
export function toModelConditions(obj: Record<string, unknown>, field: string): RuleCondition[] {
  return objectList(obj, 'conditions', field).map((raw, i) => toModelCondition(raw, `${field}.conditions.${i}`));
}

/** The targets of RegisterTargets / DeregisterTargets. */
export function toRequestedTargets(obj: Record<string, unknown>, field: string): RequestedTarget[] {
  return objectList(obj, 'targets', field).map((raw, i) => {
    const port = optionalInt(raw, 'port', `${field}.targets.${i}`);
    const availabilityZone = optionalString(raw, 'availabilityZone');
    return {
      id: requiredString(raw, 'id', `${field}.targets.${i}`),
      ...(port !== undefined && { port }),
      ...(availabilityZone !== undefined && { availabilityZone }),
    };
  });
}

/** The key/value attributes of Modify*Attributes. */
export function toRequestedAttributes(obj: Record<string, unknown>, field: string): RequestedAttribute[] {
  return objectList(obj, 'attributes', field).map((raw, i) => ({
    key: requiredString(raw, 'key', `${field}.attributes.${i}`),
    value: optionalString(raw, 'value') ?? '',
  }));
}
