import type { Band } from './band-model';

/** The alarm states CloudWatch knows. */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** One evaluated period. */
export interface Slot {
  readonly timestamp: number;
  readonly value?: number;
  /** Anomaly alarms: the band for this period, when the model had enough history. */
  readonly band?: Band;
}

/** What the alarm compares against. */
export interface AlarmRule {
  readonly comparison: string;
  readonly threshold?: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: string;
}

/** The outcome of one evaluation. */
export interface Decision {
  /** Undefined: keep the current state (`ignore` with no data). */
  readonly state?: AlarmState;
  readonly reason: string;
  readonly breaching: number;
}

const WORDS: Readonly<Record<string, string>> = {
  GreaterThanThreshold: 'greater than',
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

/** True when one datapoint breaches; undefined when it cannot be judged (no value, or no band yet). */
export function breaches(rule: AlarmRule, slot: Slot): boolean | undefined {
  const v = slot.value;
  if (v === undefined || Number.isNaN(v)) return undefined;
  const t = rule.threshold ?? NaN;
  switch (rule.comparison) {
    case 'GreaterThanThreshold':
      return v > t;
    case 'GreaterThanOrEqualToThreshold':
      return v >= t;
    case 'LessThanThreshold':
      return v < t;
    case 'LessThanOrEqualToThreshold':
      return v <= t;
    case 'LessThanLowerOrGreaterThanUpperThreshold':
      return slot.band ? v < slot.band.lower || v > slot.band.upper : undefined;
    case 'GreaterThanUpperThreshold':
      return slot.band ? v > slot.band.upper : undefined;
    case 'LessThanLowerThreshold':
      return slot.band ? v < slot.band.lower : undefined;
    default:
      return undefined;
  }
}

/**
 * Decides the state from the last N periods as CloudWatch does for the common cases: M of N breaching →
 * ALARM; missing datapoints count as TreatMissingData says (`missing`: all missing → INSUFFICIENT_DATA).
 */
export function decide(rule: AlarmRule, slots: readonly Slot[]): Decision {
  const judged = slots.map((s) => breaches(rule, s));
  const missing = judged.filter((j) => j === undefined).length;
  const treat = rule.treatMissingData;
  const breaching = judged.filter((j) => j === true).length + (treat === 'breaching' ? missing : 0);
  const points = `[${slots.filter((s) => s.value !== undefined).map((s) => `${formatValue(s.value ?? 0)} (${shortTime(s.timestamp)})`).join(', ')}]`;
  const alarming = breaching >= rule.datapointsToAlarm;
  const tail = alarming
    ? `(minimum ${rule.datapointsToAlarm} datapoint for OK -> ALARM transition).`
    : `(minimum ${rule.datapointsToAlarm} datapoint for ALARM -> OK transition).`;
  if (!alarming && missing === slots.length && treat !== 'breaching' && treat !== 'notBreaching') {
    if (treat === 'ignore') return { breaching, reason: 'Missing data ignored.' };
    return { state: 'INSUFFICIENT_DATA', breaching, reason: `Insufficient Data: ${missing} datapoint${missing === 1 ? ' was' : 's were'} unknown.` };
  }
  const count = alarming ? breaching : slots.length - breaching;
  const lead = `${count} out of the last ${slots.length} datapoints ${points} was`;
  const bands = slots.filter((s) => s.band);
  const lowers = `[${bands.map((s) => formatValue(s.band?.lower ?? 0)).join(', ')}]`;
  const uppers = `[${bands.map((s) => formatValue(s.band?.upper ?? 0)).join(', ')}]`;
  const not = alarming ? '' : 'not ';
  let reason: string;
  // The wording CloudWatch uses in its documented events, static and anomaly-band alike.
  switch (rule.comparison) {
    case 'LessThanLowerOrGreaterThanUpperThreshold':
      reason = `Thresholds Crossed: ${lead} ${not}less than the lower thresholds ${lowers} or ${not}greater than the upper thresholds ${uppers} ${tail}`;
      break;
    case 'GreaterThanUpperThreshold':
      reason = `Thresholds Crossed: ${lead} ${not}greater than the upper thresholds ${uppers} ${tail}`;
      break;
    case 'LessThanLowerThreshold':
      reason = `Thresholds Crossed: ${lead} ${not}less than the lower thresholds ${lowers} ${tail}`;
      break;
    default:
      reason = `Threshold Crossed: ${lead} ${not}${WORDS[rule.comparison] ?? rule.comparison} the threshold (${formatValue(rule.threshold ?? 0)}) ${tail}`;
  }
  return { state: alarming ? 'ALARM' : 'OK', breaching, reason };
}

/** CloudWatch prints whole numbers with one decimal (`50.0`). */
export function formatValue(v: number): string {
  return Number.isInteger(v) ? `${v}.0` : String(v);
}

/** CloudWatch's `dd/MM/yy HH:mm:ss` in reasons. */
function shortTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCFullYear() % 100)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}
