import {
  DeregisterTargetsCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyRuleCommand,
  RegisterTargetsCommand,
  SetRulePrioritiesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { StandIn } from '../launcher/stand-in';
import { WEIGHTS, type ChaosActor, type ChaosStep } from './chaos-plan';
import type { FleetLoadBalancer } from './chaos-fleet';

/** The access key each actor calls with. */
export const ACTOR_KEYS: Readonly<Record<ChaosActor, string>> = { person: 'alice', pipeline: 'chaos-pipeline', scaler: 'chaos-asg', trusted: 'chaos-release-bot' };

/** The policy's actor for the trusted bot (people, pipelines and EC2 Auto Scaling are recognised without one). */
export const TRUSTED_ACTOR = { name: 'release-bot', match: { roleName: 'release-bot' }, treatment: 'trust' } as const;

/**
 * Registers the identities as CloudTrail writes them: an IAM user (the default for any key), a pipeline's
 * assumed role, EC2 Auto Scaling's service-linked role
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-service-linked-role.html), a trusted bot.
 */
export function registerActors(standIn: StandIn): void {
  standIn.identities.register({ accessKeyId: ACTOR_KEYS.pipeline, type: 'AssumedRole', roleName: 'deploy-pipeline', sessionName: 'run-42' });
  standIn.identities.register({
    accessKeyId: ACTOR_KEYS.scaler,
    type: 'AssumedRole',
    roleArn: 'arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling',
    sessionName: 'AutoScaling',
    invokedBy: 'autoscaling.amazonaws.com',
  });
  standIn.identities.register({ accessKeyId: ACTOR_KEYS.trusted, type: 'AssumedRole', roleName: TRUSTED_ACTOR.match.roleName, sessionName: 'release' });
}

/** ELBv2 clients per actor, with the SDK's default retries (throttling and 5xx are retried as in any account). */
export class ChaosActors {
  private readonly clients = new Map<ChaosActor, ElasticLoadBalancingV2Client>();

  constructor(private readonly standIn: StandIn) {}

  /** Makes the step's calls; returns the request ids of those that succeeded. */
  async perform(step: ChaosStep, lb: FleetLoadBalancer): Promise<string[]> {
    const elbv2 = this.client(step.actor);
    const ids: string[] = [];
    const send = async (call: Promise<{ $metadata: { requestId?: string } }>): Promise<void> => {
      const out = await call;
      if (out.$metadata.requestId !== undefined) ids.push(out.$metadata.requestId);
    };
    switch (step.kind) {
      case 'weights': {
        const [a, b] = WEIGHTS[step.value];
        await send(
          elbv2.send(new ModifyListenerCommand({
            ListenerArn: lb.listener,
            DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: lb.groups.a, Weight: a }, { TargetGroupArn: lb.groups.b, Weight: b }] } }],
          })),
        );
        break;
      }
      case 'api-rule':
        await send(elbv2.send(new ModifyRuleCommand({ RuleArn: lb.apiRule, Actions: [{ Type: 'forward', TargetGroupArn: step.value === 'A' ? lb.groups.a : lb.groups.b }] })));
        break;
      case 'swap-priorities': {
        const apiFirst = step.id % 2 === 0;
        await send(elbv2.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: lb.apiRule, Priority: apiFirst ? 10 : 20 }, { RuleArn: lb.adminRule, Priority: apiFirst ? 20 : 10 }] })));
        break;
      }
      case 'scale': {
        // Registering first, as a scale-out does: C never has fewer targets than the step leaves.
        await send(elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: lb.groups.c, Targets: lb.cTargets.slice(0, step.value).map((Id) => ({ Id, Port: 80 })) })));
        if (step.value < 3) await send(elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: lb.groups.c, Targets: lb.cTargets.slice(step.value).map((Id) => ({ Id, Port: 80 })) })));
        break;
      }
    }
    return ids;
  }

  /** Closes the clients. */
  destroy(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }

  private client(actor: ChaosActor): ElasticLoadBalancingV2Client {
    let client = this.clients.get(actor);
    if (client === undefined) {
      client = new ElasticLoadBalancingV2Client({ endpoint: this.standIn.url, region: this.standIn.region, credentials: { accessKeyId: ACTOR_KEYS[actor], secretAccessKey: 'x' } });
      this.clients.set(actor, client);
    }
    return client;
  }
}
