import * as z from 'zod';
import { InputValidationError } from '../../errors';
import { formatField } from './terraform-json';

/**
 * The attribute values of the AWS provider's ELBv2 resources, as Terraform writes them in JSON: nested
 * blocks are arrays (a `MaxItems: 1` block such as `forward` is a list of one; `target_group` and
 * `condition` are sets, written as arrays in no particular order), numbers are JSON numbers, and a
 * value unknown until apply is `null` (its `after_unknown` leaf says so). Every field is optional and
 * nullable here; the reader decides what a missing value means. Only what routing depends on is
 * described; other attributes pass through.
 *
 * Sources: the provider's resource pages (website/docs/r/lb.html.markdown, lb_listener.html.markdown,
 * lb_listener_rule.html.markdown, lb_target_group.html.markdown, lb_target_group_attachment.html.markdown
 * in hashicorp/terraform-provider-aws) and its schema (internal/service/elbv2/listener.go,
 * listener_rule.go: `weight` defaults to 1, `target_group` is a set of 1-5, `priority` is computed).
 */

const str = z.string().nullish();
const int = z.number().int().nullish();
const bool = z.boolean().nullish();
const strings = z.array(z.string()).nullish();
const tags = z.record(z.string(), z.string().nullable()).nullish();
const listOf = <T extends z.ZodType>(item: T) => z.array(item).nullish();
const rawBlock = z.record(z.string(), z.unknown());

/** One `forward.target_group` block. */
export const TfWeightedGroupSchema = z.looseObject({ arn: str, weight: int });

/** A `default_action` or `action` block. */
export const TfActionSchema = z.looseObject({
  type: str,
  order: int,
  target_group_arn: str,
  forward: listOf(z.looseObject({ target_group: listOf(TfWeightedGroupSchema), stickiness: listOf(z.looseObject({ enabled: bool, duration: int })) })),
  redirect: listOf(rawBlock),
  fixed_response: listOf(rawBlock),
  authenticate_cognito: listOf(rawBlock),
  authenticate_oidc: listOf(rawBlock),
  jwt_validation: listOf(rawBlock),
});
/** An action block. */
export type TfAction = z.infer<typeof TfActionSchema>;

const valuesBlock = z.looseObject({ values: strings, regex_values: strings });

/** A `condition` block: exactly one of its members is set. */
export const TfConditionSchema = z.looseObject({
  host_header: listOf(valuesBlock),
  path_pattern: listOf(valuesBlock),
  http_header: listOf(z.looseObject({ http_header_name: str, values: strings, regex_values: strings })),
  http_request_method: listOf(valuesBlock),
  source_ip: listOf(valuesBlock),
  query_string: listOf(z.looseObject({ key: str, value: str })),
});
/** A condition block. */
export type TfCondition = z.infer<typeof TfConditionSchema>;

/** `aws_lb` / `aws_alb`. */
export const TfLoadBalancerSchema = z.looseObject({
  arn: str,
  id: str,
  name: str,
  load_balancer_type: str,
  internal: bool,
  enable_cross_zone_load_balancing: bool,
  tags,
  tags_all: tags,
});

/** `aws_lb_listener` / `aws_alb_listener`. */
export const TfListenerSchema = z.looseObject({
  arn: str,
  id: str,
  load_balancer_arn: str,
  port: int,
  protocol: str,
  default_action: listOf(TfActionSchema),
});

/** `aws_lb_listener_rule` / `aws_alb_listener_rule`. */
export const TfListenerRuleSchema = z.looseObject({
  arn: str,
  id: str,
  listener_arn: str,
  priority: int,
  action: listOf(TfActionSchema),
  condition: listOf(TfConditionSchema),
});

// `dns_failover` takes "off" or a number as a string; `unhealthy_state_routing` a number.
const threshold = z.union([z.string(), z.number()]).nullish();
const healthThresholds = listOf(z.looseObject({ minimum_healthy_targets_count: threshold, minimum_healthy_targets_percentage: threshold }));

/** `aws_lb_target_group` / `aws_alb_target_group`. */
export const TfTargetGroupSchema = z.looseObject({
  arn: str,
  id: str,
  name: str,
  port: int,
  protocol: str,
  target_type: str,
  /** "true", "false" or "use_load_balancer_configuration". */
  load_balancing_cross_zone_enabled: str,
  load_balancing_algorithm_type: str,
  deregistration_delay: z.union([z.string(), z.number()]).nullish(),
  slow_start: int,
  stickiness: listOf(z.looseObject({ enabled: bool, type: str })),
  target_group_health: listOf(z.looseObject({ dns_failover: healthThresholds, unhealthy_state_routing: healthThresholds })),
  tags,
  tags_all: tags,
});

/** `aws_lb_target_group_attachment` / `aws_alb_target_group_attachment`. */
export const TfAttachmentSchema = z.looseObject({
  target_group_arn: str,
  target_id: str,
  port: int,
  availability_zone: str,
});

/** The resource kinds the check reads, with their schemas. */
export const TF_SCHEMAS = {
  lb: TfLoadBalancerSchema,
  listener: TfListenerSchema,
  rule: TfListenerRuleSchema,
  targetGroup: TfTargetGroupSchema,
  attachment: TfAttachmentSchema,
} as const;

/** A resource kind the check reads. */
export type TfKind = keyof typeof TF_SCHEMAS;
/** The values of a resource of kind `K`. */
export type TfValuesOf<K extends TfKind> = z.infer<(typeof TF_SCHEMAS)[K]>;

const KIND_OF_TYPE: Readonly<Record<string, TfKind>> = {
  aws_lb: 'lb',
  aws_alb: 'lb',
  aws_lb_listener: 'listener',
  aws_alb_listener: 'listener',
  aws_lb_listener_rule: 'rule',
  aws_alb_listener_rule: 'rule',
  aws_lb_target_group: 'targetGroup',
  aws_alb_target_group: 'targetGroup',
  aws_lb_target_group_attachment: 'attachment',
  aws_alb_target_group_attachment: 'attachment',
};

/** The kind of a resource type (`aws_alb_listener` is `aws_lb_listener` by another name), if the check reads it. */
export function kindOfType(type: string): TfKind | undefined {
  return KIND_OF_TYPE[type];
}

/** Validates the values of one resource; the error names the file, the resource and the field. */
export function readValues<K extends TfKind>(kind: K, values: unknown, where: { source: string; field: string; address: string }): TfValuesOf<K> {
  const parsed = TF_SCHEMAS[kind].safeParse(values ?? {});
  if (parsed.success) return parsed.data as TfValuesOf<K>;
  const issue = parsed.error.issues[0];
  const field = formatField(where.field, issue.path);
  throw new InputValidationError(`${where.source}: ${field} (${where.address}): ${issue.message}`, { field, input: 'terraform' });
}
