import type { CfnTemplate, TemplateResource } from '../../../lambdas/core/static';

/**
 * Small CloudFormation templates for the static check's tests, one fluent line each:
 *
 *   const template = cfn()
 *     .group('Blue', ['i-1', 'i-2']).group('Green', ['i-3'])
 *     .listener('Http', 80, forward({ Blue: 0, Green: 100 }))
 *     .rule('Api', 'Http', 10, '/api/*', forwardTo('Blue'))
 *     .build();
 *
 * A load balancer `Web` (named `web`, tagged env=prod) is there unless `.lb()` says otherwise; a group's
 * targets `undefined` leaves them out (someone else registers them).
 */

/** `{ "Ref": id }`. */
export const ref = (id: string) => ({ Ref: id });

/** A weighted forward by group logical id: `forward({ Blue: 50, Green: 50 })`; a weight may be an intrinsic. */
export function forward(weights: Record<string, unknown>): unknown[] {
  return [{ Type: 'forward', ForwardConfig: { TargetGroups: Object.entries(weights).map(([id, weight]) => ({ TargetGroupArn: ref(id), Weight: weight })) } }];
}

/** A single-group forward: `forwardTo('Blue')`, or to any value (`forwardTo({ Ref: 'Param' })`). */
export function forwardTo(group: string | Record<string, unknown>): unknown[] {
  return [{ Type: 'forward', TargetGroupArn: typeof group === 'string' ? ref(group) : group }];
}

class TemplateBuilder {
  private readonly resources: Record<string, TemplateResource> = {};
  private hasLb = false;

  public lb(id = 'Web', props: Record<string, unknown> = {}): this {
    this.hasLb = true;
    this.resources[id] = { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Name: 'web', Type: 'application', Tags: [{ Key: 'env', Value: 'prod' }], ...props } };
    return this;
  }

  public group(id: string, targets: readonly (string | Record<string, unknown>)[] | undefined, props: Record<string, unknown> = {}): this {
    const list = targets?.map((t) => (typeof t === 'string' ? { Id: t } : t));
    this.resources[id] = {
      Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      Properties: { Port: 80, Protocol: 'HTTP', TargetType: 'instance', ...(list !== undefined && { Targets: list }), ...props },
    };
    return this;
  }

  public listener(id: string, port: number, actions: unknown, props: Record<string, unknown> = {}): this {
    if (!this.hasLb && props.LoadBalancerArn === undefined) this.lb();
    this.resources[id] = {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: { LoadBalancerArn: ref('Web'), Port: port, Protocol: 'HTTP', DefaultActions: actions, ...props },
    };
    return this;
  }

  public rule(id: string, listener: string | Record<string, unknown>, priority: unknown, path: string, actions: unknown): this {
    this.resources[id] = {
      Type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
      Properties: {
        ListenerArn: typeof listener === 'string' ? ref(listener) : listener,
        Priority: priority,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: [path] } }],
        Actions: actions,
      },
    };
    return this;
  }

  public resource(id: string, type: string, props: Record<string, unknown> = {}): this {
    this.resources[id] = { Type: type, Properties: props };
    return this;
  }

  public build(): CfnTemplate {
    return { Resources: { ...this.resources } };
  }
}

/** A new template builder. */
export function cfn(): TemplateBuilder {
  return new TemplateBuilder();
}
