import * as z from '../zod';

/**
 * The configuration snapshot of one load balancer: everything that decides where its traffic goes.
 * It is what the watchdog stores as "last known good", what rules compare before and after a change,
 * and what a revert plan restores. Field names are our own (camelCase); raw AWS configuration blocks
 * that we pass through untouched keep the SDK's PascalCase.
 *
 * The JSON schema published in `schema/load-balancer-snapshot.schema.json` is generated from these
 * definitions (`npm run schema`).
 */

/** Health states DescribeTargetHealth reports. */
export const TargetHealthStateSchema = z.enum([
  'initial',
  'healthy',
  'unhealthy',
  'unhealthy.draining',
  'unused',
  'draining',
  'unavailable',
]);
/** One health state of a target. */
export type TargetHealthState = z.infer<typeof TargetHealthStateSchema>;

/** One registered target of a target group, with its health when the snapshot was taken. */
export const TargetSchema = z.object({
  /** Instance id, IP address, Lambda ARN or ALB ARN. */
  id: z.string().check(z.minLength(1)),
  port: z.optional(z.int().check(z.gte(1), z.lte(65535))),
  /** Availability Zone of the target (`all` for IP targets outside the VPC). */
  availabilityZone: z.optional(z.string()),
  health: TargetHealthStateSchema,
  /** Reason code when not healthy, e.g. `Target.FailedHealthChecks`. */
  reason: z.optional(z.string()),
});
/** One registered target. */
export type Target = z.infer<typeof TargetSchema>;

/** Cross-zone setting of a target group: on, off, or inherited from its load balancer. */
export const CrossZoneSettingSchema = z.enum(['on', 'off', 'inherit']);
/** Cross-zone setting of a target group. */
export type CrossZoneSetting = z.infer<typeof CrossZoneSettingSchema>;

/** A target group and its targets. */
export const TargetGroupSchema = z.object({
  arn: z.string().check(z.minLength(1)),
  name: z.string().check(z.minLength(1)),
  protocol: z.optional(z.string()),
  port: z.optional(z.int()),
  targetType: z.enum(['instance', 'ip', 'lambda', 'alb']),
  /** Load balancers that route to this group (a group may serve more than one). */
  loadBalancerArns: z._default(z.array(z.string()), []),
  crossZone: z._default(CrossZoneSettingSchema, 'inherit'),
  /** Target group attributes as AWS returns them (`deregistration_delay.timeout_seconds`, ...). */
  attributes: z._default(z.record(z.string(), z.string()), {}),
  tags: z._default(z.record(z.string(), z.string()), {}),
  targets: z.array(TargetSchema),
});
/** A target group. */
export type TargetGroup = z.infer<typeof TargetGroupSchema>;

/** One target group of a forward action, with its weight (0-999). */
export const WeightedTargetGroupSchema = z.object({
  targetGroupArn: z.string().check(z.minLength(1)),
  weight: z.int().check(z.gte(0), z.lte(999)),
});
/** One weighted target group. */
export type WeightedTargetGroup = z.infer<typeof WeightedTargetGroupSchema>;

/** Forwarding to one or more weighted target groups (at most 5), with optional group stickiness. */
export const ForwardConfigSchema = z.object({
  targetGroups: z.array(WeightedTargetGroupSchema).check(z.minLength(1), z.maxLength(5)),
  stickiness: z.optional(z.object({ enabled: z.boolean(), durationSeconds: z.optional(z.int().check(z.gte(1), z.lte(604800))) })),
});
/** Weighted forwarding. */
export type ForwardConfig = z.infer<typeof ForwardConfigSchema>;

/** A raw AWS configuration block we carry but do not interpret (redirect, fixed response, authenticate, JWT). */
const RawConfigSchema = z.record(z.string(), z.unknown());

/**
 * A listener or rule action. A forward given as a single `TargetGroupArn` is normalised to
 * `forward.targetGroups` with one group of weight 1, which ELB treats the same way.
 */
export const ActionSchema = z.object({
  type: z.enum(['forward', 'redirect', 'fixed-response', 'authenticate-oidc', 'authenticate-cognito', 'jwt-validation']),
  order: z.optional(z.int()),
  forward: z.optional(ForwardConfigSchema),
  redirectConfig: z.optional(RawConfigSchema),
  fixedResponseConfig: z.optional(RawConfigSchema),
  authenticateOidcConfig: z.optional(RawConfigSchema),
  authenticateCognitoConfig: z.optional(RawConfigSchema),
  jwtValidationConfig: z.optional(RawConfigSchema),
});
/** A listener or rule action. */
export type Action = z.infer<typeof ActionSchema>;

