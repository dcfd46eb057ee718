// Statistics used by every scenario: percentiles of one run's samples, and the summary of a
// figure over repeated runs (median, p99, min, max), so no figure rests on a single sample.

/**
 * The p-th percentile (0–100) by nearest rank; `undefined` for no samples.
 * @param {readonly number[]} values
 * @param {number} p
 * @returns {number | undefined}
 */
export function percentile(values, p) {
  if (values.length === 0) return undefined;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/**
 * The median: the middle value, or the mean of the two middle values of an even count (so two
 * runs are summarized by their midpoint, not by the better one); `undefined` for no values.
 * @param {readonly number[]} values
 * @returns {number | undefined}
 */
export function median(values) {
  if (values.length === 0) return undefined;
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/**
 * p50, p99, max and count of one run's latency samples (milliseconds).
 * @param {readonly number[]} samples
 * @returns {{ p50: number | undefined, p99: number | undefined, max: number | undefined, count: number }}
 */
export function latencySummary(samples) {
  return {
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    max: samples.length === 0 ? undefined : samples.reduce((a, b) => (b > a ? b : a), -Infinity),
    count: samples.length,
  };
}

/**
 * @typedef {object} FigureSummary
 * @property {number} median median over runs
 * @property {number} p99 99th percentile over runs (the worst run when there are fewer than 100)
 * @property {number} min
 * @property {number} max
 * @property {number} runs how many runs produced the figure
 * @property {number[]} values each run's value, in run order
 */

/**
 * Summarizes each figure over runs. Runs are flat `{figure: number}` maps; a figure a run did not
 * produce (undefined/NaN) is left out of that figure's summary rather than counted as zero.
 * @param {ReadonlyArray<Record<string, number | undefined>>} runs
 * @returns {Record<string, FigureSummary>}
 */
export function summarizeRuns(runs) {
  /** @type {Map<string, number[]>} */
  const byFigure = new Map();
  for (const run of runs) {
    for (const [name, value] of Object.entries(run)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      const values = byFigure.get(name) ?? [];
      values.push(value);
      byFigure.set(name, values);
    }
  }
  /** @type {Record<string, FigureSummary>} */
  const summary = {};
  for (const [name, values] of byFigure) {
    summary[name] = {
      median: /** @type {number} */ (median(values)),
      p99: /** @type {number} */ (percentile(values, 99)),
      min: Math.min(...values),
      max: Math.max(...values),
      runs: values.length,
      values,
    };
  }
  return summary;
}

/**
 * Rounds for display: 3 significant digits below 100, whole numbers above.
 * @param {number | undefined} value
 * @returns {string}
 */
export function formatNumber(value) {
  if (value === undefined || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value).toLocaleString('en-US');
  if (abs === 0) return '0';
  return Number(value.toPrecision(3)).toString();
}

/**
 * Nanoseconds from the monotonic clock as milliseconds between two readings.
 * @param {bigint} start
 * @param {bigint} [end]
 */
export function elapsedMs(start, end = process.hrtime.bigint()) {
  return Number(end - start) / 1e6;
}
