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

/** A tag in the SDK's shape. */
export interface SdkTag {
  Key: string;
  Value?: string;
}

/** One call of a revert plan. */
export type RevertStep =
  | {
      operation: 'ModifyListener';
      input: { ListenerArn: string; DefaultActions?: SdkAction[]; Port?: number; Protocol?: string; SslPolicy?: string; Certificates?: { CertificateArn: string }[]; AlpnPolicy?: string[] };
      description: string;
    }
  | {
      operation: 'CreateListener';
      input: {
        LoadBalancerArn: string;
        Port: number;
        Protocol: string;
        DefaultActions: SdkAction[];
        SslPolicy?: string;
        Certificates?: { CertificateArn: string }[];
        AlpnPolicy?: string[];
        Tags?: SdkTag[];
      };
      description: string;
    }
  | { operation: 'AddListenerCertificates'; input: { ListenerArn: string; Certificates: { CertificateArn: string }[] }; description: string }
  | {
      operation: 'CreateRule';
      input: { ListenerArn: string; Priority: number; Conditions: SdkRuleCondition[]; Actions: SdkAction[]; Tags?: SdkTag[] };
      description: string;
    }
  | { operation: 'DeleteRule'; input: { RuleArn: string }; description: string }
  | { operation: 'SetSubnets'; input: { LoadBalancerArn: string; Subnets: string[] }; description: string }
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
  'CreateListener',
  'AddListenerCertificates',
  'ModifyRule',
  'CreateRule',
  'DeleteRule',
  'SetRulePriorities',
  'RegisterTargets',
  'ModifyTargetGroupAttributes',
  'ModifyLoadBalancerAttributes',
  'SetSubnets',
] as const;

/** The ordered calls that restore last known good, and what cannot be restored by a call. */
export interface RevertPlan {
  readonly loadBalancerArn: string;
  readonly steps: readonly RevertStep[];
  /** Differences no call can undo (a deleted target group): reported to people. */
  readonly unrestorable: readonly string[];
  /** Steps that follow once these are done (a re-created listener's rules): planned again after applying. */
  readonly followUps?: readonly string[];
  /** Differences left alone on purpose (e.g. targets added since last known good): reported, not undone. */
  readonly kept?: readonly string[];
}