/**
 * A rule condition, normalised: `field` plus its values. For `http-header` the header name, for
 * `query-string` the key/value pairs.
 */
export const RuleConditionSchema = z.object({
  field: z.string().check(z.minLength(1)),
  values: z._default(z.array(z.string()), []),
  httpHeaderName: z.optional(z.string()),
  /** Regular expressions (host-header, path-pattern, http-header), when the rule matches by regex. */
  regexValues: z.optional(z.array(z.string())),
  queryStrings: z.optional(z.array(z.object({ key: z.optional(z.string()), value: z.string() }))),
});
/** A rule condition. */
export type RuleCondition = z.infer<typeof RuleConditionSchema>;

/** A non-default listener rule. The default rule is the listener's `defaultActions`. */
export const ListenerRuleSchema = z.object({
  arn: z.string().check(z.minLength(1)),
  priority: z.int().check(z.gte(1), z.lte(50000)),
  conditions: z.array(RuleConditionSchema),
  actions: z.array(ActionSchema),
});
/** A non-default listener rule. */
export type ListenerRule = z.infer<typeof ListenerRuleSchema>;

/** A listener with its default actions and its rules. */
export const ListenerSchema = z.object({
  arn: z.string().check(z.minLength(1)),
  port: z.int().check(z.gte(1), z.lte(65535)),
  protocol: z.string().check(z.minLength(1)),
  /** HTTPS and TLS: the security policy, needed to re-create a deleted listener. */
  sslPolicy: z.optional(z.string()),
  /** HTTPS and TLS: certificate ARNs, the default one first. */
  certificates: z.optional(z.array(z.string())),
  /** TLS: the ALPN policy. */
  alpnPolicy: z.optional(z.array(z.string())),
  defaultActions: z.array(ActionSchema),
  rules: z._default(z.array(ListenerRuleSchema), []),
});
/** A listener. */
export type Listener = z.infer<typeof ListenerSchema>;

/** The load balancer itself. */
export const LoadBalancerSchema = z.object({
  arn: z.string().check(z.minLength(1)),
  name: z.string().check(z.minLength(1)),
  type: z.enum(['application', 'network', 'gateway']),
  scheme: z.optional(z.enum(['internet-facing', 'internal'])),
  availabilityZones: z._default(z.array(z.string()), []),
  /** The subnet enabled in each zone (what SetSubnets changes and a revert restores). */
  subnets: z.optional(z.array(z.object({ zone: z.string().check(z.minLength(1)), subnetId: z.string().check(z.minLength(1)) }))),
  /** Whether cross-zone load balancing is on at the load balancer (always true for ALB). */
  crossZoneEnabled: z.boolean(),
  attributes: z._default(z.record(z.string(), z.string()), {}),
  tags: z._default(z.record(z.string(), z.string()), {}),
});
/** The load balancer itself. */
export type LoadBalancer = z.infer<typeof LoadBalancerSchema>;

/**
 * The configuration snapshot of one load balancer.
 *
 * @example
 * {
 *   "schemaVersion": 1,
 *   "capturedAt": "2026-05-19T14:02:11.000Z",
 *   "loadBalancer": { "arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188",
 *     "name": "web", "type": "application", "crossZoneEnabled": true, "availabilityZones": ["us-east-1a"] },
 *   "listeners": [{ "arn": "arn:...:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2", "port": 80, "protocol": "HTTP",
 *     "defaultActions": [{ "type": "forward", "forward": { "targetGroups": [{ "targetGroupArn": "arn:...:targetgroup/web-blue/1", "weight": 100 }] } }],
 *     "rules": [] }],
 *   "targetGroups": [{ "arn": "arn:...:targetgroup/web-blue/1", "name": "web-blue", "targetType": "instance",
 *     "targets": [{ "id": "i-0abc", "port": 80, "availabilityZone": "us-east-1a", "health": "healthy" }] }]
 * }
 */
export const LoadBalancerSnapshotSchema = z.object({
  schemaVersion: z.literal(1),
  capturedAt: z.string().check(z.minLength(1)),
  loadBalancer: LoadBalancerSchema,
  listeners: z.array(ListenerSchema),
  /** The target groups the listeners forward to, and any other group attached to this load balancer. */
  targetGroups: z.array(TargetGroupSchema),
});
/** The configuration snapshot of one load balancer. */
export type LoadBalancerSnapshot = z.infer<typeof LoadBalancerSnapshotSchema>;
