#!/usr/bin/env node
// `npm run soak` (issue 6): both BUILT services under steady, moderate load for --duration seconds
// (default 60), loopback only. autocannon, in-process, drives a fixed-rate mix:
//   monitor-test  GET /metrics                 (MIX below)
//   monitor-agent GET /api/metrics/latest
//   monitor-agent GET /k8s-app-monitor-agent   (a chart: the agent also calls monitor-test each time)
// after a warm-up (--warmup seconds, same mix, not counted). Reports, per 10 s window, requests,
// errors and p99 latency of each target and the RSS of each service (VmRSS, /proc/<pid>/status);
// then the RSS at the start (right after the warm-up) and at the end (right after the load).
// Exits 1 if any request failed (socket error, timeout, non-2xx) or if either service's RSS grew by
// more than --max-rss-growth percent (default 10) between start and end.
//
// Usage: node tools/soak/soak.mjs [--duration 60] [--warmup 10] [--max-rss-growth 10] [--json dist/soak/results.json]
import autocannon from 'autocannon';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { MONITOR_AGENT, MONITOR_TEST, isAlive, round, rssMb, startService, stopService, waitReady } from '../hostile/lib.mjs';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '10' },
    window: { type: 'string', default: '10' },
    'max-rss-growth': { type: 'string', default: '10' },
    json: { type: 'string', default: 'dist/soak/results.json' },
    // Runs the services with tools/hostile/gc-probe.cjs and, at the end of every window, asks for
    // the heap in use after a full GC (a leak grows it; RSS alone also follows V8's sizing). The
    // forced GCs perturb latency and RSS: for diagnosis, not for the numbers.
    'diagnose-heap': { type: 'boolean', default: false },
  },
});
const DURATION_S = Number(args.duration);
const WARMUP_S = Number(args.warmup);
const WINDOW_S = Number(args.window);
const MAX_RSS_GROWTH_PCT = Number(args['max-rss-growth']);
if (!(DURATION_S > 0) || !(WARMUP_S >= 0) || !(WINDOW_S > 0)) throw new Error('--duration, --warmup and --window must be positive numbers');

/** Moderate on purpose (2 cores shared with autocannon): well below what bench.mjs measures as the maximum. */
const MIX = [
  { key: 'metrics', label: 'monitor-test /metrics', service: 'test', path: '/metrics', connections: 4, rate: 200 },
  { key: 'latest', label: 'agent /api/metrics/latest', service: 'agent', path: '/api/metrics/latest', connections: 2, rate: 100 },
  { key: 'chart', label: 'agent /k8s-app-monitor-agent', service: 'agent', path: '/k8s-app-monitor-agent', connections: 2, rate: 10 },
];

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Runs the whole mix for `seconds`; with `windows`, buckets every response into 10 s windows. */
async function runMix(services, seconds, windows) {
  const t0 = Date.now();
  // Answers to requests still in flight when the time is up count in the last window.
  const lastWindow = Math.ceil(seconds / WINDOW_S) - 1;
  const windowOf = (elapsedMs) => Math.min(lastWindow, Math.floor(elapsedMs / (WINDOW_S * 1_000)));
  const bucket = (index) => {
    while (windows.length <= index) {
      windows.push({ index: windows.length, ...Object.fromEntries(MIX.map((m) => [m.key, { latencies: [], errors: 0 }])) });
    }
    return windows[index];
  };
  const runs = MIX.map((m) => {
    const instance = autocannon({
      url: services[m.service].url + m.path,
      connections: m.connections,
      overallRate: m.rate,
      duration: seconds,
      timeout: 10,
      workers: 0,
      // Latencies below are the measured ones, per response: autocannon's correction for
      // coordinated omission at a fixed rate adds synthetic samples 1 ms apart, which is not this load.
      ignoreCoordinatedOmission: true,
    });
    if (windows) {
      instance.on('response', (_client, statusCode, _bytes, responseTime) => {
        const w = bucket(windowOf(Date.now() - t0))[m.key];
        w.latencies.push(responseTime);
        if (statusCode < 200 || statusCode >= 300) w.errors++;
      });
      instance.on('reqError', () => {
        bucket(windowOf(Date.now() - t0))[m.key].errors++;
      });
    }
    return new Promise((resolve, reject) => {
      instance.on('done', resolve);
      instance.on('error', reject);
    }).then((result) => ({ m, result }));
  });
  // RSS at the end of every window, while the load runs.
  let tick = 0;
  const rssTimer = windows
    ? setInterval(() => {
        const w = bucket(Math.min(lastWindow, tick++));
        w.rss = { test: isAlive(services.test) ? rssMb(services.test.pid) : NaN, agent: isAlive(services.agent) ? rssMb(services.agent.pid) : NaN };
        if (args['diagnose-heap']) for (const s of [services.test, services.agent]) if (isAlive(s)) s.child.kill('SIGUSR2');
      }, WINDOW_S * 1_000)
    : null;
  const results = await Promise.all(runs);
  if (rssTimer) clearInterval(rssTimer);
  return results;
}

