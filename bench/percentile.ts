// The q-quantile of times already sorted ascending, nearest rank (the element at floor(q·n), the last for q = 1);
// NaN when there are none. Used for every latency percentile the benchmarks report.
export function percentile(sorted: number[], q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
