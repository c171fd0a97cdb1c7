import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startStandIn, type StandIn, type StandInOptions } from '../../../sim';
import { patience } from '../../helpers/patience';

/** SDK v3 clients as any user would build them, pointed at one endpoint. */
export interface SdkClients {
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly cloudwatch: CloudWatchClient;
  readonly events: EventBridgeClient;
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
  readonly dynamodb: DynamoDBClient;
}

/** Real SDK clients with default configuration, the endpoint and a caller's access key. */
export function sdkClients(endpoint: string, accessKeyId = 'alice', extra: { maxAttempts?: number } = {}): SdkClients {
  const config = { endpoint, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey: 'x' }, ...extra };
  return {
    elbv2: new ElasticLoadBalancingV2Client(config),
    cloudwatch: new CloudWatchClient(config),
    events: new EventBridgeClient(config),
    sns: new SNSClient(config),
    sqs: new SQSClient(config),
    dynamodb: new DynamoDBClient(config),
  };
}

/** Test-file fixture: one stand-in (one moto) shared by the file, reset before every test but the first. */
export interface StandInFixture {
  readonly standIn: StandIn;
  /** Clients through the front, as `alice` unless another key is given. */
  clients(accessKeyId?: string): SdkClients;
  /** Clients straight to moto (to show moto's own behaviour). */
  moto(): SdkClients;
}

/** Registers beforeAll/beforeEach/afterAll for a shared stand-in. */
export function useStandIn(options: StandInOptions = {}): StandInFixture {
  let standIn: StandIn | undefined;
  let used = false;
  const made: SdkClients[] = [];
  const track = (c: SdkClients): SdkClients => (made.push(c), c);
  beforeAll(async () => {
    standIn = await startStandIn({ cloudTrailDelayMs: 0, ...options, clock: { speed: 0, ...options.clock } });
  }, patience(60_000));
  beforeEach(async () => {
    if (used) await standIn?.reset();
    used = true;
  }, patience(30_000));
  afterAll(async () => {
    for (const c of made) Object.values(c).forEach((client: { destroy(): void }) => client.destroy());
    await standIn?.stop();
  }, patience(30_000));
  return {
    get standIn(): StandIn {
      if (!standIn) throw new Error('stand-in not started');
      return standIn;
    },
    clients: (key = 'alice') => track(sdkClients(standIn?.url ?? '', key)),
    moto: () => track(sdkClients(standIn?.backendUrl ?? '', 'alice')),
  };
}

/** Polls until `probe` returns something other than undefined (no sleeps as synchronisation). */
export async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** GET/POST a `/_sim` route and return its JSON. */
export async function simJson<T = Record<string, unknown>>(url: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; json: T }> {
  const response = await fetch(`${url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
  return { status: response.status, json: (await response.json()) as T };
}

/** The demo world's resources by what a person calls them. */
export interface DemoResources {
  readonly lb: string;
  readonly listener: string;
  readonly blue: string;
  readonly green: string;
}

/** The ARNs of the demo world's load balancer, listener and two target groups. */
export function demoResources(standIn: StandIn): DemoResources {
  const r = standIn.world.resources;
  return { lb: r['loadBalancer:web'], listener: r['listener:web:80'], blue: r['targetGroup:web-blue'], green: r['targetGroup:web-green'] };
}

/** True while a process with this id exists (signal 0 probes without signalling). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
