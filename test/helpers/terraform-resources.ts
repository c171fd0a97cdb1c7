import type { TfResourceSpec } from './terraform-plan';

/**
 * AWS provider resources with the attribute sets the provider writes to state, from its schema and
 * documentation (hashicorp/terraform-provider-aws: internal/service/elbv2/listener.go, listener_rule.go;
 * website/docs/r/lb.html.markdown, lb_listener, lb_listener_rule, lb_target_group,
 * lb_target_group_attachment). Nested blocks are arrays, one element for a `MaxItems: 1` block, empty
 * when unset; sets (`target_group`, `condition`) are arrays too; `weight` defaults to 1.
 */

/** ARNs in the shape AWS gives them (account 123456789012, us-east-1). */
export const tfArn = {
  lb: (name: string, id = '50dc6c495c0c9188') => `arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/${name}/${id}`,
  listener: (lb: string, id: string, lbId = '50dc6c495c0c9188') => `arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/${lb}/${lbId}/${id}`,
  rule: (lb: string, listener: string, id: string, lbId = '50dc6c495c0c9188') => `arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/${lb}/${lbId}/${listener}/${id}`,
  group: (name: string, id: string) => `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${name}/${id}`,
};

type Value = unknown;
type Refs = Readonly<Record<string, string | readonly string[]>>;

/** `aws_lb`. */
export function tfLb(address: string, o: { name: string | symbol; arn: Value; type?: 'application' | 'network'; crossZone?: boolean; tags?: Record<string, string> }, refs?: Refs): TfResourceSpec {
  const tags = o.tags ?? { env: 'prod' };
  return {
    address,
    refs,
    values: {
      access_logs: [{ bucket: '', enabled: false, prefix: '' }],
      arn: o.arn,
      arn_suffix: typeof o.arn === 'string' ? o.arn.split(':loadbalancer/')[1] : o.arn,
      client_keep_alive: 3600,
      connection_logs: [],
      customer_owned_ipv4_pool: '',
      desync_mitigation_mode: 'defensive',
      dns_name: typeof o.name === 'string' ? `${o.name}-1234567890.us-east-1.elb.amazonaws.com` : o.name,
      drop_invalid_header_fields: false,
      enable_cross_zone_load_balancing: o.crossZone ?? (o.type === 'network' ? false : true),
      enable_deletion_protection: false,
      enable_http2: true,
      id: o.arn,
      idle_timeout: 60,
      internal: false,
      ip_address_type: 'ipv4',
      load_balancer_type: o.type ?? 'application',
      name: o.name,
      name_prefix: '',
      security_groups: ['sg-0a1b2c3d4e5f60718'],
      subnet_mapping: [{ allocation_id: '', ipv6_address: '', outpost_id: '', private_ipv4_address: '', subnet_id: 'subnet-0aaa' }, { allocation_id: '', ipv6_address: '', outpost_id: '', private_ipv4_address: '', subnet_id: 'subnet-0bbb' }],
      subnets: ['subnet-0aaa', 'subnet-0bbb'],
      tags,
      tags_all: tags,
      timeouts: null,
      vpc_id: 'vpc-0a1b2c3d',
      zone_id: 'Z35SXDOTRQ7X7K',
    },
  };
}

/** `aws_lb_target_group`. */
export function tfGroup(address: string, o: { name: string; arn: Value; port?: number; targetType?: string; crossZone?: 'true' | 'false' | 'use_load_balancer_configuration' }, refs?: Refs): TfResourceSpec {
  return {
    address,
    refs,
    values: {
      arn: o.arn,
      arn_suffix: typeof o.arn === 'string' ? o.arn.split(':')[5] : o.arn,
      connection_termination: null,
      deregistration_delay: '300',
      health_check: [{ enabled: true, healthy_threshold: 3, interval: 30, matcher: '200', path: '/', port: 'traffic-port', protocol: 'HTTP', timeout: 5, unhealthy_threshold: 3 }],
      id: o.arn,
      ip_address_type: 'ipv4',
      lambda_multi_value_headers_enabled: false,
      load_balancer_arns: [],
      load_balancing_algorithm_type: 'round_robin',
      load_balancing_anomaly_mitigation: 'off',
      load_balancing_cross_zone_enabled: o.crossZone ?? 'use_load_balancer_configuration',
      name: o.name,
      name_prefix: '',
      port: o.port ?? 80,
      preserve_client_ip: null,
      protocol: 'HTTP',
      protocol_version: 'HTTP1',
      proxy_protocol_v2: false,
      slow_start: 0,
      stickiness: [{ cookie_duration: 86400, cookie_name: '', enabled: false, type: 'lb_cookie' }],
      tags: {},
      tags_all: {},
      target_failover: [],
      target_group_health: [{ dns_failover: [{ minimum_healthy_targets_count: '1', minimum_healthy_targets_percentage: 'off' }], unhealthy_state_routing: [{ minimum_healthy_targets_count: 1, minimum_healthy_targets_percentage: 'off' }] }],
      target_health_state: [],
      target_type: o.targetType ?? 'instance',
      vpc_id: 'vpc-0a1b2c3d',
    },
  };
}

