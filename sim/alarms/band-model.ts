/** Tunables of the stand-in's anomaly band. */
export interface BandModelOptions {
  /** Datapoints of history the band is computed from. @default 60 */
  readonly windowPoints: number;
  /** Fewer datapoints than this and there is no band yet (AWS: a new model needs time to train). @default 5 */
  readonly minPoints: number;
}

/** Defaults of the band model. */
export const DEFAULT_BAND: BandModelOptions = { windowPoints: 60, minPoints: 5 };

/** One band: the expected range of a datapoint. */
export interface Band {
  readonly lower: number;
  readonly upper: number;
}

/**
 * The stand-in's band model — simple and documented, not AWS's (which learns daily and weekly seasonality
 * over two weeks): mean ± k·max(σ, 1% of |mean|, 0.5) of the previous datapoints in the window. The floor
 * keeps a perfectly flat history (σ = 0, e.g. a FILLed zero series) from alarming on rounding noise.
 */
export function computeBand(history: readonly number[], k: number, options: BandModelOptions = DEFAULT_BAND): Band | undefined {
  const points = history.slice(-options.windowPoints);
  if (points.length < options.minPoints) return undefined;
  const mean = points.reduce((s, v) => s + v, 0) / points.length;
  const variance = points.reduce((s, v) => s + (v - mean) ** 2, 0) / points.length;
  const half = k * Math.max(Math.sqrt(variance), Math.abs(mean) * 0.01, 0.5);
  return { lower: mean - half, upper: mean + half };
}
