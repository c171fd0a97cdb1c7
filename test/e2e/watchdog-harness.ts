import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import {
  DescribeListenersCommand,
  DescribeTargetHealthCommand,
  ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { KMSClient } from '@aws-sdk/client-kms';
import { DynamoDbStateStore } from '../../lambdas/aws/dynamodb-state-store';
import { KmsBaselineMac } from '../../lambdas/aws/kms-baseline-mac';
import type { ElbWatchdogProps } from '../../lib/elb-watchdog';
import { waitUntil } from '../../sim/launcher/wait-until';
import { WATCHDOG_ACCESS_KEY, WatchdogRunner, type WatchdogRunnerOptions } from '../../sim/runner/watchdog-runner';
import type { StandInOptions } from '../../sim';
import { demoResources, sdkClients, useStandIn, type SdkClients, type StandInFixture } from '../sim/helpers/stand-in-fixture';
import { patience } from '../helpers/patience';

/** The demo world's resources, by what a person calls them. */
export interface DemoWorld {
  readonly loadBalancer: string;
  readonly listener: string;
  readonly blue: string;
  readonly green: string;
}

/** One stand-in with the watchdog deployed by the local runner, shared by a test file. */
export interface WatchdogFixture {
  readonly fixture: StandInFixture;
  readonly runner: WatchdogRunner;
  /** Clients as the person `alice`. */
  alice(): SdkClients;
  world(): DemoWorld;
  /** The state store, read through the same adapter the handlers use (as alice: baselines read unverified). */
  state(): DynamoDbStateStore;
  /** The state store as the watchdog's functions use it: MACs checked with the deployment's HMAC key. */
  verifiedState(): DynamoDbStateStore;
  /** The state table's name. */
  tableName(): string;
  /** Sets the demo listener's weights as `alice`; resolves with the wall time of the call. */
  setWeights(blue: number, green: number, actor?: SdkClients): Promise<number>;
  /** The demo listener's weights now, `{ blue, green }`. */
  weights(): Promise<{ blue: number; green: number }>;
  /** Polls `probe` (a value other than undefined ends it) with a deadline; the only way tests wait. */
  eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs?: number): Promise<T>;
  /** Messages waiting in a queue of the deployment, by logical id prefix. */
  queueMessages(logicalIdPrefix: string): Promise<number>;
}

/** Registers the hooks of a shared stand-in with the watchdog attached. */
export function useWatchdog(watchdog: ElbWatchdogProps, options: Omit<WatchdogRunnerOptions, 'watchdog'> = {}, standIn: StandInOptions = {}): WatchdogFixture {
  const fixture = useStandIn({ world: 'demo', ...standIn });
  const runner = new WatchdogRunner({ watchdog, ...options });
  let alice: SdkClients | undefined;
  let store: DynamoDbStateStore | undefined;
  let verified: { store: DynamoDbStateStore; kms: KMSClient } | undefined;
  // Synthesis, deployment and the first execution environments (worker threads loading the handlers).
  beforeAll(async () => {
    await fixture.standIn.attach(runner);
  }, patience(180_000));
  afterAll(() => {
    alice?.dynamodb.destroy();
    verified?.kms.destroy();
  });
  const tableName = () => [...runner.deployed.tableNames.values()][0];
  const world = (): DemoWorld => {
    const { lb, listener, blue, green } = demoResources(fixture.standIn);
    return { loadBalancer: lb, listener, blue, green };
  };
  const clientsOfAlice = () => (alice ??= fixture.clients('alice'));
  const harness: WatchdogFixture = {
    fixture,
    runner,
    alice: clientsOfAlice,
    world,
    state: () => (store ??= new DynamoDbStateStore(clientsOfAlice().dynamodb, tableName())),
    verifiedState() {
      if (verified === undefined) {
        const key = [...runner.deployed.keys.entries()].find(([id]) => id.startsWith('WatchdogBaselineKey'))?.[1];
        if (key === undefined) throw new Error('the deployment has no baseline key');
        // The watchdog's own credentials: in AWS only its functions may use the key.
        const kms = new KMSClient({ endpoint: fixture.standIn.url, region: fixture.standIn.region, credentials: { accessKeyId: WATCHDOG_ACCESS_KEY, secretAccessKey: 'x' } });
        verified = { kms, store: new DynamoDbStateStore(clientsOfAlice().dynamodb, tableName(), () => new Date(), new KmsBaselineMac(kms, key.arn)) };
      }
      return verified.store;
    },
    tableName,
    async setWeights(blue, green, actor = clientsOfAlice()) {
      const w = world();
      const calledAt = Date.now();
      await actor.elbv2.send(
        new ModifyListenerCommand({
          ListenerArn: w.listener,
          DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: w.blue, Weight: blue }, { TargetGroupArn: w.green, Weight: green }] } }],
        }),
      );
      return calledAt;
    },
    async weights() {
      const w = world();
      const listener = (await clientsOfAlice().elbv2.send(new DescribeListenersCommand({ ListenerArns: [w.listener] }))).Listeners?.[0];
      const groups = listener?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups ?? [];
      const weightOf = (arn: string) => groups.find((g) => g.TargetGroupArn === arn)?.Weight ?? 0;
      return { blue: weightOf(w.blue), green: weightOf(w.green) };
    },
    eventually(probe, what, timeoutMs = 10_000) {
      return waitUntil(probe, { timeoutMs: patience(timeoutMs), intervalMs: 50, onTimeout: () => new Error(`timed out after ${timeoutMs} ms waiting for ${what}`) });
    },
    async queueMessages(prefix) {
      const queue = [...runner.deployed.queues.entries()].find(([id]) => id.startsWith(prefix))?.[1];
      if (queue === undefined) throw new Error(`no queue ${prefix}*`);
      const received = await clientsOfAlice().sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
      return received.Messages?.length ?? 0;
    },
  };
  return harness;
}

/** Target ids registered in a group, sorted. */
export async function registeredTargets(clients: SdkClients, targetGroupArn: string): Promise<string[]> {
  const health = await clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
  return (health.TargetHealthDescriptions ?? []).map((d) => d.Target?.Id ?? '').sort();
}

export { sdkClients };
