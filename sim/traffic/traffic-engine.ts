import { PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { BackendClients } from '../backend/backend-clients';
import { CrashModel, type TargetMinute } from './crash-model';
import type { RequestKind } from './routing/request-mix';
import { buildMetrics, type NamespaceData } from './metric-builder';
import type { LoadBalancerNode, Topology } from './topology';
import { readTopology } from './topology-reader';
import { mergeTraffic, TrafficSettingsSchema, type TrafficSettings } from './traffic-settings';
import { splitTraffic, type TrafficSplit } from './traffic-split';

/** One simulated minute: the split, what each target did, and the metrics published. */
export interface MinuteResult {
  readonly minute: Date;
  readonly split: TrafficSplit;
  readonly targets: ReadonlyMap<string, TargetMinute>;
  readonly metrics: readonly NamespaceData[];
}

// CloudWatch accepts at most 1000 data per PutMetricData call.
const MAX_DATA_PER_CALL = 1000;

/**
 * The traffic model on the sim clock. Reads the ELBv2 configuration from the backend only when it may have
 * changed (every write through the front invalidates it), so a minute costs a split and one PutMetricData.
 */
export class TrafficEngine {
  private settings: TrafficSettings;
  private topology: Topology | undefined;
  private readonly crash = new CrashModel();
  private last: MinuteResult | undefined;

  constructor(
    private readonly backend: () => BackendClients,
    settings: Partial<TrafficSettings> = {},
    /** Told of every batch of metrics moto accepted (the front's metric index). */
    private readonly onPublished?: (namespace: string, data: readonly MetricDatum[]) => void,
  ) {
    this.settings = TrafficSettingsSchema.parse(settings);
  }

  /** Current settings. */
  getSettings(): TrafficSettings {
    return this.settings;
  }

  /** Merges new settings (rates, capacities, crash timings). */
  configure(update: Partial<TrafficSettings>): TrafficSettings {
    this.settings = mergeTraffic(this.settings, update);
    return this.settings;
  }

  /** Marks the configuration stale: the next minute re-reads it from the backend. */
  invalidate(): void {
    this.topology = undefined;
  }

  /** False for a target the crash model has taken down (DescribeTargetHealth reports it unhealthy). */
  isUp(targetId: string): boolean {
    return this.crash.isUp(targetId);
  }

  /** The configuration as last read (re-read when stale). */
  async currentTopology(): Promise<Topology> {
    this.topology ??= await readTopology(this.backend());
    return this.topology;
  }

  /** The split the current configuration gives right now, without noise or side effects. */
  async preview(): Promise<{ topology: Topology; split: TrafficSplit }> {
    const topology = await this.currentTopology();
    return { topology, split: splitTraffic(topology, { rateOf: (lb) => this.rateOf(lb), isUp: (id) => this.crash.isUp(id), mixOf: (lb) => this.mixOf(lb) }) };
  }

  /** Computes one minute (split, crash model, metrics) without publishing. */
  simulate(topology: Topology, minute: Date): MinuteResult {
    const noise = noiseFor(minute, this.settings.noise);
    const split = splitTraffic(topology, { rateOf: (lb) => this.rateOf(lb) * noise(lb.arn), isUp: (id) => this.crash.isUp(id), mixOf: (lb) => this.mixOf(lb) });
    const targets = new Map<string, TargetMinute>();
    for (const group of topology.targetGroups.values()) {
      for (const target of group.targets) {
        if (targets.has(target.id)) continue;
        const capacity = this.settings.targets[target.id] ?? this.settings.defaultCapacityPerMinute;
        targets.set(target.id, this.crash.step(target.id, split.perTarget.get(target.id) ?? 0, capacity, this.settings, minute));
      }
    }
    const metrics = buildMetrics(topology, split, targets, minute, this.settings.bytesPerFlow);
    return { minute, split, targets, metrics };
  }

  /** Runs the minute starting at `minute` and publishes its metrics to the backend's CloudWatch. */
  async tick(minute: Date): Promise<MinuteResult> {
    const result = this.simulate(await this.currentTopology(), minute);
    await this.publish(result.metrics);
    this.last = result;
    return result;
  }

  /** The last simulated minute, if any. */
  lastMinute(): MinuteResult | undefined {
    return this.last;
  }

  /** Crashed targets. */
  crashedTargets(): { id: string; since?: Date }[] {
    return this.crash.crashed();
  }

  /** Back to the given settings, no crashes, configuration re-read. */
  reset(settings: Partial<TrafficSettings> = {}): void {
    this.settings = TrafficSettingsSchema.parse(settings);
    this.crash.reset();
    this.topology = undefined;
    this.last = undefined;
  }

  /** Requests per minute configured for a load balancer. */
  rateOf(lb: LoadBalancerNode): number {
    return this.settings.loadBalancers[lb.name] ?? this.settings.loadBalancers[lb.arn] ?? this.settings.defaultRequestsPerMinute;
  }

  /** The request mix configured for a load balancer (by name, else ARN). */
  mixOf(lb: LoadBalancerNode): readonly RequestKind[] | undefined {
    return this.settings.requestMix[lb.name] ?? this.settings.requestMix[lb.arn];
  }

  private async publish(metrics: readonly NamespaceData[]): Promise<void> {
    const cloudwatch = this.backend().cloudwatch;
    for (const { namespace, data } of metrics) {
      for (let i = 0; i < data.length; i += MAX_DATA_PER_CALL) {
        const batch = data.slice(i, i + MAX_DATA_PER_CALL);
        await cloudwatch.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: batch }));
        this.onPublished?.(namespace, batch);
      }
    }
  }
}

/** A deterministic multiplier per load balancer and minute in [1 - noise, 1 + noise]. */
function noiseFor(minute: Date, noise: number): (key: string) => number {
  if (noise === 0) return () => 1;
  const seed = Math.floor(minute.getTime() / 60_000);
  return (key) => {
    let h = seed ^ 0x9e3779b9;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
    const u = ((h ^ (h >>> 13)) >>> 0) / 4294967296;
    return 1 + noise * (2 * u - 1);
  };
}
