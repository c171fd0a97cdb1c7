import type {
  Action as SdkActionOut,
  RuleCondition as SdkConditionOut,
  TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Action, RuleCondition, Target, TargetHealthState } from '../core/model/snapshot';

/**
 * SDK output shapes → the core's snapshot model. The adapter's one translation job: the core never sees
 * PascalCase, and raw blocks the core does not interpret (redirect, fixed response, authenticate) are
 * carried as they came so a revert hands them back unchanged.
 */

const ACTION_TYPES = new Set<Action['type']>([
  'forward',
  'redirect',
  'fixed-response',
  'authenticate-oidc',
  'authenticate-cognito',
  'jwt-validation',
]);

const asRecord = (value: object | undefined): Record<string, unknown> | undefined =>
  value === undefined ? undefined : ({ ...value } as Record<string, unknown>);

/** One SDK action as a model action; a forward given by `TargetGroupArn` alone becomes weight 1. */
export function toModelAction(action: SdkActionOut): Action {
  const type = action.Type as Action['type'];
  if (!ACTION_TYPES.has(type)) throw new Error(`unknown action type ${String(action.Type)}`);
  const groups = action.ForwardConfig?.TargetGroups?.filter((group) => group.TargetGroupArn !== undefined);
  const forward =
    type !== 'forward'
      ? undefined
      : groups !== undefined && groups.length > 0
        ? {
            targetGroups: groups.map((group) => ({ targetGroupArn: group.TargetGroupArn as string, weight: group.Weight ?? 1 })),
            stickiness:
              action.ForwardConfig?.TargetGroupStickinessConfig?.Enabled === undefined
                ? undefined
                : {
                    enabled: action.ForwardConfig.TargetGroupStickinessConfig.Enabled,
                    durationSeconds: action.ForwardConfig.TargetGroupStickinessConfig.DurationSeconds,
                  },
          }
        : action.TargetGroupArn !== undefined
          ? { targetGroups: [{ targetGroupArn: action.TargetGroupArn, weight: 1 }] }
          : undefined;
  return {
    type,
    order: action.Order,
    forward,
    redirectConfig: asRecord(action.RedirectConfig),
    fixedResponseConfig: asRecord(action.FixedResponseConfig),
    authenticateOidcConfig: asRecord(action.AuthenticateOidcConfig),
    authenticateCognitoConfig: asRecord(action.AuthenticateCognitoConfig),
    jwtValidationConfig: asRecord((action as { JwtValidationConfig?: object }).JwtValidationConfig),
  };
}

/** One SDK rule condition as a model condition: the field's values wherever the SDK put them. */
export function toModelCondition(condition: SdkConditionOut): RuleCondition {
  const withRegex = condition as SdkConditionOut & {
    HostHeaderConfig?: { RegexValues?: string[] };
    PathPatternConfig?: { RegexValues?: string[] };
    HttpHeaderConfig?: { RegexValues?: string[] };
  };
  const values =
    condition.HostHeaderConfig?.Values ??
    condition.PathPatternConfig?.Values ??
    condition.HttpHeaderConfig?.Values ??
    condition.HttpRequestMethodConfig?.Values ??
    condition.SourceIpConfig?.Values ??
    condition.Values ??
    [];
  const regexValues =
    withRegex.HostHeaderConfig?.RegexValues ?? withRegex.PathPatternConfig?.RegexValues ?? withRegex.HttpHeaderConfig?.RegexValues;
  return {
    field: condition.Field ?? 'unknown',
    values,
    httpHeaderName: condition.HttpHeaderConfig?.HttpHeaderName,
    regexValues: regexValues !== undefined && regexValues.length > 0 ? regexValues : undefined,
    queryStrings: condition.QueryStringConfig?.Values?.map((pair) => ({ key: pair.Key, value: pair.Value ?? '' })),
  };
}

const HEALTH_STATES = new Set<TargetHealthState>(['initial', 'healthy', 'unhealthy', 'unhealthy.draining', 'unused', 'draining', 'unavailable']);

/** One DescribeTargetHealth entry as a model target. */
export function toModelTarget(description: TargetHealthDescription): Target | undefined {
  const id = description.Target?.Id;
  if (id === undefined) return undefined;
  const state = description.TargetHealth?.State as TargetHealthState | undefined;
  return {
    id,
    port: description.Target?.Port,
    availabilityZone: description.Target?.AvailabilityZone,
    health: state !== undefined && HEALTH_STATES.has(state) ? state : 'unavailable',
    reason: description.TargetHealth?.Reason,
  };
}

/** `[{Key, Value}]` as a plain record. */
export function toRecord(pairs: readonly { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const pair of pairs ?? []) if (pair.Key !== undefined) record[pair.Key] = pair.Value ?? '';
  return record;
}
