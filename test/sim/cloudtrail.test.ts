import {
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  DescribeLoadBalancersCommand,
  ModifyListenerCommand,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import awsDocCreateLb from '../fixtures/sim/aws-doc-elbv2-create-load-balancer.json';
import awsDocAssumedRole from '../fixtures/sim/aws-doc-assumed-role-user-identity.json';
import { createBackendClients } from '../../sim/backend/backend-clients';
import type { EventBridgeEvent } from '../../sim';
import { awsCli } from './helpers/aws-cli';
import { simJson, useStandIn } from './helpers/stand-in-fixture';

/** JSON type of every path in a value ("object", "array", "string", ...), arrays by their first element. */
function shape(value: unknown, path = '$', out: Record<string, string> = {}): Record<string, string> {
  if (Array.isArray(value)) {
    out[path] = 'array';
    if (value.length > 0) shape(value[0], `${path}[]`, out);
  } else if (value !== null && typeof value === 'object') {
    out[path] = 'object';
    for (const [k, v] of Object.entries(value)) shape(v, `${path}.${k}`, out);
  } else {
    out[path] = value === null ? 'null' : typeof value;
  }
  return out;
}

async function events(url: string, eventName?: string): Promise<EventBridgeEvent[]> {
  const { json } = await simJson<{ events: EventBridgeEvent[] }>(url, `/_sim/events${eventName ? `?eventName=${eventName}` : ''}`);
  return json.events;
}

describe('CloudTrail: ELBv2 calls through the front become "AWS API Call via CloudTrail" events', () => {
  const fixture = useStandIn({ world: 'demo' });
  const weights = (blue: number, green: number) => {
    const r = fixture.standIn.world.resources;
    return [{ Type: 'forward' as const, ForwardConfig: { TargetGroups: [{ TargetGroupArn: r['targetGroup:web-blue'], Weight: blue }, { TargetGroupArn: r['targetGroup:web-green'], Weight: green }] } }];
  };

  it('records a CreateLoadBalancer with every field and JSON type of the record AWS documents', async () => {
    // Prepare: a security group to name, as the documented call does.
    const backend = createBackendClients(fixture.standIn.backendUrl, 'us-east-1');
    const { resources } = fixture.standIn.world;
    const sg = await backend.ec2('CreateSecurityGroup', { GroupName: 'web-sg', GroupDescription: 'web', VpcId: resources['vpc:web'] ?? '' });
    backend.destroy();
    // Act
    await fixture.clients().elbv2.send(
      new CreateLoadBalancerCommand({
        Name: 'my-load-balancer',
        Subnets: [resources['subnet:us-east-1a'] ?? '', resources['subnet:us-east-1b'] ?? ''],
        SecurityGroups: [String(sg.groupId)],
        Scheme: 'internet-facing',
      }),
    );
    // Assess
    const [event] = await events(fixture.standIn.url, 'CreateLoadBalancer');
    const ours = shape(event?.detail);
    const missingOrDifferent = Object.entries(shape(awsDocCreateLb.record)).filter(([path, type]) => ours[path] !== type);
    expect(missingOrDifferent).toEqual([]);
    expect(event?.detail).toMatchObject({
      eventSource: 'elasticloadbalancing.amazonaws.com',
      eventName: 'CreateLoadBalancer',
      awsRegion: 'us-east-1',
      readOnly: false,
      eventType: 'AwsApiCall',
      apiVersion: '2015-12-01',
      managementEvent: true,
      recipientAccountId: '123456789012',
      eventCategory: 'Management',
      requestParameters: { name: 'my-load-balancer', scheme: 'internet-facing', securityGroups: [String(sg.groupId)] },
    });
    expect(Number((event?.detail.eventVersion as string) ?? '0')).toBeGreaterThanOrEqual(1.09);
    const created = (event?.detail.responseElements as { loadBalancers: { createdTime: string; dNSName: string }[] }).loadBalancers[0];
    expect(created?.createdTime).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M$/);
    expect(created?.dNSName).toContain('my-load-balancer');
  });

  it('wraps the record as EventBridge delivers it and names the caller from the access key', async () => {
    await fixture.clients('alice').elbv2.send(new ModifyListenerCommand({ ListenerArn: fixture.standIn.world.resources['listener:web:80'], DefaultActions: weights(0, 100) }));
    const [event] = await events(fixture.standIn.url, 'ModifyListener');
    expect(event).toMatchObject({
      version: '0',
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.elasticloadbalancing',
      account: '123456789012',
      region: 'us-east-1',
      resources: [],
    });
    expect(event?.time).toBe(event?.detail.eventTime);
    expect(event?.detail.userIdentity).toEqual({
      type: 'IAMUser',
      principalId: expect.stringMatching(/^AIDA[A-Z2-7]{17}$/),
      arn: 'arn:aws:iam::123456789012:user/alice',
      accountId: '123456789012',
      accessKeyId: 'alice',
      userName: 'alice',
    });
    expect(event?.detail.userAgent).toMatch(/aws-sdk-js/);
    expect(event?.detail.sourceIPAddress).toBe('127.0.0.1');
    expect(event?.detail.eventID).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('writes requestParameters as CloudTrail does: first letter lowered, lists as arrays, numbers typed', async () => {
    const { resources } = fixture.standIn.world;
    const elbv2 = fixture.clients().elbv2;
    await elbv2.send(new ModifyListenerCommand({ ListenerArn: resources['listener:web:80'], DefaultActions: weights(100, 1) }));
    await elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: resources['targetGroup:web-green'], Targets: [{ Id: resources['instance:web-4'] ?? '', Port: 8080 }] }));
    await elbv2.send(
      new CreateRuleCommand({
        ListenerArn: resources['listener:web:80'],
        Priority: 10,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: resources['targetGroup:web-green'] }],
      }),
    );
    const modify = (await events(fixture.standIn.url, 'ModifyListener'))[0]?.detail;
    expect(modify?.requestParameters).toEqual({
      listenerArn: resources['listener:web:80'],
      defaultActions: [
        {
          type: 'forward',
          forwardConfig: {
            targetGroups: [
              { targetGroupArn: resources['targetGroup:web-blue'], weight: 100 },
              { targetGroupArn: resources['targetGroup:web-green'], weight: 1 },
            ],
          },
        },
      ],
    });
    const listener = (modify?.responseElements as { listeners: { port: number; defaultActions: unknown[] }[] }).listeners[0];
    expect(listener?.port).toBe(80);
    const register = (await events(fixture.standIn.url, 'RegisterTargets'))[0]?.detail;
    expect(register?.requestParameters).toEqual({ targetGroupArn: resources['targetGroup:web-green'], targets: [{ id: resources['instance:web-4'], port: 8080 }] });
    expect(register?.responseElements).toBeNull();
    const rule = (await events(fixture.standIn.url, 'CreateRule'))[0]?.detail;
    expect((rule?.requestParameters as { priority: unknown }).priority).toBe(10);
    // A Rule's Priority is a string in the API's answers, and so in responseElements (aws-facts.md).
    expect((rule?.responseElements as { rules: { priority: unknown; isDefault: unknown }[] }).rules[0]).toMatchObject({ priority: '10', isDefault: false });
  });

  it('records failed calls with errorCode and errorMessage, and does not record reads', async () => {
    const elbv2 = fixture.clients().elbv2;
    await elbv2.send(new DescribeLoadBalancersCommand({}));
    await expect(elbv2.send(new ModifyListenerCommand({ ListenerArn: `${fixture.standIn.world.resources['listener:web:80']}0`, Port: 81 }))).rejects.toMatchObject({
      // The SDK names the error by its modeled shape; the wire code is `ListenerNotFound`.
      name: 'ListenerNotFoundException',
    });
    const all = await events(fixture.standIn.url);
    expect(all.map((e) => e.detail.eventName)).toEqual(['ModifyListener']);
    // errorCode is the code on the wire; whether AWS writes the `…Exception` shape name instead is unverified.
    expect(all[0]?.detail).toMatchObject({ errorCode: 'ListenerNotFound', errorMessage: expect.any(String), responseElements: null });
  });

  it('records a registered access key as the assumed role AWS would show (sessionContext.sessionIssuer)', async () => {
    // Prepare
    const registered = await simJson(fixture.standIn.url, '/_sim/identities', {
      body: { accessKeyId: 'ASIAWATCHDOG', type: 'AssumedRole', roleName: 'elb-watchdog-on-change', sessionName: 'watchdog' },
    });
    expect(registered.status).toBe(200);
    // Act
    await fixture.clients('ASIAWATCHDOG').elbv2.send(new ModifyListenerCommand({ ListenerArn: fixture.standIn.world.resources['listener:web:80'], DefaultActions: weights(100, 0) }));
    // Assess
    const identity = (await events(fixture.standIn.url, 'ModifyListener'))[0]?.detail.userIdentity as Record<string, unknown>;
    const ours = shape(identity);
    const documented = Object.entries(shape(awsDocAssumedRole.userIdentity)).filter(([path, type]) => ours[path] !== type);
    expect(documented).toEqual([]);
    expect(identity).toMatchObject({
      type: 'AssumedRole',
      arn: 'arn:aws:sts::123456789012:assumed-role/elb-watchdog-on-change/watchdog',
      accessKeyId: 'ASIAWATCHDOG',
      principalId: expect.stringMatching(/^AROA[A-Z2-7]{17}:watchdog$/),
      sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::123456789012:role/elb-watchdog-on-change', userName: 'elb-watchdog-on-change' } },
    });
  });

  it('refuses an invalid identity with a ValidationError naming the field', async () => {
    const { status, json } = await simJson(fixture.standIn.url, '/_sim/identities', { body: { accessKeyId: 'x', type: 'AssumedRole', sessionName: 's' } });
    expect(status).toBe(400);
    expect(json).toMatchObject({ error: 'ValidationError', message: expect.stringMatching(/roleName|sessionName/) });
  });

  it('records AWS CLI calls too, with the CLI as userAgent', async () => {
    const { url, world } = fixture.standIn;
    const run = await awsCli(url, ['elbv2', 'modify-listener', '--listener-arn', world.resources['listener:web:80'] ?? '', '--port', '8080']);
    expect(run.code).toBe(0);
    const event = (await events(url, 'ModifyListener'))[0];
    expect(event?.detail).toMatchObject({ userAgent: expect.stringMatching(/^aws-cli\//), requestParameters: { listenerArn: world.resources['listener:web:80'], port: 8080 } });
  });
});
