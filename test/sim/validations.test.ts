import { DescribeAlarmsCommand, ListMetricsCommand, PutMetricAlarmCommand, PutMetricDataCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeTargetHealthCommand,
  ModifyListenerCommand,
  RegisterTargetsCommand,
  type Action,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { query, rawCall } from './helpers/raw-call';
import { simJson, useStandIn } from './helpers/stand-in-fixture';

// Each gap: moto's own behaviour, straight at moto, then the front's, which is AWS's.
describe('Validations moto skips, done in the front as AWS does', () => {
  const fixture = useStandIn({ world: 'demo' });
  const r = () => fixture.standIn.world.resources;
  const forward = (groups: { arn: string | undefined; weight: number }[]): Action[] => [
    { Type: 'forward', ForwardConfig: { TargetGroups: groups.map((g) => ({ TargetGroupArn: g.arn, Weight: g.weight })) } },
  ];

  it.each([
    ['above 999', 1000],
    ['below 0', -1],
  ])('refuses a forward weight %s with ValidationError (moto accepts it)', async (_label, weight) => {
    const modify = new ModifyListenerCommand({ ListenerArn: r()['listener:web:80'], DefaultActions: forward([{ arn: r()['targetGroup:web-blue'], weight }, { arn: r()['targetGroup:web-green'], weight: 0 }]) });
    const atMoto = await fixture.moto().elbv2.send(modify);
    expect(atMoto.Listeners?.[0]?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups?.[0]?.Weight).toBe(weight);
    await expect(fixture.clients().elbv2.send(modify)).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining('weight') });
  });

  it('refuses more than 5 target groups in one forward action (moto accepts 6)', async () => {
    // Prepare: six groups, created at moto so that no CloudTrail event is involved.
    const arns: (string | undefined)[] = [];
    for (let i = 1; i <= 6; i++) {
      const tg = await fixture.moto().elbv2.send(new CreateTargetGroupCommand({ Name: `tg-${i}`, Protocol: 'HTTP', Port: 80, VpcId: r()['vpc:web'] }));
      arns.push(tg.TargetGroups?.[0]?.TargetGroupArn);
    }
    const modify = new ModifyListenerCommand({ ListenerArn: r()['listener:web:80'], DefaultActions: forward(arns.map((arn) => ({ arn, weight: 1 }))) });
    // Act / Assess
    const atMoto = await fixture.moto().elbv2.send(modify);
    expect(atMoto.Listeners?.[0]?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups).toHaveLength(6);
    await expect(fixture.clients().elbv2.send(modify)).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining('less than or equal to 5') });
  });

  it('refuses to register an instance that does not exist with InvalidTarget (moto registers it as healthy)', async () => {
    const register = () => new RegisterTargetsCommand({ TargetGroupArn: r()['targetGroup:web-green'], Targets: [{ Id: 'i-0123456789abcdef0' }] });
    await fixture.moto().elbv2.send(register());
    const health = await fixture.moto().elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: r()['targetGroup:web-green'] }));
    expect(health.TargetHealthDescriptions?.find((d) => d.Target?.Id === 'i-0123456789abcdef0')?.TargetHealth?.State).toBe('healthy');
    await fixture.standIn.reset();
    await expect(fixture.clients().elbv2.send(register())).rejects.toMatchObject({ name: 'InvalidTargetException', message: expect.stringContaining('does not exist') });
    // A real instance still registers.
    await fixture.clients().elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: r()['targetGroup:web-green'], Targets: [{ Id: r()['instance:web-1'] ?? '' }] }));
  });

  it('deregisters the registered targets of a DeregisterTargets that also names one not registered, and succeeds (moto 5.2.1: InvalidTarget, half applied; patched at start)', async () => {
    // "If the specified target does not exist, the action returns successfully."
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DeregisterTargets.html
    const group = r()['targetGroup:web-green'];
    const web1 = r()['instance:web-1'] ?? '';
    await fixture.clients().elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: group, Targets: [{ Id: web1 }] }));

    await fixture.clients().elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: group, Targets: [{ Id: 'i-0123456789abcdef0' }, { Id: web1 }] }));

    const health = await fixture.clients().elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: group }));
    expect(health.TargetHealthDescriptions?.some((d) => d.Target?.Id === web1 && d.TargetHealth?.State !== 'draining')).toBe(false);
    const recorded = fixture.standIn.events({ eventName: 'DeregisterTargets' });
    expect(recorded.at(-1)?.event.detail.errorCode).toBeUndefined();
  });

  it('starts a new alarm in INSUFFICIENT_DATA and keeps an updated alarm\'s state (moto: OK, and resets)', async () => {
    const alarm = (name: string) =>
      new PutMetricAlarmCommand({ AlarmName: name, Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' });
    const state = async (c: ReturnType<typeof fixture.moto>, name: string) => (await c.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms?.[0]?.StateValue;
    const moto = fixture.moto();
    const front = fixture.clients();
    await moto.cloudwatch.send(alarm('at-moto'));
    expect(await state(moto, 'at-moto')).toBe('OK');
    await front.cloudwatch.send(alarm('via-front'));
    expect(await state(front, 'via-front')).toBe('INSUFFICIENT_DATA');
    await front.cloudwatch.send(new SetAlarmStateCommand({ AlarmName: 'via-front', StateValue: 'ALARM', StateReason: 'test' }));
    await front.cloudwatch.send(alarm('via-front'));
    expect(await state(front, 'via-front')).toBe('ALARM');
  });

  it('answers an unknown Query action with 400 InvalidAction (moto: an HTML 500 page)', async () => {
    const body = query({ Action: 'FlipAllTheWeights', Version: '2015-12-01' });
    const atMoto = await rawCall(fixture.standIn.backendUrl, 'elasticloadbalancing', { body });
    expect(atMoto.status).toBe(500);
    expect(atMoto.text).toContain('<html');
    const front = await rawCall(fixture.standIn.url, 'elasticloadbalancing', { body });
    expect(front.status).toBe(400);
    expect(front.text).toMatch(/<ErrorResponse[^>]*><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code>/);
  });

  it('answers a malformed JSON body with 400 SerializationException (moto: 200 {})', async () => {
    const call = { body: '{"AlarmNames": [', target: 'GraniteServiceVersion20100801.DescribeAlarms' };
    const atMoto = await rawCall(fixture.standIn.backendUrl, 'monitoring', call);
    expect(atMoto.status).toBe(200);
    const front = await rawCall(fixture.standIn.url, 'monitoring', call);
    expect(front.status).toBe(400);
    expect(JSON.parse(front.text)).toMatchObject({ __type: 'SerializationException' });
    expect(front.headers.get('x-amzn-query-error')).toBe('SerializationException;Sender');
  });

  it('answers an unknown JSON operation with 400 UnknownOperationException', async () => {
    const front = await rawCall(fixture.standIn.url, 'events', { body: '{}', target: 'AWSEvents.PutEverything', contentType: 'application/x-amz-json-1.1' });
    expect(front.status).toBe(400);
    expect(JSON.parse(front.text)).toMatchObject({ __type: 'UnknownOperationException' });
  });

  it('records a refused change in CloudTrail as a failed call', async () => {
    const modify = new ModifyListenerCommand({ ListenerArn: r()['listener:web:80'], DefaultActions: forward([{ arn: r()['targetGroup:web-blue'], weight: 1000 }]) });
    await expect(fixture.clients().elbv2.send(modify)).rejects.toBeDefined();
    const { json } = await simJson<{ events: { detail: Record<string, unknown> }[] }>(fixture.standIn.url, '/_sim/events');
    expect(json.events[0]?.detail).toMatchObject({ eventName: 'ModifyListener', errorCode: 'ValidationError' });
  });

  it('accepts a gzip-compressed PutMetricData (the SDK compresses bodies over 10 KB); moto\'s server fails on it', async () => {
    const data = Array.from({ length: 300 }, (_, i) => ({ MetricName: 'RequestCount', Dimensions: [{ Name: 'LoadBalancer', Value: `app/lb-${i}/0123456789abcdef` }], Value: 1, Unit: 'Count' as const }));
    const put = new PutMetricDataCommand({ Namespace: 'Bench/Compressed', MetricData: data });
    // moto decompresses the body in its Flask app and again in its response class: HTML 500.
    await expect(fixture.moto().cloudwatch.send(put)).rejects.toMatchObject({ $metadata: { httpStatusCode: 500 } });
    await fixture.clients().cloudwatch.send(put);
    const listed = await fixture.clients().cloudwatch.send(new ListMetricsCommand({ Namespace: 'Bench/Compressed' }));
    expect(listed.Metrics).toHaveLength(300);
  });
});
