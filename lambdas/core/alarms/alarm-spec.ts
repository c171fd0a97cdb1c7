/**
 * The alarms the watchdog keeps, as PutMetricAlarm inputs (SDK PascalCase, declared here because the core
 * imports no SDK). The description carries a fingerprint of the spec so that reconciling compares one
 * string instead of re-deriving every field CloudWatch echoes back.
 */

/** One metric or expression of a metric-math alarm. */
export interface AlarmMetricQuery {
  Id: string;
  Label?: string;
  ReturnData: boolean;
  Expression?: string;
  MetricStat?: {
    Metric: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: string }[] };
    Period: number;
    Stat: string;
  };
}

/** The PutMetricAlarm input of one watchdog alarm. */
export interface AlarmInput {
  AlarmName: string;
  AlarmDescription: string;
  ActionsEnabled: boolean;
  AlarmActions: string[];
  OKActions: string[];
  EvaluationPeriods: number;
  DatapointsToAlarm: number;
  ComparisonOperator: 'GreaterThanThreshold' | 'LessThanLowerOrGreaterThanUpperThreshold' | 'GreaterThanUpperThreshold';
  Threshold?: number;
  ThresholdMetricId?: string;
  TreatMissingData: 'missing' | 'ignore' | 'breaching' | 'notBreaching';
  Metrics: AlarmMetricQuery[];
}

/** Which of the two per-group alarms. */
export type AlarmKind = 'anomaly' | 'share';

/** A desired alarm: what it watches and its full input. */
export interface AlarmSpec {
  readonly kind: AlarmKind;
  readonly loadBalancerArn: string;
  readonly targetGroupArn: string;
  /** Short hash of the input, also embedded in the description as `[spec:<fingerprint>]`. */
  readonly fingerprint: string;
  readonly input: AlarmInput;
}

/** The metric an anomaly-detection model is trained on (what DeleteAnomalyDetector needs). */
export interface AnomalyModel {
  readonly Namespace: string;
  readonly MetricName: string;
  readonly Dimensions: { Name: string; Value: string }[];
  readonly Stat: string;
}

/** An alarm as found in CloudWatch: its name, the fingerprint its description carries, its band's model. */
export interface ExistingAlarm {
  readonly name: string;
  readonly fingerprint?: string;
  readonly anomalyModel?: AnomalyModel;
}

const FINGERPRINT = /\[spec:([0-9a-f]{8})\]/;

/** Reads the fingerprint a watchdog alarm's description carries. */
export function fingerprintOf(description: string | undefined): string | undefined {
  return description?.match(FINGERPRINT)?.[1];
}

/** FNV-1a, 32 bits, as 8 hex digits: small, stable, and enough to tell specs and resources apart. */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
