import type { Action, RuleCondition } from '../model/snapshot';
import type { SdkAction, SdkRuleCondition } from './revert-plan';

/** Model → SDK input shapes, for the calls of a revert plan. */

/**
 * One action as the SDK takes it. A one-group forward without stickiness is sent as `TargetGroupArn`,
 * the form every load balancer type accepts (Gateway Load Balancers take no ForwardConfig).
 */
export function toSdkAction(action: Action): SdkAction {
  const out: SdkAction = { Type: action.type };
  if (action.order !== undefined) out.Order = action.order;
  const forward = action.forward;
  if (forward !== undefined) {
    const sticky = forward.stickiness?.enabled === true;
    if (forward.targetGroups.length === 1 && forward.targetGroups[0].weight > 0 && !sticky) {
      out.TargetGroupArn = forward.targetGroups[0].targetGroupArn;
    } else {
      out.ForwardConfig = {
        TargetGroups: forward.targetGroups.map((g) => ({ TargetGroupArn: g.targetGroupArn, Weight: g.weight })),
        ...(forward.stickiness !== undefined && {
          TargetGroupStickinessConfig: {
            Enabled: forward.stickiness.enabled,
            ...(forward.stickiness.durationSeconds !== undefined && { DurationSeconds: forward.stickiness.durationSeconds }),
          },
        }),
      };
    }
  }
  if (action.redirectConfig !== undefined) out.RedirectConfig = action.redirectConfig;
  if (action.fixedResponseConfig !== undefined) out.FixedResponseConfig = action.fixedResponseConfig;
  if (action.authenticateOidcConfig !== undefined) out.AuthenticateOidcConfig = action.authenticateOidcConfig;
  if (action.authenticateCognitoConfig !== undefined) out.AuthenticateCognitoConfig = action.authenticateCognitoConfig;
  if (action.jwtValidationConfig !== undefined) out.JwtValidationConfig = action.jwtValidationConfig;
  return out;
}

function valuesBlock(condition: RuleCondition): { Values?: string[]; RegexValues?: string[] } {
  const regex = condition.regexValues ?? [];
  if (regex.length === 0) return { Values: [...condition.values] };
  return { ...(condition.values.length > 0 && { Values: [...condition.values] }), RegexValues: [...regex] };
}

/** One rule condition as the SDK takes it, in the field's `...Config` block. */
export function toSdkCondition(condition: RuleCondition): SdkRuleCondition {
  const Field = condition.field;
  switch (Field) {
    case 'host-header':
      return { Field, HostHeaderConfig: valuesBlock(condition) };
    case 'path-pattern':
      return { Field, PathPatternConfig: valuesBlock(condition) };
    case 'http-header':
      return { Field, HttpHeaderConfig: { HttpHeaderName: condition.httpHeaderName ?? '', ...valuesBlock(condition) } };
    case 'query-string':
      return {
        Field,
        QueryStringConfig: {
          Values: (condition.queryStrings ?? []).map((q) => ({ ...(q.key !== undefined && { Key: q.key }), Value: q.value })),
        },
      };
    case 'http-request-method':
      return { Field, HttpRequestMethodConfig: { Values: [...condition.values] } };
    case 'source-ip':
      return { Field, SourceIpConfig: { Values: [...condition.values] } };
    default:
      return { Field, Values: [...condition.values] };
  }
}
