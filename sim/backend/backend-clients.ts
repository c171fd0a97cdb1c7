import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AwsError, parseQueryResponse, type Normalized } from '../front/codec';

/** The access key the stand-in's own calls to the backend carry (they never pass the front). */
export const INTERNAL_ACCESS_KEY = 'sim-internal';

/** SDK clients talking straight to the backend (moto): the stand-in's own reads and writes. */
export interface BackendClients {
  readonly url: string;
  readonly region: string;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly cloudwatch: CloudWatchClient;
  readonly events: EventBridgeClient;
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
  /** EC2 via its query protocol (no EC2 SDK is installed; the stand-in needs a handful of calls). */
  ec2(action: string, params?: Record<string, string>): Promise<Record<string, Normalized>>;
  destroy(): void;
}

/** Creates the backend clients for one stand-in. */
export function createBackendClients(url: string, region: string): BackendClients {
  const config = {
    endpoint: url,
    region,
    credentials: { accessKeyId: INTERNAL_ACCESS_KEY, secretAccessKey: 'x' },
    maxAttempts: 2,
  };
  const elbv2 = new ElasticLoadBalancingV2Client(config);
  // Uncompressed: moto's server decompresses gzip bodies twice and fails (see decodeContentEncoding).
  const cloudwatch = new CloudWatchClient({ ...config, disableRequestCompression: true });
  const events = new EventBridgeClient(config);
  const sns = new SNSClient(config);
  const sqs = new SQSClient(config);
  return {
    url,
    region,
    elbv2,
    cloudwatch,
    events,
    sns,
    sqs,
    ec2: (action, params = {}) => ec2Call(url, region, action, params),
    destroy: () => [elbv2, cloudwatch, events, sns, sqs].forEach((c) => c.destroy()),
  };
}

async function ec2Call(url: string, region: string, action: string, params: Record<string, string>): Promise<Record<string, Normalized>> {
  const date = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      // moto reads the service from the scope and does not check the signature.
      authorization: `AWS4-HMAC-SHA256 Credential=${INTERNAL_ACCESS_KEY}/${date}/${region}/ec2/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: new URLSearchParams({ Action: action, Version: '2016-11-15', ...params }).toString(),
  });
  const parsed = parseQueryResponse(await response.text());
  if (!response.ok || parsed.error) {
    throw new AwsError(parsed.error?.code ?? 'InternalFailure', parsed.error?.message ?? `EC2 ${action} failed`, response.status);
  }
  return parsed.result ?? {};
}
