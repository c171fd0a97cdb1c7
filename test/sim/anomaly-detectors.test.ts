import {
  DeleteAnomalyDetectorCommand,
  DescribeAnomalyDetectorsCommand,
  PutAnomalyDetectorCommand,
  PutMetricAlarmCommand,
} from '@aws-sdk/client-cloudwatch';
import { query, rawCall } from './helpers/raw-call';
import { useStandIn } from './helpers/stand-in-fixture';

const METRIC = { Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCountPerTarget', Dimensions: [{ Name: 'TargetGroup', Value: 'targetgroup/web-blue/0123456789abcdef' }], Stat: 'Sum' };

describe('Anomaly detectors (moto has none): Put/Describe/Delete in JSON 1.0 and Query', () => {
  const fixture = useStandIn({ world: 'empty' });

  it('moto answers PutAnomalyDetector and DescribeAnomalyDetectors with an HTML 500', async () => {
    const put = await rawCall(fixture.standIn.backendUrl, 'monitoring', { target: 'GraniteServiceVersion20100801.PutAnomalyDetector', body: JSON.stringify({ SingleMetricAnomalyDetector: METRIC }) });
    const describe = await rawCall(fixture.standIn.backendUrl, 'monitoring', { body: query({ Action: 'DescribeAnomalyDetectors', Version: '2010-08-01' }) });
    expect([put.status, describe.status]).toEqual([500, 500]);
  });

  it('puts, describes (with filters) and deletes a single-metric detector through the SDK (JSON 1.0)', async () => {
    // Prepare
    const { cloudwatch } = fixture.clients();
    // Act
    await cloudwatch.send(new PutAnomalyDetectorCommand({ SingleMetricAnomalyDetector: METRIC, Configuration: { MetricTimezone: 'UTC' } }));
    await cloudwatch.send(new PutAnomalyDetectorCommand({ SingleMetricAnomalyDetector: METRIC })); // idempotent
    await cloudwatch.send(new PutAnomalyDetectorCommand({ SingleMetricAnomalyDetector: { ...METRIC, MetricName: 'RequestCount' } }));
    const all = await cloudwatch.send(new DescribeAnomalyDetectorsCommand({}));
    const filtered = await cloudwatch.send(new DescribeAnomalyDetectorsCommand({ MetricName: 'RequestCountPerTarget', Dimensions: METRIC.Dimensions }));
    await cloudwatch.send(new DeleteAnomalyDetectorCommand({ SingleMetricAnomalyDetector: METRIC }));
    const after = await cloudwatch.send(new DescribeAnomalyDetectorsCommand({}));
    // Assess
    expect(all.AnomalyDetectors).toHaveLength(2);
    expect(filtered.AnomalyDetectors).toEqual([
      expect.objectContaining({ SingleMetricAnomalyDetector: METRIC, Namespace: METRIC.Namespace, MetricName: METRIC.MetricName, Stat: 'Sum', StateValue: 'PENDING_TRAINING' }),
    ]);
    expect(after.AnomalyDetectors?.map((d) => d.SingleMetricAnomalyDetector?.MetricName)).toEqual(['RequestCount']);
  });

  it('answers Delete of an unknown detector with ResourceNotFoundException, and a Put without a statistic with MissingParameter', async () => {
    const { cloudwatch } = fixture.clients();
    await expect(cloudwatch.send(new DeleteAnomalyDetectorCommand({ SingleMetricAnomalyDetector: METRIC }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
    // The SDK models the `MissingParameter` code as MissingRequiredParameterException.
    await expect(cloudwatch.send(new PutAnomalyDetectorCommand({ SingleMetricAnomalyDetector: { ...METRIC, Stat: undefined } }))).rejects.toMatchObject({
      name: 'MissingRequiredParameterException',
    });
  });

  it('speaks Query too (older CLIs), and both protocols see the same detectors', async () => {
    const put = await rawCall(fixture.standIn.url, 'monitoring', {
      body: query({
        Action: 'PutAnomalyDetector',
        Version: '2010-08-01',
        'SingleMetricAnomalyDetector.Namespace': METRIC.Namespace,
        'SingleMetricAnomalyDetector.MetricName': METRIC.MetricName,
        'SingleMetricAnomalyDetector.Stat': 'Sum',
        'SingleMetricAnomalyDetector.Dimensions.member.1.Name': 'TargetGroup',
        'SingleMetricAnomalyDetector.Dimensions.member.1.Value': METRIC.Dimensions[0]?.Value ?? '',
      }),
    });
    expect(put.status).toBe(200);
    expect(put.text).toMatch(/^<PutAnomalyDetectorResponse xmlns="http:\/\/monitoring\.amazonaws\.com\/doc\/2010-08-01\/">/);
    const described = await rawCall(fixture.standIn.url, 'monitoring', { body: query({ Action: 'DescribeAnomalyDetectors', Version: '2010-08-01' }) });
    expect(described.text).toContain('<AnomalyDetectors><member>');
    expect(described.text).toContain('<MetricName>RequestCountPerTarget</MetricName>');
    const viaSdk = await fixture.clients().cloudwatch.send(new DescribeAnomalyDetectorsCommand({}));
    expect(viaSdk.AnomalyDetectors?.[0]?.SingleMetricAnomalyDetector).toEqual(METRIC);
  });

  it('creates the model an anomaly-band alarm refers to, as AWS does', async () => {
    const { cloudwatch } = fixture.clients();
    await cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'band',
        ComparisonOperator: 'GreaterThanUpperThreshold',
        EvaluationPeriods: 1,
        ThresholdMetricId: 'ad1',
        Metrics: [
          { Id: 'm1', ReturnData: true, MetricStat: { Metric: { Namespace: METRIC.Namespace, MetricName: METRIC.MetricName, Dimensions: METRIC.Dimensions }, Period: 60, Stat: 'Sum' } },
          { Id: 'ad1', Expression: 'ANOMALY_DETECTION_BAND(m1, 2)', ReturnData: true },
        ],
      }),
    );
    const out = await cloudwatch.send(new DescribeAnomalyDetectorsCommand({ Namespace: METRIC.Namespace }));
    expect(out.AnomalyDetectors?.map((d) => d.SingleMetricAnomalyDetector)).toEqual([METRIC]);
  });
});
