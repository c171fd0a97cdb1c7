import type { Action, RuleCondition } from '../model/snapshot';

/** Every mutating ELBv2 API call the watchdog judges. */
export const MUTATING_EVENT_NAMES = [
  'CreateListener',
  'ModifyListener',
  'DeleteListener',
  'CreateRule',
  'ModifyRule',
  'DeleteRule',
  'SetRulePriorities',
  'RegisterTargets',
  'DeregisterTargets',
  'ModifyTargetGroup',
  'ModifyTargetGroupAttributes',
  'DeleteTargetGroup',
  'ModifyLoadBalancerAttributes',
  'SetSubnets',
  'DeleteLoadBalancer',
  'AddListenerCertificates',
  'RemoveListenerCertificates',
] as const;

/** The name of a mutating ELBv2 API call. */
export type ChangeEventName = (typeof MUTATING_EVENT_NAMES)[number];

/** Who made the call, from the CloudTrail record's `userIdentity`. */
export interface Actor {
  /** `IAMUser`, `AssumedRole`, `Root`, `AWSService`, `FederatedUser`, ... as CloudTrail says. */
  readonly type: string;
  /** The caller's ARN: the user, or the STS session for an assumed role. */
  readonly arn?: string;
  readonly accountId?: string;
  readonly principalId?: string;
  readonly accessKeyId?: string;
  /** IAM user name, when the caller is an IAM user. */
  readonly userName?: string;
  /** The role behind an assumed-role session (`sessionContext.sessionIssuer.arn`). */
  readonly roleArn?: string;
  /** The session name of an assumed-role session (usually the person or tool). */
  readonly sessionName?: string;
  /** The service that made the call on the caller's behalf (CloudFormation, Auto Scaling, ...). */
  readonly invokedBy?: string;
  /** A short human name: `alice`, `deploy-role/alice@example.com`, `cloudformation.amazonaws.com`. */
  readonly displayName: string;
}

/** The ELBv2 resources a call touched, as far as the record says. */
export interface TouchedResources {
  readonly loadBalancerArns: readonly string[];
  readonly listenerArns: readonly string[];
  readonly ruleArns: readonly string[];
  readonly targetGroupArns: readonly string[];
}

/** A target as named in RegisterTargets / DeregisterTargets. */
export interface RequestedTarget {
  readonly id: string;
  readonly port?: number;
  readonly availabilityZone?: string;
}

/** A key/value attribute as sent in Modify*Attributes. */
export interface RequestedAttribute {
  readonly key: string;
  readonly value: string;
}

/** What was asked for, per call. Fields are absent when the caller did not send them. */
export interface ChangeRequests {
  CreateListener: { loadBalancerArn: string; port?: number; protocol?: string; sslPolicy?: string; certificates?: string[]; defaultActions: Action[] };
  ModifyListener: { listenerArn: string; port?: number; protocol?: string; sslPolicy?: string; certificates?: string[]; defaultActions?: Action[] };
  DeleteListener: { listenerArn: string };
  CreateRule: { listenerArn: string; priority?: number; conditions: RuleCondition[]; actions: Action[] };
  ModifyRule: { ruleArn: string; conditions?: RuleCondition[]; actions?: Action[] };
  DeleteRule: { ruleArn: string };
  SetRulePriorities: { rulePriorities: { ruleArn: string; priority: number }[] };
  RegisterTargets: { targetGroupArn: string; targets: RequestedTarget[] };
  DeregisterTargets: { targetGroupArn: string; targets: RequestedTarget[] };
  ModifyTargetGroup: { targetGroupArn: string; settings: Record<string, unknown> };
  ModifyTargetGroupAttributes: { targetGroupArn: string; attributes: RequestedAttribute[] };
  DeleteTargetGroup: { targetGroupArn: string };
  ModifyLoadBalancerAttributes: { loadBalancerArn: string; attributes: RequestedAttribute[] };
  /** The subnets (or subnet mappings' subnets) that replace the enabled ones; `zones` when known (a response, a plan). */
  SetSubnets: { loadBalancerArn: string; subnets: string[]; zones?: { zone: string; subnetId: string }[] };
  DeleteLoadBalancer: { loadBalancerArn: string };
  AddListenerCertificates: { listenerArn: string; certificates: string[] };
  RemoveListenerCertificates: { listenerArn: string; certificates: string[] };
}

/** A call's name with its typed request, without the record around it (a proposed or replayed change). */
export type ChangeRequest = {
  [N in ChangeEventName]: { readonly eventName: N; readonly request: ChangeRequests[N] };
}[ChangeEventName];

/** One judged ELBv2 change: a successful mutating call, parsed from its CloudTrail record. */
export type Change = {
  [N in ChangeEventName]: {
    readonly eventName: N;
    /** CloudTrail `eventID`: the idempotency key. */
    readonly eventId: string;
    /** ISO-8601 time of the call. */
    readonly eventTime: string;
    readonly region: string;
    /** The account the resources live in (`recipientAccountId`). */
    readonly accountId: string;
    readonly requestId?: string;
    readonly sourceIpAddress?: string;
    readonly userAgent?: string;
    readonly actor: Actor;
    readonly resources: TouchedResources;
    readonly request: ChangeRequests[N];
  };
}[ChangeEventName];

/** The result of reading one event or record: a change to judge, or why it is not one. */
export type ParsedEvent =
  | { readonly status: 'change'; readonly change: Change }
  | {
      readonly status: 'ignored';
      /** Why: `failed-call`, `read-only`, `classic-elb`, `not-mutating`, `other-service`, `other-source`, `other-detail-type`, `not-api-call`. */
      readonly reason: string;
      readonly detail: string;
      readonly eventId?: string;
      readonly eventName?: string;
    }
  | { readonly status: 'invalid'; readonly field: string; readonly message: string };