async function main() {
  const machine = `${cpus().length} cores, ${round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  console.log(`soak: ${DURATION_S} s of steady load after ${WARMUP_S} s of warm-up; ${machine}`);
  console.log(`mix: ${MIX.map((m) => `${m.label} ${m.rate} req/s over ${m.connections} connections`).join('; ')}`);

  const diagnose = args['diagnose-heap'] ? { NODE_OPTIONS: `--expose-gc --require ${new URL('../hostile/gc-probe.cjs', import.meta.url).pathname}` } : {};
  const test = await startService('monitor-test', MONITOR_TEST, diagnose);
  const agent = await startService('monitor-agent', MONITOR_AGENT, { ...diagnose, SERVICE_NAME: '127.0.0.1', APP_PORT: String(test.port) });
  test.key = 'test';
  agent.key = 'agent';
  const services = { test, agent };
  try {
    await waitReady(test);
    await waitReady(agent);

    if (WARMUP_S > 0) await runMix(services, WARMUP_S, null);
    const start = { test: rssMb(test.pid), agent: rssMb(agent.pid) };
    console.log(`RSS at start (after warm-up): monitor-test ${round(start.test)} MB, monitor-agent ${round(start.agent)} MB`);

    const windows = [];
    const results = await runMix(services, DURATION_S, windows);
    const end = { test: isAlive(test) ? rssMb(test.pid) : NaN, agent: isAlive(agent) ? rssMb(agent.pid) : NaN };
    if (windows.length && !windows.at(-1).rss) windows.at(-1).rss = end;

    // Per-window table.
    const header = `| window | ${MIX.map((m) => `${m.label} req / p99 ms / errors`).join(' | ')} | RSS monitor-test MB | RSS agent MB |`;
    console.log(`\n${header}\n|${' --- |'.repeat(MIX.length + 3)}`);
    const windowRows = [];
    for (const w of windows) {
      const cells = MIX.map((m) => {
        const sorted = w[m.key].latencies.sort((a, b) => a - b);
        return { requests: sorted.length, p99: percentile(sorted, 99), errors: w[m.key].errors };
      });
      const from = w.index * WINDOW_S;
      const to = Math.min(DURATION_S, from + WINDOW_S);
      windowRows.push({ from, to, cells, rss: w.rss });
      console.log(
        `| ${from}-${to} s | ${cells.map((c) => `${c.requests} / ${round(c.p99)} / ${c.errors}`).join(' | ')} | ${w.rss ? round(w.rss.test) : '-'} | ${w.rss ? round(w.rss.agent) : '-'} |`,
      );
    }

    // Totals from autocannon itself.
    let errors = 0;
    const totals = results.map(({ m, result }) => {
      const e = result.errors + result.timeouts + result.non2xx;
      errors += e;
      const all = windows.flatMap((w) => w[m.key].latencies).sort((a, b) => a - b);
      return { target: m.label, requests: result.requests.total, rps: round(result.requests.total / DURATION_S), p50: round(percentile(all, 50)), p99: round(percentile(all, 99)), max: round(all.at(-1)), errors: e, timeouts: result.timeouts, non2xx: result.non2xx };
    });
    console.log('\n| target | requests | req/s | p50 ms | p99 ms | max ms | errors |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const t of totals) console.log(`| ${t.target} | ${t.requests} | ${t.rps} | ${t.p50} | ${t.p99} | ${t.max} | ${t.errors} |`);

    const growth = {
      test: ((end.test - start.test) / start.test) * 100,
      agent: ((end.agent - start.agent) / start.agent) * 100,
    };
    const failures = [];
    if (errors > 0) failures.push(`${errors} failed requests`);
    for (const s of [test, agent]) {
      if (!isAlive(s)) failures.push(`${s.name} died (exit ${JSON.stringify(s.exit)}); last output: ${s.output().slice(-1_000)}`);
      else if (!(growth[s.key] <= MAX_RSS_GROWTH_PCT)) failures.push(`${s.name} RSS grew ${round(growth[s.key])}% (> ${MAX_RSS_GROWTH_PCT}%)`);
    }
    console.log(`\nRSS monitor-test: start ${round(start.test)} MB, end ${round(end.test)} MB (${growth.test >= 0 ? '+' : ''}${round(growth.test)}%)`);
    console.log(`RSS monitor-agent: start ${round(start.agent)} MB, end ${round(end.agent)} MB (${growth.agent >= 0 ? '+' : ''}${round(growth.agent)}%)`);
    console.log(`errors: ${errors}`);
    if (args['diagnose-heap']) {
      for (const s of [test, agent]) {
        console.log(`${s.name} heap after full GC, per window (MiB):\n  ${s.output().split('\n').filter((l) => l.startsWith('GCPROBE')).join('\n  ')}`);
      }
    }

    const report = { machine, at: new Date().toISOString(), durationS: DURATION_S, warmupS: WARMUP_S, mix: MIX, windows: windowRows, totals, rss: { start, end, growthPct: growth }, errors, failures };
    mkdirSync(dirname(args.json), { recursive: true });
    writeFileSync(args.json, JSON.stringify(report, null, 2) + '\n');

    console.log(failures.length ? `SOAK FAILED: ${failures.join('; ')}` : `SOAK PASSED: 0 errors, RSS growth ${round(growth.test)}% / ${round(growth.agent)}% (limit ${MAX_RSS_GROWTH_PCT}%)`);
    process.exitCode = failures.length ? 1 : 0;
  } finally {
    await Promise.all([stopService(agent), stopService(test)]);
  }
}

await main();
