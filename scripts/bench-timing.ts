import { performance } from 'node:perf_hooks';

export interface Timing {
  p50: number;
  p95: number;
  max: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Runs fn once to warm up, then `runs` times, and answers the latency percentiles in milliseconds. */
export async function measure(runs: number, fn: (i: number) => Promise<unknown>): Promise<Timing> {
  await fn(0);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn(i);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), max: samples.at(-1)! };
}
