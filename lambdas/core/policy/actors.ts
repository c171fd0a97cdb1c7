import * as z from '../zod';
import { MUTATING_EVENT_NAMES, type Change, type ChangeEventName } from '../events/change';

/**
 * Who made a change, as the policy treats them. Most ELBv2 changes in a real account come from the
 * account's own automation; each actor is recognised by the CloudTrail identity it calls with and given a
 * treatment:
 * - `enforce`: judged, and reverted when blocked (people, pipelines, deployment tools);
 * - `judge-only`: judged and told, never reverted (scalers: the group's size governs capacity, and a
 *   target a scaler removed is never registered again);
 * - `trust`: recorded, no notification.
 * The first actor whose match (every field given, `*` wildcards) and calls apply decides; the policy's own
 * actors come before the built-in ones; anyone else is enforced.
 */

/** The treatment of an actor's changes. */
export const TreatmentSchema = z.enum(['enforce', 'judge-only', 'trust']);
/** The treatment of an actor's changes. */
export type Treatment = z.infer<typeof TreatmentSchema>;

const patterns = z.union([z.string().check(z.minLength(1)), z.array(z.string().check(z.minLength(1))).check(z.minLength(1))]);

/**
 * How to recognise an actor in a CloudTrail record: every field given must match (values are `*` patterns).
 *
 * @example { "roleName": "AWSServiceRoleForAutoScaling*", "invokedBy": "autoscaling.amazonaws.com" }
 */
export const ActorMatchSchema = z
  .strictObject({
    /** The IAM role behind an assumed-role session (the last part of `sessionContext.sessionIssuer.arn`). */
    roleName: z.optional(patterns),
    /** The session name of an assumed role (`AutoScaling`, `ecs-service-scheduler`, `ECSNetworkingWithELB`). */
    sessionName: z.optional(patterns),
    /** `userIdentity.invokedBy`: the AWS service that made the call. */
    invokedBy: z.optional(patterns),
    /** The record's `userAgent` (`*elbv2.k8s.aws*`). */
    userAgent: z.optional(patterns),
    /** The record's `sourceIPAddress` (a service's DNS name, or an address). */
    sourceIp: z.optional(patterns),
    /** An IAM user name. */
    userName: z.optional(patterns),
  })
  .check(z.refine((m) => Object.values(m).some((v) => v !== undefined), { message: 'a match needs at least one field' }));
/** How to recognise an actor. */
export type ActorMatch = z.infer<typeof ActorMatchSchema>;

/**
 * One actor of the policy.
 *
 * @example
 * { "name": "deploy-bot", "match": { "roleName": "deploy-pipeline" }, "treatment": "enforce",
 *   "source": "the deploy pipeline re-applies its own configuration: fix it in the pipeline's repository" }
 */
export const ActorSchema = z.strictObject({
  name: z.string().check(z.minLength(1)),
  /** Shown in notifications: `EC2 Auto Scaling`. */
  title: z.optional(z.string().check(z.minLength(1))),
  /** One match, or several (any of them). */
  match: z.union([ActorMatchSchema, z.array(ActorMatchSchema).check(z.minLength(1))]),
  treatment: TreatmentSchema,
  /** Only these calls get this treatment; other calls by the same identity go on to the next actor. */
  calls: z.optional(z.array(z.enum(MUTATING_EVENT_NAMES)).check(z.minLength(1))),
  /** What to fix at the source when this actor's change is reverted; `{stack}` is the CloudFormation stack. */
  source: z.optional(z.string().check(z.minLength(1))),
});
/** One actor of the policy. */
export type ActorDefinition = z.infer<typeof ActorSchema>;

const REGISTRATION: ChangeEventName[] = ['RegisterTargets', 'DeregisterTargets'];

/**
 * The built-in actors, with the CloudTrail identity each is recognised by (sources in the README's actors
 * table). Where AWS does not document a shape, the match is by the service name in `invokedBy` or the
 * user agent, which every documented service call carries.
 */
