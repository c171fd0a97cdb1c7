import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { simJson, useStandIn } from './helpers/stand-in-fixture';
import { patience } from '../helpers/patience';

const scope = (service: string) => `AWS4-HMAC-SHA256 Credential=mallory/20250101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;
const FORM = 'application/x-www-form-urlencoded';
const JSON10 = 'application/x-amz-json-1.0';

/** Bad requests of every kind the front must survive, each answered as an AWS error. */
const BAD: { name: string; headers: Record<string, string>; body: string | Buffer }[] = [
  { name: 'form body without Action', headers: { authorization: scope('elasticloadbalancing'), 'content-type': FORM }, body: '%%%&&&==&Version' },
  { name: 'unknown Query action', headers: { authorization: scope('elasticloadbalancing'), 'content-type': FORM }, body: 'Action=DropTables&Version=2015-12-01' },
  { name: 'Query call missing required members', headers: { authorization: scope('elasticloadbalancing'), 'content-type': FORM }, body: 'Action=ModifyListener&Version=2015-12-01' },
  { name: 'Query with a 2,000-level key', headers: { authorization: scope('elasticloadbalancing'), 'content-type': FORM }, body: `Action=ModifyListener&${Array(2000).fill('a').join('.')}=1` },
  { name: 'binary noise as a form', headers: { authorization: scope('sns'), 'content-type': FORM }, body: Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7919) % 256)) },
  { name: 'truncated JSON', headers: { authorization: scope('monitoring'), 'content-type': JSON10, 'x-amz-target': 'GraniteServiceVersion20100801.PutMetricData' }, body: '{"Namespace": "x", "MetricData": [' },
  { name: 'JSON array body', headers: { authorization: scope('sqs'), 'content-type': JSON10, 'x-amz-target': 'AmazonSQS.ListQueues' }, body: '[1,2,3]' },
  { name: 'JSON with wrong member types', headers: { authorization: scope('monitoring'), 'content-type': JSON10, 'x-amz-target': 'GraniteServiceVersion20100801.DescribeAlarms' }, body: '{"AlarmNames": 5}' },
  { name: 'unknown JSON operation', headers: { authorization: scope('dynamodb'), 'content-type': JSON10, 'x-amz-target': 'DynamoDB_20120810.DropEverything' }, body: '{}' },
  { name: 'target without operation', headers: { authorization: scope('events'), 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents' }, body: '{}' },
  { name: 'unsigned Query call', headers: { 'content-type': FORM }, body: 'Action=DescribeLoadBalancers&Version=2015-12-01' },
  { name: 'garbled Authorization', headers: { authorization: 'AWS4-HMAC-SHA256 Credential=', 'content-type': FORM }, body: 'Action=DescribeLoadBalancers' },
];

/** True when the answer is an AWS error in one of the wire formats (XML ErrorResponse/Response, or JSON __type). */
function isAwsError(status: number, text: string): boolean {
  if (status < 400) return false;
  if (/<(ErrorResponse|Response)[\s>].*<Code>[A-Za-z.]+<\/Code>/s.test(text)) return true;
  try {
    return typeof (JSON.parse(text) as { __type?: unknown }).__type === 'string';
  } catch {
    return false;
  }
}

describe('Bad input: the front answers AWS-style errors and never falls over', () => {
  const fixture = useStandIn({ world: 'demo' });

  it('answers 1,000 bad requests with AWS errors, then a good call', async () => {
    // Act: 1,000 requests cycling through the kinds, 50 at a time.
    const answers: { name: string; status: number; text: string }[] = [];
    for (let i = 0; i < 1000; i += 50) {
      const batch = Array.from({ length: 50 }, (_, j) => BAD[(i + j) % BAD.length] ?? BAD[0]!);
      answers.push(
        ...(await Promise.all(
          batch.map(async (bad) => {
            const response = await fetch(fixture.standIn.url, { method: 'POST', headers: bad.headers, body: bad.body });
            return { name: bad.name, status: response.status, text: await response.text() };
          }),
        )),
      );
    }
    // Assess
    expect(answers).toHaveLength(1000);
    const notAws = answers.filter((a) => !isAwsError(a.status, a.text));
    expect(notAws.map((a) => `${a.name}: ${a.status} ${a.text.slice(0, 80)}`)).toEqual([]);
    const codes = Object.fromEntries(BAD.map((b) => [b.name, answers.find((a) => a.name === b.name)?.text.match(/<Code>(\w+)<\/Code>|"__type":"(\w+)"/)?.slice(1).find(Boolean)]));
    expect(codes).toMatchObject({
      'form body without Action': 'MissingAction',
      'unknown Query action': 'InvalidAction',
      'truncated JSON': 'SerializationException',
      'unknown JSON operation': 'UnknownOperationException',
      'unsigned Query call': 'MissingAuthenticationToken',
      'Query with a 2,000-level key': 'MalformedQueryString',
    });
    const good = await fixture.clients().elbv2.send(new DescribeLoadBalancersCommand({}));
    expect(good.LoadBalancers?.map((l) => l.LoadBalancerName)).toEqual(['web']);
  }, patience(60_000));

  it('refuses a body over 1 MiB with 413 in the caller\'s protocol, and keeps serving', async () => {
    const big = 'Action=DescribeLoadBalancers&Names.member.1=' + 'x'.repeat(1024 * 1024 + 10);
    const xml = await fetch(fixture.standIn.url, { method: 'POST', headers: { authorization: scope('elasticloadbalancing'), 'content-type': FORM }, body: big });
    expect(xml.status).toBe(413);
    expect(await xml.text()).toContain('<Code>RequestEntityTooLarge</Code>');
    const json = await fetch(fixture.standIn.url, {
      method: 'POST',
      headers: { authorization: scope('monitoring'), 'content-type': JSON10, 'x-amz-target': 'GraniteServiceVersion20100801.PutMetricData' },
      body: Buffer.alloc(3 * 1024 * 1024, 0x20),
    });
    expect(json.status).toBe(413);
    expect(((await json.json()) as { __type: string }).__type).toBe('RequestEntityTooLarge');
    const health = await simJson(fixture.standIn.url, '/_sim/health');
    expect(health.json).toMatchObject({ status: 'ok' });
  });

  it('answers bad /_sim requests with JSON errors', async () => {
    const { url } = fixture.standIn;
    expect(await simJson(url, '/_sim/clock', { body: 'not json' })).toMatchObject({ status: 400, json: { error: 'MalformedJson' } });
    expect(await simJson(url, '/_sim/clock', { body: { advanceMinutes: -1 } })).toMatchObject({ status: 400, json: { error: 'ValidationError' } });
    expect(await simJson(url, '/_sim/nowhere')).toMatchObject({ status: 404, json: { error: 'NotFound' } });
    expect(await simJson(url, '/_sim/health', { method: 'DELETE' })).toMatchObject({ status: 405 });
  });
});
