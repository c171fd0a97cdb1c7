/**
 * A revert plan: the ordered ELBv2 calls that restore a load balancer's last known good configuration.
 * Inputs have the AWS SDK's PascalCase shapes so the adapter passes them to the client unchanged, but
 * are declared here because the core imports no SDK.
 */

/** An action in the SDK's shape (`Action` of @aws-sdk/client-elastic-load-balancing-v2). */
export interface SdkAction {
  Type: 'forward' | 'redirect' | 'fixed-response' | 'authenticate-oidc' | 'authenticate-cognito' | 'jwt-validation';
  Order?: number;
  TargetGroupArn?: string;
  ForwardConfig?: {
    TargetGroups: { TargetGroupArn: string; Weight: number }[];
    TargetGroupStickinessConfig?: { Enabled: boolean; DurationSeconds?: number };
  };
  RedirectConfig?: Record<string, unknown>;
  FixedResponseConfig?: Record<string, unknown>;
  AuthenticateOidcConfig?: Record<string, unknown>;
  AuthenticateCognitoConfig?: Record<string, unknown>;
  JwtValidationConfig?: Record<string, unknown>;
}

/** A rule condition in the SDK's shape. */
export interface SdkRuleCondition {
  Field: string;
  Values?: string[];
  HostHeaderConfig?: { Values?: string[]; RegexValues?: string[] };
  PathPatternConfig?: { Values?: string[]; RegexValues?: string[] };
  HttpRequestMethodConfig?: { Values: string[] };
  SourceIpConfig?: { Values: string[] };
  HttpHeaderConfig?: { HttpHeaderName: string; Values?: string[]; RegexValues?: string[] };
  QueryStringConfig?: { Values: { Key?: string; Value: string }[] };
}

/** One call of a revert plan. */
export type RevertStep =
  | { operation: 'ModifyListener'; input: { ListenerArn: string; DefaultActions: SdkAction[] }; description: string }
  | {
      operation: 'ModifyRule';
      input: { RuleArn: string; Actions: SdkAction[]; Conditions?: SdkRuleCondition[] };
      description: string;
    }
  | {
      operation: 'SetRulePriorities';
      input: { RulePriorities: { RuleArn: string; Priority: number }[] };
      description: string;
    }
  | {
      operation: 'RegisterTargets';
      input: { TargetGroupArn: string; Targets: { Id: string; Port?: number; AvailabilityZone?: string }[] };
      description: string;
    }
  | {
      operation: 'ModifyTargetGroupAttributes';
      input: { TargetGroupArn: string; Attributes: { Key: string; Value: string }[] };
      description: string;
    }
  | {
      operation: 'ModifyLoadBalancerAttributes';
      input: { LoadBalancerArn: string; Attributes: { Key: string; Value: string }[] };
      description: string;
    };

/** The ELBv2 operations a revert may call (the IAM policy grants exactly these). */
export const REVERT_OPERATIONS = [
  'ModifyListener',
  'ModifyRule',
  'SetRulePriorities',
  'RegisterTargets',
  'ModifyTargetGroupAttributes',
  'ModifyLoadBalancerAttributes',
] as const;

/** The ordered calls that restore last known good, and what cannot be restored by a call. */
export interface RevertPlan {
  readonly loadBalancerArn: string;
  readonly steps: readonly RevertStep[];
  /** Differences no call can undo (a deleted listener, rule or target group): reported to people. */
  readonly unrestorable: readonly string[];
  /** Differences left alone on purpose (e.g. targets added since last known good): reported, not undone. */
  readonly kept?: readonly string[];
}