export const BUILT_IN_ACTORS: readonly ActorDefinition[] = [
  {
    name: 'ec2-auto-scaling',
    title: 'EC2 Auto Scaling',
    // Role aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling[_suffix], session AutoScaling.
    match: [{ roleName: 'AWSServiceRoleForAutoScaling*' }, { invokedBy: 'autoscaling.amazonaws.com' }],
    treatment: 'judge-only',
    calls: REGISTRATION,
    source: "the Auto Scaling group's minimum size governs its capacity: raise it if this was too few",
  },
  {
    name: 'ecs-scheduler',
    title: 'Amazon ECS',
    // AWSServiceRoleForECS/ecs-service-scheduler; the ECS infrastructure role's sessions ECSNetworkingWithELB.
    match: [{ roleName: 'AWSServiceRoleForECS' }, { sessionName: 'ecs-service-scheduler' }, { sessionName: 'ECSNetworkingWithELB' }, { invokedBy: 'ecs.amazonaws.com' }],
    treatment: 'judge-only',
    calls: REGISTRATION,
    source: "the ECS service's desired count governs its capacity: raise it if this was too few",
  },
  {
    name: 'ecs-deployment',
    title: 'an Amazon ECS blue/green deployment',
    match: [{ sessionName: 'ECSNetworkingWithELB' }, { sessionName: 'ecs-service-scheduler' }],
    treatment: 'enforce',
    source: 'an ECS deployment is shifting traffic: roll it back or fix its target groups, or it will shift again',
  },
  {
    name: 'codedeploy',
    title: 'AWS CodeDeploy',
    match: [{ invokedBy: 'codedeploy.amazonaws.com' }, { userAgent: '*codedeploy.amazonaws.com*' }, { sourceIp: 'codedeploy.amazonaws.com' }],
    treatment: 'enforce',
    source: 'a CodeDeploy deployment is shifting traffic: stop or roll back the deployment, or it will shift again',
  },
  {
    name: 'aws-load-balancer-controller',
    title: 'the AWS Load Balancer Controller',
    // Its user agent is elbv2.k8s.aws/<version> (v3) or ends with it (v2).
    match: { userAgent: '*elbv2.k8s.aws*' },
    treatment: 'enforce',
    source: 'the controller re-applies what the Kubernetes Ingress or Service says: fix that resource (its annotations), or it will apply this again',
  },
  {
    name: 'cloudformation',
    title: 'AWS CloudFormation',
    match: [{ invokedBy: 'cloudformation.amazonaws.com' }, { sourceIp: 'cloudformation.amazonaws.com' }],
    treatment: 'enforce',
    source: 'this change came from CloudFormation stack {stack}; the stack now differs from the load balancer: fix the template',
  },
];

/** The actor a change is treated as: the definition that matched, or the default for people. */
export interface ResolvedActor {
  readonly name: string;
  readonly title: string;
  readonly treatment: Treatment;
  readonly source?: string;
  /** False for the default (no actor matched). */
  readonly matched: boolean;
}

/** People and pipelines nobody named: enforced. */
export const DEFAULT_ACTOR: ResolvedActor = { name: 'default', title: 'a person or pipeline', treatment: 'enforce', matched: false };

function globMatch(pattern: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`).test(value);
}

function fieldMatches(wanted: string | string[] | undefined, value: string | undefined): boolean {
  return wanted === undefined || [wanted].flat().some((p) => globMatch(p, value));
}

/** The fields of a change an actor is matched on. */
export function identityOf(change: Pick<Change, 'actor' | 'userAgent' | 'sourceIpAddress'>): Record<keyof ActorMatch, string | undefined> {
  const { actor } = change;
  return {
    roleName: actor.roleArn?.split('/').pop() ?? actor.arn?.match(/:assumed-role\/([^/]+)\//)?.[1],
    sessionName: actor.sessionName,
    invokedBy: actor.invokedBy,
    userAgent: change.userAgent,
    sourceIp: change.sourceIpAddress,
    userName: actor.userName,
  };
}

function matches(match: ActorMatch, identity: Record<keyof ActorMatch, string | undefined>): boolean {
  return (Object.keys(match) as (keyof ActorMatch)[]).every((key) => fieldMatches(match[key] as string | string[] | undefined, identity[key]));
}

/** The actor a change is treated as; see the module comment for the order. */
export function resolveActor(actors: readonly ActorDefinition[], change: Pick<Change, 'actor' | 'userAgent' | 'sourceIpAddress' | 'eventName'>): ResolvedActor {
  const identity = identityOf(change);
  for (const actor of actors) {
    if (actor.calls !== undefined && !actor.calls.includes(change.eventName)) continue;
    if (![actor.match].flat().some((m) => matches(m, identity))) continue;
    return { name: actor.name, title: actor.title ?? actor.name, treatment: actor.treatment, ...(actor.source !== undefined && { source: actor.source }), matched: true };
  }
  return DEFAULT_ACTOR;
}

/** The actors of a policy, in matching order: its own, then the built-in ones unless switched off. */
export function actorsOf(policy: { readonly actors: readonly ActorDefinition[]; readonly builtInActors: boolean }): ActorDefinition[] {
  return [...policy.actors, ...(policy.builtInActors ? BUILT_IN_ACTORS : [])];
}