/** `aws_lb_target_group_attachment`. */
export function tfAttachment(address: string, o: { group: Value; target: Value; port?: number; zone?: string }, refs?: Refs): TfResourceSpec {
  return {
    address,
    refs,
    values: {
      availability_zone: o.zone ?? null,
      id: typeof o.group === 'string' && typeof o.target === 'string' ? `${o.group}-20261124103000000000000001` : o.target,
      port: o.port ?? 80,
      target_group_arn: o.group,
      target_id: o.target,
    },
  };
}

/** One forward target group: `{ arn, weight }`. */
export type TfWeight = { readonly arn: Value; readonly weight: Value };

/** A forward action block with weights (and optional group stickiness). */
export function tfForward(groups: readonly TfWeight[], stickiness?: number): Record<string, unknown> {
  return {
    authenticate_cognito: [],
    authenticate_oidc: [],
    fixed_response: [],
    forward: [{ stickiness: [{ duration: stickiness ?? 3600, enabled: stickiness !== undefined }], target_group: groups.map((g) => ({ arn: g.arn, weight: g.weight })) }],
    order: 1,
    redirect: [],
    target_group_arn: '',
    type: 'forward',
  };
}

/** A forward action block to one group through `target_group_arn`. */
export function tfForwardTo(arn: Value): Record<string, unknown> {
  return { authenticate_cognito: [], authenticate_oidc: [], fixed_response: [], forward: [], order: 1, redirect: [], target_group_arn: arn, type: 'forward' };
}

/** A fixed-response action block. */
export function tfFixedResponse(status = '404'): Record<string, unknown> {
  return { authenticate_cognito: [], authenticate_oidc: [], fixed_response: [{ content_type: 'text/plain', message_body: 'not found', status_code: status }], forward: [], order: 1, redirect: [], target_group_arn: '', type: 'fixed-response' };
}

/** `aws_lb_listener`. */
export function tfListener(address: string, o: { arn: Value; lb: Value; port?: number; protocol?: string; actions: Record<string, unknown>[] }, refs?: Refs): TfResourceSpec {
  return {
    address,
    refs,
    values: {
      alpn_policy: null,
      arn: o.arn,
      certificate_arn: null,
      default_action: o.actions,
      id: o.arn,
      load_balancer_arn: o.lb,
      mutual_authentication: [],
      port: o.port ?? 80,
      protocol: o.protocol ?? 'HTTP',
      routing_http_request_x_amzn_mtls_clientcert_header_name: '',
      ssl_policy: '',
      tags: {},
      tags_all: {},
      tcp_idle_timeout_seconds: null,
      timeouts: null,
    },
  };
}

/** A condition block matching paths. */
export function tfPathCondition(...paths: string[]): Record<string, unknown> {
  return { host_header: [], http_header: [], http_request_method: [], path_pattern: [{ regex_values: [], values: paths }], query_string: [], source_ip: [] };
}

/** A condition block matching hosts. */
export function tfHostCondition(...hosts: string[]): Record<string, unknown> {
  return { host_header: [{ regex_values: [], values: hosts }], http_header: [], http_request_method: [], path_pattern: [], query_string: [], source_ip: [] };
}

/** `aws_lb_listener_rule`. */
export function tfRule(address: string, o: { arn: Value; listener: Value; priority: Value; conditions: Record<string, unknown>[]; actions: Record<string, unknown>[] }, refs?: Refs): TfResourceSpec {
  return {
    address,
    refs,
    values: { action: o.actions, arn: o.arn, condition: o.conditions, id: o.arn, listener_arn: o.listener, priority: o.priority, tags: {}, tags_all: {}, transform: [] },
  };
}

/** `aws_autoscaling_group` registering its instances in target groups. */
export function tfAutoScalingGroup(address: string, o: { name: string; groups: Value[] }, refs?: Refs): TfResourceSpec {
  return {
    address,
    refs,
    values: { arn: `arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1a2b:autoScalingGroupName/${o.name}`, desired_capacity: 4, id: o.name, max_size: 8, min_size: 2, name: o.name, target_group_arns: o.groups, vpc_zone_identifier: ['subnet-0aaa', 'subnet-0bbb'] },
  };
}
