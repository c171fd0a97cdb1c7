import { parseChangeEvent } from '../../../lambdas/core/events';
import type { Change, ChangeEventName } from '../../../lambdas/core/events/change';
import { cloudTrailFixture } from '../../helpers/fixtures';

const P = 'arn:aws:elasticloadbalancing:us-east-1:123456789012';
const LB = `${P}:loadbalancer/app/web/50dc6c495c0c9188`;
const L80 = `${P}:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2`;
const L443 = `${P}:listener/app/web/50dc6c495c0c9188/0467ef3c8400ae65`;
const RULE10 = `${P}:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee`;
const RULE20 = `${P}:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/1ac3e2b25e6b5cf1`;
const BLUE = `${P}:targetgroup/web-blue/73e2d6bc24d8a067`;
const GREEN = `${P}:targetgroup/web-green/2453ed029918f21f`;

function changeOf(input: unknown): Change {
  const parsed = parseChangeEvent(input);
  if (parsed.status !== 'change') throw new Error(`expected a change, got ${JSON.stringify(parsed)}`);
  return parsed.change;
}

describe('Function: parseChangeEvent', () => {
  describe('each mutating call with a recorded fixture', () => {
    it.each<[string, ChangeEventName, Record<string, unknown>, string[]]>([
      ['create-listener', 'CreateListener', { loadBalancerArn: LB, port: 443, protocol: 'HTTPS', sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', certificates: ['arn:aws:acm:us-east-1:123456789012:certificate/3dcb0a41-bd72-4774-9ad9-756919c40557'], defaultActions: [{ type: 'forward', forward: { targetGroups: [{ targetGroupArn: BLUE, weight: 1 }] } }] }, [LB]],
      [
        'modify-listener',
        'ModifyListener',
        {
          listenerArn: L80,
          defaultActions: [
            {
              type: 'forward',
              forward: { targetGroups: [{ targetGroupArn: BLUE, weight: 0 }, { targetGroupArn: GREEN, weight: 100 }], stickiness: { enabled: false } },
            },
          ],
        },
        [LB],
      ],
      ['delete-listener', 'DeleteListener', { listenerArn: L443 }, [LB]],
      [
        'create-rule',
        'CreateRule',
        { listenerArn: L80, priority: 10, conditions: [{ field: 'path-pattern', values: ['/api/*'] }], actions: [{ type: 'forward', forward: { targetGroups: [{ targetGroupArn: GREEN, weight: 1 }] } }] },
        [LB],
      ],
      [
        'modify-rule',
        'ModifyRule',
        {
          ruleArn: RULE10,
          conditions: [
            { field: 'host-header', values: ['api.example.com'] },
            { field: 'http-header', values: ['true'], httpHeaderName: 'X-Canary' },
          ],
          actions: [
            {
              type: 'forward',
              order: 1,
              forward: { targetGroups: [{ targetGroupArn: BLUE, weight: 90 }, { targetGroupArn: GREEN, weight: 10 }], stickiness: { enabled: true, durationSeconds: 3600 } },
            },
          ],
        },
        [LB],
      ],
      ['delete-rule', 'DeleteRule', { ruleArn: RULE20 }, [LB]],
      ['set-rule-priorities', 'SetRulePriorities', { rulePriorities: [{ ruleArn: RULE10, priority: 20 }, { ruleArn: RULE20, priority: 10 }] }, [LB]],
      ['register-targets', 'RegisterTargets', { targetGroupArn: GREEN, targets: [{ id: 'i-0b22a22eec53b9321', port: 80 }, { id: 'i-0e3c7f2ab1d9e4f56', port: 80 }] }, []],
      ['deregister-targets', 'DeregisterTargets', { targetGroupArn: BLUE, targets: expect.arrayContaining([{ id: 'i-0598c7d356eba48d7', port: 80 }]) }, []],
      ['modify-target-group', 'ModifyTargetGroup', { targetGroupArn: BLUE, settings: expect.objectContaining({ healthCheckPath: '/healthz' }) }, []],
      [
        'modify-target-group-attributes',
        'ModifyTargetGroupAttributes',
        { targetGroupArn: BLUE, attributes: [{ key: 'load_balancing.cross_zone.enabled', value: 'false' }, { key: 'deregistration_delay.timeout_seconds', value: '30' }] },
        [],
      ],
      ['delete-target-group', 'DeleteTargetGroup', { targetGroupArn: `${P}:targetgroup/web-old/5d1a2b3c4d5e6f70` }, []],
      [
        'modify-load-balancer-attributes',
        'ModifyLoadBalancerAttributes',
        { loadBalancerArn: `${P}:loadbalancer/net/edge/c4a5b6f7e8d90a1b`, attributes: [{ key: 'load_balancing.cross_zone.enabled', value: 'false' }] },
        [`${P}:loadbalancer/net/edge/c4a5b6f7e8d90a1b`],
      ],
      ['delete-load-balancer', 'DeleteLoadBalancer', { loadBalancerArn: LB }, [LB]],
    ])('reads %s into a typed %s change', (fixture, eventName, request, loadBalancerArns) => {
      // Prepare
      const record = cloudTrailFixture(fixture);

      // Act
      const change = changeOf(record);

      // Assess
      expect(change.eventName).toBe(eventName);
      expect(change.request).toEqual(request);
      expect(change.resources.loadBalancerArns).toEqual(loadBalancerArns);
      expect(change.eventId).toBe(record.eventID);
      expect(change.eventTime).toBe(record.eventTime);
      expect(change.region).toBe('us-east-1');
      expect(change.accountId).toBe('123456789012');
    });
  });

  describe('actor and resources', () => {
    it.each([
      ['create-listener', { type: 'IAMUser', userName: 'alice', displayName: 'alice', arn: 'arn:aws:iam::123456789012:user/alice' }],
      ['modify-listener', { type: 'AssumedRole', roleArn: 'arn:aws:iam::123456789012:role/deploy', sessionName: 'pipeline-4711', displayName: 'deploy/pipeline-4711' }],
      ['modify-target-group', { type: 'AssumedRole', invokedBy: 'cloudformation.amazonaws.com', displayName: 'cfn-exec/AWSCloudFormation via cloudformation.amazonaws.com' }],
      ['delete-load-balancer', { type: 'Root', displayName: 'root (123456789012)' }],
      ['minimal-user-identity', { type: 'AWSService', invokedBy: 'elasticloadbalancing.amazonaws.com', displayName: 'elasticloadbalancing.amazonaws.com' }],
    ])('names the caller of %s', (fixture, actor) => {
      // Act
      const change = changeOf(cloudTrailFixture(fixture));

      // Assess
      expect(change.actor).toMatchObject(actor);
    });

    it('reads a record with no source IP, user agent, request id or recipient account', () => {
      // Act
      const change = changeOf(cloudTrailFixture('minimal-user-identity'));

      // Assess
      expect(change.sourceIpAddress).toBeUndefined();
      expect(change.userAgent).toBeUndefined();
      expect(change.requestId).toBeUndefined();
      expect(change.accountId).toBe('123456789012');
    });

    it('has a displayable actor when userIdentity is missing altogether', () => {
      // Prepare
      const record = cloudTrailFixture('modify-listener');
      delete record.userIdentity;

      // Act
      const change = changeOf(record);

      // Assess
      expect(change.actor).toEqual({ type: 'Unknown', displayName: 'unknown' });
    });

    it('lists the listener, the load balancer and every target group a ModifyListener names', () => {
      // Act
      const change = changeOf(cloudTrailFixture('modify-listener'));

      // Assess
      expect(change.resources).toEqual({ loadBalancerArns: [LB], listenerArns: [L80], ruleArns: [], targetGroupArns: [BLUE, GREEN] });
    });

    it('takes the ARN of a created rule from responseElements', () => {
      // Act
      const change = changeOf(cloudTrailFixture('create-rule'));

      // Assess
      expect(change.resources.ruleArns).toEqual([RULE10]);
    });
  });

  describe('defensive reading', () => {
    it('reads an EventBridge event like the bare record inside it', () => {
      // Act
      const fromEvent = changeOf(cloudTrailFixture('eventbridge-modify-listener'));

      // Assess
      expect(fromEvent).toEqual(changeOf(cloudTrailFixture('modify-listener')));
    });

    it.each([
      ['a priority sent as a string', 'set-rule-priorities', (c: Change) => c.eventName === 'SetRulePriorities' && c.request.rulePriorities[0].priority === 20],
      ['weights and durations sent as strings', 'modify-rule', (c: Change) => c.eventName === 'ModifyRule' && c.request.actions?.[0].forward?.targetGroups[1].weight === 10],
      ['a list sent as a single object', 'deregister-targets-single-object', (c: Change) => c.eventName === 'DeregisterTargets' && c.request.targets.length === 1],
    ])('copes with %s', (_name, fixture, check) => {
      // Act
      const change = changeOf(cloudTrailFixture(fixture));

      // Assess
      expect(check(change)).toBe(true);
    });

    it('accepts SDK casing (PascalCase), as in --cli-input-json', () => {
      // Prepare
      const record = cloudTrailFixture('modify-listener');
      record.requestParameters = {
        ListenerArn: L80,
        DefaultActions: [{ Type: 'redirect', RedirectConfig: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
      };

      // Act
      const change = changeOf(record);

      // Assess
      expect(change.request).toEqual({ listenerArn: L80, defaultActions: [{ type: 'redirect', redirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }] });
    });
  });

  describe('records it does not act on', () => {
    it.each([
      ['failed-modify-listener', 'failed-call'],
      ['failed-throttled-register-targets', 'failed-call'],
      ['read-only-describe-target-health', 'read-only'],
      ['classic-register-instances', 'classic-elb'],
      ['classic-delete-load-balancer-no-api-version', 'classic-elb'],
      ['classic-modify-attributes', 'classic-elb'],
    ])('ignores %s as %s', (fixture, reason) => {
      // Prepare
      const record = cloudTrailFixture(fixture);

      // Act
      const parsed = parseChangeEvent(record);

      // Assess
      expect(parsed).toMatchObject({ status: 'ignored', reason, eventId: record.eventID, eventName: record.eventName });
    });

    it('says which error a failed call had', () => {
      // Act
      const parsed = parseChangeEvent(cloudTrailFixture('failed-modify-listener'));

      // Assess
      expect(parsed.status === 'ignored' && parsed.detail).toContain('ValidationError');
    });

    it.each<[string, (r: Record<string, unknown>) => unknown, string]>([
      ['another service', (r) => ({ ...r, eventSource: 's3.amazonaws.com' }), 'other-service'],
      ['a call that does not route traffic', (r) => ({ ...r, eventName: 'AddTags' }), 'not-mutating'],
      ['a service event', (r) => ({ ...r, eventType: 'AwsServiceEvent' }), 'not-api-call'],
      ['another EventBridge source', (r) => ({ source: 'aws.ec2', 'detail-type': 'AWS API Call via CloudTrail', detail: r }), 'other-source'],
      ['another detail-type', (r) => ({ source: 'aws.elasticloadbalancing', 'detail-type': 'ELB Health Event', detail: r }), 'other-detail-type'],
    ])('ignores %s', (_name, mutate, reason) => {
      // Act
      const parsed = parseChangeEvent(mutate(cloudTrailFixture('modify-listener')));

      // Assess
      expect(parsed).toMatchObject({ status: 'ignored', reason });
    });
  });

  describe('invalid input', () => {
    it.each<[string, unknown, string]>([
      ['null', null, ''],
      ['a string', 'ModifyListener', ''],
      ['an empty object', {}, 'eventSource'],
      ['requestParameters: null on a mutating call', cloudTrailFixture('request-parameters-null'), 'requestParameters'],
      ['a missing listenerArn', { ...cloudTrailFixture('modify-listener'), requestParameters: { defaultActions: [] } }, 'requestParameters.listenerArn'],
      ['a missing eventID', { ...cloudTrailFixture('modify-listener'), eventID: undefined }, 'eventID'],
      ['a weight that is not a number', { ...cloudTrailFixture('modify-listener'), requestParameters: { listenerArn: L80, defaultActions: [{ type: 'forward', forwardConfig: { targetGroups: [{ targetGroupArn: BLUE, weight: 'heavy' }] } }] } }, 'requestParameters.defaultActions.0.forwardConfig.targetGroups.0.weight'],
      ['an EventBridge event whose detail is not a record', { source: 'aws.elasticloadbalancing', 'detail-type': 'AWS API Call via CloudTrail', detail: 42 }, 'detail'],
    ])('reports %s as invalid, naming the field', (_name, input, field) => {
      // Act
      const parsed = parseChangeEvent(input);

      // Assess
      expect(parsed).toMatchObject({ status: 'invalid', field });
    });
  });
});
