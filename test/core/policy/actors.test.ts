import type { Change } from '../../../lambdas/core/events/change';
import { actorOf } from '../../../lambdas/core/events/actor';
import { BUILT_IN_ACTORS, actorsOf, resolveActor } from '../../../lambdas/core/policy/actors';
import { parsePolicy } from '../../../lambdas/core/policy';

/*
 * The CloudTrail identities the built-in actors are recognised by:
 * - userIdentity fields, invokedBy ("when a request is made by an AWS service such as Amazon EC2 Auto Scaling"):
 *   https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
 * - EC2 Auto Scaling's service-linked role, session AutoScaling, invokedBy/sourceIPAddress/userAgent
 *   autoscaling.amazonaws.com: https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-service-linked-role.html
 * - ECS: AWSServiceRoleForECS/ecs-service-scheduler with sourceIPAddress ecs.amazonaws.com
 *   (https://docs.aws.amazon.com/AmazonECS/latest/bestpracticesguide/operating-at-scale-dealing-with-throttles.html);
 *   the infrastructure role's sessions "ECSNetworkingWithELB or ecs-service-scheduler"
 *   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/AmazonECSInfrastructureRolePolicyForLoadBalancers.html).
 * - CodeDeploy: not documented for ELB calls; matched on the service name in invokedBy, source or user agent.
 * - The AWS Load Balancer Controller sets its user agent to elbv2.k8s.aws/<version> (kubernetes-sigs/aws-load-balancer-controller, pkg/aws).
 * - CloudFormation: invokedBy, sourceIPAddress and userAgent cloudformation.amazonaws.com.
 */

type Identity = Parameters<typeof actorOf>[0];

function change(eventName: Change['eventName'], identity: Identity, extra: { userAgent?: string; sourceIpAddress?: string } = {}): Pick<Change, 'actor' | 'userAgent' | 'sourceIpAddress' | 'eventName'> {
  return { eventName, actor: actorOf(identity), ...extra };
}

const assumed = (role: string, session: string, path = '', invokedBy?: string): Identity => ({
  type: 'AssumedRole',
  arn: `arn:aws:sts::123456789012:assumed-role/${role}/${session}`,
  principalId: `AROAEXAMPLE:${session}`,
  accountId: '123456789012',
  sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::123456789012:role/${path}${role}`, userName: role, accountId: '123456789012', principalId: 'AROAEXAMPLE' } },
  ...(invokedBy !== undefined && { invokedBy }),
});

const actors = [...BUILT_IN_ACTORS];

describe('Function: resolveActor (built-in actors)', () => {
  it.each<[string, ReturnType<typeof change>, string, string]>([
    ['EC2 Auto Scaling deregistering (service-linked role with its path)',
      change('DeregisterTargets', assumed('AWSServiceRoleForAutoScaling', 'AutoScaling', 'aws-service-role/autoscaling.amazonaws.com/', 'autoscaling.amazonaws.com'), { sourceIpAddress: 'autoscaling.amazonaws.com', userAgent: 'autoscaling.amazonaws.com' }),
      'ec2-auto-scaling', 'judge-only'],
    ['EC2 Auto Scaling with a suffixed service-linked role',
      change('RegisterTargets', assumed('AWSServiceRoleForAutoScaling_web', 'AutoScaling', 'aws-service-role/autoscaling.amazonaws.com/')), 'ec2-auto-scaling', 'judge-only'],
    ['an AWS service principal with only invokedBy', change('RegisterTargets', { type: 'AWSService', invokedBy: 'autoscaling.amazonaws.com' }), 'ec2-auto-scaling', 'judge-only'],
    ['the ECS scheduler registering a task',
      change('RegisterTargets', assumed('AWSServiceRoleForECS', 'ecs-service-scheduler', 'aws-service-role/ecs.amazonaws.com/'), { sourceIpAddress: 'ecs.amazonaws.com', userAgent: 'ecs.amazonaws.com' }), 'ecs-scheduler', 'judge-only'],
    ['the ECS infrastructure role shifting weights in a blue/green deployment', change('ModifyListener', assumed('myELBRole', 'ECSNetworkingWithELB')), 'ecs-deployment', 'enforce'],
    ['CodeDeploy', change('ModifyListener', assumed('CodeDeployServiceRole', '1a2b3c', '', 'codedeploy.amazonaws.com')), 'codedeploy', 'enforce'],
    ['the AWS Load Balancer Controller (v3 user agent)', change('ModifyRule', assumed('AmazonEKSLoadBalancerControllerRole', '1700000000000'), { userAgent: 'elbv2.k8s.aws/v3.0.0' }), 'aws-load-balancer-controller', 'enforce'],
    ['the AWS Load Balancer Controller (v2 appends its name)', change('ModifyRule', assumed('lbc', 'x'), { userAgent: 'aws-sdk-go/1.44.0 (go1.21; linux; amd64) elbv2.k8s.aws/v2.7.1' }), 'aws-load-balancer-controller', 'enforce'],
    ['CloudFormation with a service role', change('ModifyListener', assumed('cdk-hnb659fds-cfn-exec-role-123456789012-us-east-1', 'AWSCloudFormation', '', 'cloudformation.amazonaws.com'), { sourceIpAddress: 'cloudformation.amazonaws.com' }), 'cloudformation', 'enforce'],
    ['a person', change('ModifyListener', { type: 'IAMUser', userName: 'alice', arn: 'arn:aws:iam::123456789012:user/alice' }), 'default', 'enforce'],
    ['EC2 Auto Scaling making a call it is not trusted for (only registration is judge-only)',
      change('ModifyListener', assumed('AWSServiceRoleForAutoScaling', 'AutoScaling', 'aws-service-role/autoscaling.amazonaws.com/', 'autoscaling.amazonaws.com')), 'default', 'enforce'],
  ])('%s', (_name, c, name, treatment) => {
    expect(resolveActor(actors, c)).toMatchObject({ name, treatment });
  });
});

describe('Policy actors', () => {
  it('puts the policy\'s own actors before the built-in ones, and can switch the built-in ones off', () => {
    // Prepare
    const policy = parsePolicy('actors:\n  - name: scaler-trusted\n    match: { roleName: "AWSServiceRoleForAutoScaling*" }\n    treatment: trust\n');
    const scaleIn = change('DeregisterTargets', assumed('AWSServiceRoleForAutoScaling', 'AutoScaling', 'aws-service-role/autoscaling.amazonaws.com/'));

    // Act & Assess
    expect(resolveActor(actorsOf(policy), scaleIn)).toMatchObject({ name: 'scaler-trusted', treatment: 'trust' });
    expect(resolveActor(actorsOf(parsePolicy('builtInActors: false')), scaleIn)).toMatchObject({ name: 'default', treatment: 'enforce' });
  });

  it('refuses an actor whose match names no field, naming the field', () => {
    expect(() => parsePolicy('actors:\n  - name: x\n    match: {}\n    treatment: trust\n')).toThrow(/actors\.0\.match/);
  });
});
