import { DeregisterTargetsCommand, RegisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { EventBridgeEvent } from '../../sim';
import { simJson, useStandIn } from './helpers/stand-in-fixture';

// CloudTrail userIdentity element (fields, invokedBy, AWSService):
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
// Service-linked roles live under the path /aws-service-role/SERVICE/ (AWSServiceRoleForAutoScaling):
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-service-linked-role.html
// The Auto Scaling record shape below (invokedBy, sourceIPAddress and userAgent all the service's DNS name, no
// accessKeyId) is that of real Auto Scaling records (see /work/brief/research-aws.md, section 9).

const ASG_ROLE = 'arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling';

async function lastEvent(url: string, eventName: string): Promise<Record<string, unknown>> {
  const { json } = await simJson<{ events: EventBridgeEvent[] }>(url, `/_sim/events?eventName=${eventName}`);
  return json.events.at(-1)?.detail ?? {};
}

describe('Identities: POST /_sim/identities accepts what AWS writes for services', () => {
  const fixture = useStandIn({ world: 'demo' });
  const register = (body: unknown) => simJson(fixture.standIn.url, '/_sim/identities', { body });
  const deregisterOne = (key: string, instance = 'web-4') => {
    const r = fixture.standIn.world.resources;
    return fixture.clients(key).elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: r['targetGroup:web-blue'], Targets: [{ Id: r[`instance:${instance}`] ?? '' }] }));
  };

  it('records a scale-in by the Auto Scaling service-linked role as AWS does', async () => {
    // Prepare
    const registered = await register({ accessKeyId: 'ASIAASG', type: 'AssumedRole', roleArn: ASG_ROLE, sessionName: 'AutoScaling', invokedBy: 'autoscaling.amazonaws.com' });
    expect(registered.status).toBe(200);
    // Act
    await deregisterOne('ASIAASG');
    // Assess
    const record = await lastEvent(fixture.standIn.url, 'DeregisterTargets');
    expect(record).toMatchObject({ sourceIPAddress: 'autoscaling.amazonaws.com', userAgent: 'autoscaling.amazonaws.com' });
    expect(record.userIdentity).toEqual({
      type: 'AssumedRole',
      principalId: expect.stringMatching(/^AROA[A-Z2-7]{17}:AutoScaling$/),
      // The session ARN never carries the role's path; the issuer's role ARN does.
      arn: 'arn:aws:sts::123456789012:assumed-role/AWSServiceRoleForAutoScaling/AutoScaling',
      accountId: '123456789012',
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: expect.stringMatching(/^AROA/), arn: ASG_ROLE, accountId: '123456789012', userName: 'AWSServiceRoleForAutoScaling' },
        webIdFederationData: {},
        attributes: { creationDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), mfaAuthenticated: 'false' },
      },
      invokedBy: 'autoscaling.amazonaws.com',
    });
  });

  it('takes a role by name and path, an ECS session, and explicit sourceIPAddress and userAgent', async () => {
    await register({
      accessKeyId: 'ASIAECS',
      type: 'AssumedRole',
      roleName: 'AWSServiceRoleForECS',
      rolePath: '/aws-service-role/ecs.amazonaws.com/',
      sessionName: 'ecs-service-scheduler',
      sourceIPAddress: 'ecs.amazonaws.com',
      userAgent: 'ecs.amazonaws.com',
    });
    const r = fixture.standIn.world.resources;
    await fixture.clients('ASIAECS').elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: r['targetGroup:web-green'], Targets: [{ Id: r['instance:web-4'] ?? '' }] }));
    const record = await lastEvent(fixture.standIn.url, 'RegisterTargets');
    expect(record).toMatchObject({
      sourceIPAddress: 'ecs.amazonaws.com',
      userAgent: 'ecs.amazonaws.com',
      userIdentity: {
        arn: 'arn:aws:sts::123456789012:assumed-role/AWSServiceRoleForECS/ecs-service-scheduler',
        accessKeyId: 'ASIAECS',
        sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::123456789012:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS' } },
      },
    });
    expect(record.userIdentity).not.toHaveProperty('invokedBy');
  });

  it('records a service acting with its own principal as {type: AWSService, invokedBy} only, and a user through CloudFormation', async () => {
    await register({ accessKeyId: 'svc', type: 'AWSService', invokedBy: 'elasticloadbalancing.amazonaws.com' });
    await deregisterOne('svc');
    expect((await lastEvent(fixture.standIn.url, 'DeregisterTargets')).userIdentity).toEqual({ type: 'AWSService', invokedBy: 'elasticloadbalancing.amazonaws.com' });
    await register({ accessKeyId: 'john', type: 'IAMUser', userName: 'john.doe', invokedBy: 'cloudformation.amazonaws.com' });
    await deregisterOne('john', 'web-3');
    const record = await lastEvent(fixture.standIn.url, 'DeregisterTargets');
    expect(record).toMatchObject({ sourceIPAddress: 'cloudformation.amazonaws.com', userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/john.doe', invokedBy: 'cloudformation.amazonaws.com' } });
  });

  it('refuses malformed service identities, naming the field', async () => {
    for (const [body, field] of [
      [{ accessKeyId: 'x', type: 'AssumedRole', roleArn: 'arn:aws:iam::123:role/x', sessionName: 'ss' }, 'roleArn'],
      [{ accessKeyId: 'x', type: 'AssumedRole', roleName: 'Other', roleArn: ASG_ROLE, sessionName: 'ss' }, 'roleName'],
      [{ accessKeyId: 'x', type: 'AssumedRole', roleName: 'r', rolePath: 'no-slashes', sessionName: 'ss' }, 'rolePath'],
      [{ accessKeyId: 'x', type: 'AWSService', invokedBy: 'not a service' }, 'invokedBy'],
    ] as const) {
      const { status, json } = await register(body);
      expect(status).toBe(400);
      expect(json).toMatchObject({ error: 'ValidationError', message: expect.stringContaining(field) });
    }
  });
});
