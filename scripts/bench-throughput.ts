/**
 * `npm run bench:throughput`: requests per second and latency of whole HTTP responses of the built app for one signed-in
 * user, with 1, 10 and 50 clients each sending its next request when the last is answered. With --server-pid it also
 * reads the server process's CPU time from /proc and answers the CPU milliseconds per request; the whole machine's
 * (the database and this load generator included) is read from /proc/stat.
 * Run the app on the bench database first (see docs/scale.md), then:
 * DATABASE_URL=… npm run bench:throughput -- --base http://localhost:3400 [--user 000000.manager] [--paths /statistics,/dashboard]
 *   [--clients 1,10,50] [--seconds 15] [--server-pid N] [--cookie-out FILE]
 * The user gets a known bench password and second factor in that database (never run this against a live system).
 */
import { chromium } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { closeConnection } from '@/lib/db/client';
import { ensureAuthSecret } from './runtime-env';
import { prepareBenchAccounts, signInPage } from './bench-signin';

ensureAuthSecret();

const { values } = parseArgs({
  options: {
    base: { type: 'string', default: 'http://localhost:3400' },
    user: { type: 'string', default: '000000.manager' },
    paths: { type: 'string', default: '/statistics,/dashboard' },
    clients: { type: 'string', default: '1,10,50' },
    seconds: { type: 'string', default: '15' },
    'server-pid': { type: 'string' },
    /** Writes the signed-in session's cookie header to this file and stops (for curl and profiling by hand). */
    'cookie-out': { type: 'string' },
  },
});

/** User plus system CPU seconds the process has used (/proc/<pid>/stat, in clock ticks of 1/100 s). */
function cpuSeconds(pid: string): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The server's own processes: `next start` serves from a child process, so the whole tree under the pid is counted. */
function treeCpuSeconds(pid: string): number {
  let total = cpuSeconds(pid);
  try {
    for (const child of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) total += treeCpuSeconds(child);
  } catch {
    // Gone meanwhile.
  }
  return total;
}

/** Busy and total CPU time of the whole machine so far (/proc/stat, clock ticks): the database's work included. */
function machineTicks(): { busy: number; total: number } {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const ticks = fields.map(Number);
  const idle = ticks[3] + ticks[4];
  const total = ticks.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
}

async function load(url: string, cookie: string, clients: number, seconds: number) {
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + seconds * 1000;
  const client = async () => {
    while (performance.now() < until) {
      const started = performance.now();
      try {
        const response = await fetch(url, { headers: { cookie }, redirect: 'manual' });
        await response.arrayBuffer();
        if (response.status !== 200) errors++;
        else latencies.push(performance.now() - started);
      } catch {
        errors++;
      }
    }
  };
  const cpuBefore = values['server-pid'] ? treeCpuSeconds(values['server-pid']) : 0;
  const machineBefore = machineTicks();
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, client));
  const elapsed = (performance.now() - started) / 1000;
  const cpu = values['server-pid'] ? treeCpuSeconds(values['server-pid']) - cpuBefore : NaN;
  const machineAfter = machineTicks();
  const machineBusy = (machineAfter.busy - machineBefore.busy) / 100;
  latencies.sort((a, b) => a - b);
  return { rate: latencies.length / elapsed, p50: percentile(latencies, 50), p95: percentile(latencies, 95), errors, cpuPerRequest: (cpu * 1000) / Math.max(1, latencies.length + errors), cores: cpu / elapsed, machineCores: machineBusy / elapsed, machinePerRequest: (machineBusy * 1000) / Math.max(1, latencies.length + errors) };
}

async function main() {
  if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL to the database the app serves');
  const credentials = await prepareBenchAccounts([values.user!]);
  await closeConnection();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await signInPage(browser, values.base!, values.user!, credentials);
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  await browser.close();
  if (values['cookie-out']) return writeFileSync(values['cookie-out'], cookie);

  console.log(`| ${values.user} GET (whole HTTP response) | clients | req/s | p50 | p95 | not 200 | app server CPU per request | app server cores busy | machine CPU per request | machine cores busy |`);
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const path of values.paths!.split(',')) {
    const url = `${values.base}${path}`;
    // Warm: the route compiled and cached, the pool open.
    await load(url, cookie, 2, 2);
    for (const clients of values.clients!.split(',').map(Number)) {
      const r = await load(url, cookie, clients, Number(values.seconds));
      console.log(`| ${path} | ${clients} | ${r.rate.toFixed(1)} | ${r.p50.toFixed(1)} ms | ${r.p95.toFixed(1)} ms | ${r.errors} | ${Number.isNaN(r.cpuPerRequest) ? '—' : `${r.cpuPerRequest.toFixed(1)} ms`} | ${Number.isNaN(r.cores) ? '—' : r.cores.toFixed(2)} | ${r.machinePerRequest.toFixed(1)} ms | ${r.machineCores.toFixed(2)} |`);
    }
  }
}

main().catch(async (error) => {
  console.error(error);
  await closeConnection();
  process.exit(1);
});
