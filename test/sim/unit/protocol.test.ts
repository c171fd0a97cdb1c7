import { AwsError, detectStyle, encodeError, encodeResult } from '../../../sim/front/codec';

const auth = (service: string) => ({ authorization: `AWS4-HMAC-SHA256 Credential=alice/20250101/eu-west-1/${service}/aws4_request, SignedHeaders=host, Signature=x` });

describe('Codec: detectStyle / encodeError / encodeResult', () => {
  it('works out protocol and service from the scope, X-Amz-Target and content type', () => {
    const url = new URL('http://x/');
    expect(detectStyle('POST', url, { ...auth('elasticloadbalancing'), 'content-type': 'application/x-www-form-urlencoded' })).toMatchObject({ protocol: 'query', service: 'elasticloadbalancing', scope: { accessKeyId: 'alice', region: 'eu-west-1' } });
    expect(detectStyle('POST', url, { 'x-amz-target': 'AWSEvents.PutEvents', 'content-type': 'application/x-amz-json-1.1' })).toMatchObject({ protocol: 'json', service: 'events', jsonVersion: '1.1' });
    expect(detectStyle('POST', url, { ...auth('ec2'), 'content-type': 'application/x-www-form-urlencoded' }).protocol).toBe('ec2');
    expect(detectStyle('GET', new URL('http://x/bucket/key'), auth('s3')).protocol).toBe('rest');
  });

  it('encodes Query, EC2 and query-compatible JSON errors as each SDK expects', () => {
    const error = new AwsError('Throttling', 'Rate exceeded', 400);
    const query = encodeError(detectStyle('POST', new URL('http://x/'), { ...auth('elasticloadbalancing'), 'content-type': 'application/x-www-form-urlencoded' }), error, 'r-1');
    expect(query.body.toString()).toBe(
      '<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r-1</RequestId></ErrorResponse>',
    );
    const json = encodeError(detectStyle('POST', new URL('http://x/'), { ...auth('monitoring'), 'x-amz-target': 'GraniteServiceVersion20100801.PutMetricData' }), error);
    expect(json.headers).toMatchObject({ 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': 'Throttling;Sender' });
    const ec2 = encodeError(detectStyle('POST', new URL('http://x/'), { ...auth('ec2'), 'content-type': 'application/x-www-form-urlencoded' }), error, 'r');
    expect(ec2.body.toString()).toContain('<Response><Errors><Error><Code>Throttling</Code>');
  });

  it('encodes results as Query XML with <member> lists, or as JSON', () => {
    const style = detectStyle('POST', new URL('http://x/'), { ...auth('monitoring'), 'content-type': 'application/x-www-form-urlencoded' });
    const xml = encodeResult(style, 'DescribeAnomalyDetectors', { AnomalyDetectors: [{ Stat: 'Sum & more' }] }, 'r').body.toString();
    expect(xml).toContain('<DescribeAnomalyDetectorsResult><AnomalyDetectors><member><Stat>Sum &amp; more</Stat></member></AnomalyDetectors>');
  });
});
