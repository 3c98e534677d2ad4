#!/usr/bin/env node
// `npm run bench`: measures the built services on this machine and reports ratios against a
// bare node:http baseline measured in the same run (shared machines are noisy; ratios travel).
// Loopback only. Usage: node tools/bench/bench.mjs [--duration 10] [--json dist/bench/results.json]
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    json: { type: 'string', default: 'dist/bench/results.json' },
  },
});
const DURATION_S = Number(args.duration);
const CONNECTIONS = 32;
/**
 * Idle RSS is read after this long without requests: V8's memory reducer returns the start-up
 * garbage to the OS only after several seconds of low allocation (measured here: ~90 MB at 1 s,
 * ~75 MB from 7 s on for monitor-test).
 */
const IDLE_SETTLE_MS = 10_000;
const HISTORY_CHART = '/charts/history.png?metric=avgLatency&width=800&height=400';

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function start(script, env) {
  const port = await freePort();
  const startedAt = process.hrtime.bigint();
  const child = spawn(process.execPath, [script], {
    env: { PATH: process.env.PATH, SHUTDOWN_DELAY_MS: '0', ...env, PORT: String(port) },
    // Logs go to /dev/null: the cost of producing them is measured, not that of a terminal.
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  return { child, port, url, startedAt };
}

async function waitReady(service, path = '/readyz', timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(service.url + path)).status === 200) {
        return Number(process.hrtime.bigint() - service.startedAt) / 1e6;
      }
    } catch {
      // not yet listening
    }
    await sleep(5);
  }
  throw new Error(`${service.url}${path} not ready after ${timeoutMs} ms`);
}

async function stop(service) {
  if (service.child.exitCode !== null) return;
  const exited = new Promise((resolve) => service.child.on('exit', resolve));
  service.child.kill('SIGINT');
  await exited;
}

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

async function load(url, connections, duration = DURATION_S) {
  const result = await autocannon({ url, connections, duration, workers: 0 });
  const errors = result.errors + result.timeouts + result.non2xx;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors,
  };
}

