import { encodeResult, parseQueryResponse, type AwsCall, type Normalized, type WireAnswer } from '../front/codec';
import type { CallContext, CallObserver, CallOutcome, Interceptor } from '../front/interceptor';
import type { TrafficEngine } from './traffic-engine';

/**
 * DescribeTargetHealth as AWS would answer it once a server has crashed: the crash model's verdict
 * (`unhealthy`, `Target.FailedHealthChecks`) overrides moto, which only knows instance states.
 */
export class HealthOverride implements Interceptor {
  readonly name = 'health-override';

  constructor(private readonly engine: TrafficEngine) {}

  matches(call: AwsCall): boolean {
    return call.service === 'elasticloadbalancing' && call.action === 'DescribeTargetHealth';
  }

  async after(context: CallContext, answer: WireAnswer): Promise<WireAnswer | undefined> {
    if (answer.status !== 200 || this.engine.crashedTargets().length === 0) return undefined;
    const parsed = parseQueryResponse(answer.body.toString('utf8'));
    const descriptions = parsed.result?.TargetHealthDescriptions;
    if (!Array.isArray(descriptions)) return undefined;
    let changed = false;
    const rewritten = descriptions.map((d): Normalized => {
      if (typeof d !== 'object' || Array.isArray(d)) return d;
      const target = d.Target;
      const id = typeof target === 'object' && !Array.isArray(target) ? target.Id : undefined;
      if (typeof id !== 'string' || this.engine.isUp(id)) return d;
      changed = true;
      return { ...d, TargetHealth: { State: 'unhealthy', Reason: 'Target.FailedHealthChecks', Description: 'Health checks failed' } };
    });
    if (!changed) return undefined;
    return encodeResult(context.call.style, 'DescribeTargetHealth', { TargetHealthDescriptions: rewritten }, parsed.requestId ?? context.requestId);
  }
}

const READ_ONLY = /^(Describe|Get|List)/;

/** Drops the traffic model's cached configuration after any successful ELBv2 or EC2 write through the front. */
export class TopologyInvalidator implements CallObserver {
  readonly name = 'topology-invalidator';

  constructor(private readonly engine: TrafficEngine) {}

  observe({ call }: CallContext, outcome: CallOutcome): void {
    if (outcome.error || READ_ONLY.test(call.action)) return;
    if (call.service === 'elasticloadbalancing' || call.service === 'ec2') this.engine.invalidate();
  }
}