const round = (n, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function main() {
  const results = { machine: `${cpus().length} cores, ${round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`, at: new Date().toISOString() };

  // Start-up time to ready and idle RSS, for each service on its own.
  const test = await start('dist/apps/monitor-test/main.js', { LOG_LEVEL: 'info' });
  results.monitorTestReadyMs = round(await waitReady(test));
  await sleep(IDLE_SETTLE_MS);
  results.monitorTestIdleRssMb = round(rssMb(test.child.pid));
  const sample = await fetch(`${test.url}/metrics`);
  const body = await sample.text();
  // Every header monitor-test sends, but those node:http adds itself or that differ per response.
  const headers = Object.fromEntries(
    [...sample.headers].filter(([name]) => !['date', 'connection', 'keep-alive', 'content-length', 'x-request-id'].includes(name)),
  );

  const agent = await start('dist/apps/monitor-agent/main.js', {
    LOG_LEVEL: 'info',
    SERVICE_NAME: '127.0.0.1',
    APP_PORT: String(test.port),
  });
  results.monitorAgentReadyMs = round(await waitReady(agent));
  // Idle: the poller runs (every 2 s), nothing else.
  await sleep(IDLE_SETTLE_MS);
  results.monitorAgentIdleRssMb = round(rssMb(agent.child.pid));

  // Charts: latency at concurrency 1 (a person), throughput and p99 at concurrency 8 (a class).
  await load(`${agent.url}/k8s-app-monitor-agent`, 1, 2); // warm-up: fonts, canvas
  results.chartC1 = await load(`${agent.url}/k8s-app-monitor-agent`, 1);
  results.chartC8 = await load(`${agent.url}/k8s-app-monitor-agent`, 8);
  // The history chart: a dashboard's image, cached by data version (new data every poll).
  results.historyChartC8 = await load(`${agent.url}${HISTORY_CHART}`, 8);
  await stop(agent);
  await stop(test);

  // /metrics against the bare baseline, interleaved, baseline measured before and after.
  const runs = [
    ['baselineBefore', 'tools/bench/bare-server.mjs', { BODY: body, HEADERS: JSON.stringify(headers) }],
    ['metricsDefault', 'dist/apps/monitor-test/main.js', { LOG_LEVEL: 'info' }],
    ['metricsNoAccessLog', 'dist/apps/monitor-test/main.js', { LOG_LEVEL: 'warn' }],
    ['baselineAfter', 'tools/bench/bare-server.mjs', { BODY: body, HEADERS: JSON.stringify(headers) }],
    // The same body with only a content-type: fewer header bytes for the client to parse.
    ['baselineBodyOnly', 'tools/bench/bare-server.mjs', { BODY: body, HEADERS: JSON.stringify({ 'content-type': 'application/json' }) }],
  ];
  for (const [name, script, env] of runs) {
    const service = await start(script, env);
    await waitReady(service, script.includes('bare') ? '/' : '/readyz');
    await load(`${service.url}/metrics`, CONNECTIONS, 2); // warm-up (JIT)
    results[name] = await load(`${service.url}/metrics`, CONNECTIONS);
    await stop(service);
  }
  const baseline = (results.baselineBefore.rps + results.baselineAfter.rps) / 2;
  results.ratioDefault = round(results.metricsDefault.rps / baseline, 2);
  results.ratioNoAccessLog = round(results.metricsNoAccessLog.rps / baseline, 2);
  results.ratioDefaultBodyOnly = round(results.metricsDefault.rps / results.baselineBodyOnly.rps, 2);
  results.ratioNoAccessLogBodyOnly = round(results.metricsNoAccessLog.rps / results.baselineBodyOnly.rps, 2);

  mkdirSync(dirname(args.json), { recursive: true });
  writeFileSync(args.json, JSON.stringify(results, null, 2) + '\n');
  printReport(results, baseline);
}

function printReport(r, baseline) {
  const row = (name, m) => `| ${name} | ${Math.round(m.rps)} | ${m.p50} | ${m.p99} | ${m.errors} |`;
  console.log(`
Machine: ${r.machine}; ${DURATION_S} s per run, autocannon in-process (one thread).

| run | req/s | p50 ms | p99 ms | errors |
| --- | ---: | ---: | ---: | ---: |
${row(`bare node:http, same body and headers, c=${CONNECTIONS} (before)`, r.baselineBefore)}
${row(`monitor-test /metrics, access log on (default), c=${CONNECTIONS}`, r.metricsDefault)}
${row(`monitor-test /metrics, LOG_LEVEL=warn, c=${CONNECTIONS}`, r.metricsNoAccessLog)}
${row(`bare node:http, same body and headers, c=${CONNECTIONS} (after)`, r.baselineAfter)}
${row(`bare node:http, same body, content-type only, c=${CONNECTIONS}`, r.baselineBodyOnly)}
${row('agent chart /k8s-app-monitor-agent, c=1', r.chartC1)}
${row('agent chart /k8s-app-monitor-agent, c=8', r.chartC8)}
${row(`agent history chart ${HISTORY_CHART}, c=8`, r.historyChartC8)}

| measure | value | target |
| --- | ---: | ---: |
| /metrics vs bare node:http, same response (mean baseline ${Math.round(baseline)} req/s), access log on | ${r.ratioDefault}x | >= 0.4x |
| /metrics vs bare node:http, same response, LOG_LEVEL=warn | ${r.ratioNoAccessLog}x | >= 0.6x |
| /metrics vs bare node:http, same body only, access log on | ${r.ratioDefaultBodyOnly}x | (reference) |
| /metrics vs bare node:http, same body only, LOG_LEVEL=warn | ${r.ratioNoAccessLogBodyOnly}x | (reference) |
| chart p50 at c=1 | ${r.chartC1.p50} ms | <= 40 ms |
| start-up to /readyz 200, monitor-test | ${r.monitorTestReadyMs} ms | <= 1000 ms |
| start-up to /readyz 200, monitor-agent | ${r.monitorAgentReadyMs} ms | <= 1000 ms |
| idle RSS after ${IDLE_SETTLE_MS / 1000} s idle, monitor-test | ${r.monitorTestIdleRssMb} MB | <= 80 MB |
| idle RSS after ${IDLE_SETTLE_MS / 1000} s idle, monitor-agent | ${r.monitorAgentIdleRssMb} MB | <= 120 MB |
`);
}

await main();
