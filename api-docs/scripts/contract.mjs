#!/usr/bin/env node
// `npm run test:contract`: dredd replays every blueprint against the BUILT services.
//
//  monitor-test   api-docs/monitor-test.apib against dist/apps/monitor-test/main.js (+ a second
//                 instance that the hooks SIGTERM to see readiness fail while it drains, + one with
//                 API_TOKEN and ADMIN_TOKEN for the 401s, the admin API and readiness switched off,
//                 + one with FAULT_ERROR_RATE=1 for the injected 500)
//  monitor-agent  api-docs/monitor-agent.apib against dist/apps/monitor-agent/main.js fed by the
//                 real monitor-test (+ a second agent fed by a fake upstream that the hooks make
//                 refuse connections, hang, answer 500 or answer garbage, + a third that the hooks
//                 SIGTERM to see readiness fail while it drains, + one whose circuit breaker opens at
//                 the first failure, + one that a hook floods with chart renders until it answers 503)
//  original       api-docs/fixtures/original-monitor-test.apib (the 2017 document, verbatim) with
//                 stock dredd, no hooks, against monitor-test started with the app name it requests
//  coverage       every response each of our blueprints documents was exercised (dredd itself only
//                 compiles the first response of a request), none skipped
//  mock           scripts/mock.mjs must pass monitor-test.apib itself, and the built agent must work
//                 against it alone (chart, readiness, history)
//  drift          the contract must FAIL when a field is renamed, in the service (a copy of the
//                 built monitor-test whose `failAmount` is renamed `failCount`) or in the blueprint
//
// Usage: node api-docs/scripts/contract.mjs [--no-build] [--only NAME[,NAME...]]
//   --no-build  use dist/ as it is (the Nx target builds first through dependsOn)
// Exits non-zero on any failure; the last line is `N passed, N failed`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import {
  API_DOCS, DIST, ROOT, bin, blueprintPath, ensureDeps, freePort, parseBlueprint, startService, stopService,
} from './lib.mjs';

const args = process.argv.slice(2);
const noBuild = args.includes('--no-build');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? new Set(args[onlyIndex + 1].split(',')) : null;
const wanted = (name) => !only || only.has(name);

const MAIN = {
  'monitor-test': join(ROOT, 'dist', 'apps', 'monitor-test', 'main.js'),
  'monitor-agent': join(ROOT, 'dist', 'apps', 'monitor-agent', 'main.js'),
};
const ORIGINAL = join(API_DOCS, 'fixtures', 'original-monitor-test.apib');
const WORK = join(DIST, 'contract');
const HOOKS = join(API_DOCS, 'scripts', 'hooks.cjs');

const checks = []; // { name, passed, failed, note }
function check(name, passed, failed, note = '') {
  checks.push({ name, passed, failed, note });
  console.log(`${failed ? 'FAIL' : 'ok  '} ${name}: ${passed} passed, ${failed} failed${note ? ` (${note})` : ''}`);
}

// ---- prerequisites ---------------------------------------------------------------------------------
ensureDeps();
rmSync(WORK, { recursive: true, force: true });
mkdirSync(WORK, { recursive: true });
const run = (cmd, argv, opts = {}) => spawnSync(cmd, argv, { cwd: ROOT, stdio: 'inherit', ...opts });
if (run(process.execPath, [join(API_DOCS, 'scripts', 'docs.mjs')]).status !== 0) {
  console.error('contract: rendering the docs failed');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
if (!noBuild) {
  const nx = run('npx', ['nx', 'run-many', '-t', 'build', '-p', 'monitor-test', 'monitor-agent', '--output-style=static'], {
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  if (nx.status !== 0) {
    console.error('contract: building the services failed');
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}
for (const [service, main] of Object.entries(MAIN)) {
  if (!existsSync(main)) {
    console.error(`contract: ${main} is missing; build ${service} first (npx nx build ${service})`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

// ---- dredd -----------------------------------------------------------------------------------------
/** Runs the dredd CLI; returns its counts, exit code and output. */
function dredd(label, blueprint, url, { context, extraArgs = [] } = {}) {
  const argv = [bin('dredd', 'bin/dredd'), blueprint, url, '--color=false', '--loglevel=warning', ...extraArgs];
  const env = { ...process.env };
  if (context) {
    const contextFile = join(WORK, `${label}.context.json`);
    writeFileSync(contextFile, JSON.stringify(context, null, 2));
    env.CONTRACT_CONTEXT = contextFile;
    argv.push(`--hookfiles=${HOOKS}`);
  }
  console.log(`\n=== dredd ${label}: ${blueprint.slice(ROOT.length + 1)} against ${url}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, argv, { cwd: ROOT, env });
    let output = '';
    const echo = (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    };
    child.stdout.on('data', echo);
    child.stderr.on('data', echo);
    child.on('exit', (code) => {
      const m = /complete: (\d+) passing, (\d+) failing, (\d+) errors, (\d+) skipped, (\d+) total/.exec(output);
      const counts = m
        ? { passing: +m[1], failing: +m[2], errors: +m[3], skipped: +m[4], total: +m[5] }
        : { passing: 0, failing: 0, errors: 1, skipped: 0, total: 0 };
      resolve({ code, output, ...counts });
    });
  });
}

function recordDredd(label, r) {
  const failed = r.failing + r.errors + r.skipped + (r.code !== 0 && r.failing + r.errors === 0 ? 1 : 0);
  check(`dredd ${label}`, r.passing, failed, `${r.total} transactions, ${r.skipped} skipped, exit ${r.code}`);
}

/** Every documented (action, status) must have been executed, not skipped, and no hook case unused. */
async function coverage(label, blueprint, reportFile) {
  const { documented } = await parseBlueprint(readFileSync(blueprint, 'utf8'), blueprint);
  let report = { executed: [], unusedCases: ['(no report: the hooks did not run)'] };
  if (existsSync(reportFile)) report = JSON.parse(readFileSync(reportFile, 'utf8'));
  const remaining = [...report.executed.filter((e) => !e.skipped)];
  const missing = [];
  for (const doc of documented) {
    const i = remaining.findIndex((e) => e.action === doc.action && e.status === doc.status);
    if (i >= 0) remaining.splice(i, 1);
    else missing.push(`${doc.method} ${doc.resource} ${doc.status} (${doc.action})`);
  }
  const problems = [...missing.map((m) => `not exercised: ${m}`), ...report.unusedCases.map((c) => `hook case matched nothing: ${c}`)];
  for (const p of problems) console.log(`  ${p}`);
  const codes = [...new Set(documented.map((d) => d.status))].sort().join(', ');
  check(`coverage ${label}`, documented.length - missing.length, problems.length, `${documented.length} documented responses, codes ${codes}`);
}

// ---- fake upstream for the agent's failure cases -------------------------------------------------
async function startFakeUpstream() {
  const metric = {
    performance_index: { failRatio: 0.0625, failAmount: 3, accessAmount: 48, maxConcurrent: 12, minLatency: 21, avgLatency: 37, maxLatency: 68 },
    host: 'fake-upstream', app_name: 'test-app', domain: 'test-domain',
  };
  const port = await freePort();
  const sockets = new Set();
  const held = new Set();
  let mode = 'ok';
  const upstream = createServer((req, res) => {
    if (mode === 'timeout') return held.add(res); // never answers; the agent must give up
    if (mode === 'bad-status') return res.writeHead(500, { 'content-type': 'application/json' }).end('"boom"\n');
    if (mode === 'invalid-body') return res.writeHead(200, { 'content-type': 'application/json' }).end('this is not JSON\n');
    if (req.url === '/healthz') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}\n');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(metric, null, 2) + '\n');
  });
  upstream.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const listen = () => new Promise((r) => (upstream.listening ? r() : upstream.listen(port, '127.0.0.1', r)));
  const unlisten = () =>
    new Promise((r) => {
      for (const s of sockets) s.destroy();
      if (upstream.listening) upstream.close(() => r());
      else r();
    });
  await listen();
  const control = createServer(async (req, res) => {
    const m = /^\/__contract\/mode\/([a-z-]+)$/.exec(req.url || '');
    if (req.method !== 'POST' || !m) return res.writeHead(404).end();
    for (const r of held) r.destroy();
    held.clear();
    mode = m[1];
    // unreachable: nothing listens on the port, so connections are refused (ECONNREFUSED)
    if (mode === 'unreachable') await unlisten();
    else await listen();
    res.writeHead(204).end();
  });
  const controlPort = await freePort();
  await new Promise((r) => control.listen(controlPort, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${port}`,
    controlUrl: `http://127.0.0.1:${controlPort}`,
    close: async () => {
      for (const r of held) r.destroy();
      await unlisten();
      await new Promise((r) => control.close(r));
    },
  };
}

// ---- the runs --------------------------------------------------------------------------------------
const started = [];
const start = async (opts) => {
  const service = await startService({ ...opts, port: await freePort() });
  started.push(service);
  return service;
};
let fake;
let breakerUpstream;
let driftMain;

try {
  if (wanted('monitor-test')) {
    const mt = await start({ name: 'monitor-test', main: MAIN['monitor-test'], env: { HOSTNAME: 'contract-monitor-test' } });
    const drain = await start({
      name: 'monitor-test-draining', main: MAIN['monitor-test'], env: { HOSTNAME: 'contract-draining', SHUTDOWN_DELAY_MS: '30000' },
    });
    // The tokens are the blueprint's examples, so its requests carry the right ones as written.
    const secured = await start({
      name: 'monitor-test-secured', main: MAIN['monitor-test'],
      env: { HOSTNAME: 'contract-secured', API_TOKEN: 'api-token-example', ADMIN_TOKEN: 'admin-token-example' },
    });
    const faulty = await start({
      name: 'monitor-test-faulty', main: MAIN['monitor-test'], env: { HOSTNAME: 'contract-faulty', FAULT_ERROR_RATE: '1' },
    });
    const reportFile = join(WORK, 'monitor-test.report.json');
    const r = await dredd('monitor-test', blueprintPath('monitor-test'), mt.url, {
      context: {
        doc: 'monitor-test', reportFile, drainPid: drain.pid, drainPort: drain.port,
        securedPort: secured.port, adminToken: 'admin-token-example', faultyPort: faulty.port,
        docsHtml: join(DIST, 'monitor-test.html'), blueprint: blueprintPath('monitor-test'),
      },
    });
    recordDredd('monitor-test', r);
    await coverage('monitor-test', blueprintPath('monitor-test'), reportFile);
  }

  if (wanted('monitor-agent')) {
    const mt = await start({ name: 'monitor-test-for-agent', main: MAIN['monitor-test'], env: { HOSTNAME: 'contract-upstream' } });
    fake = await startFakeUpstream();
    const agent = await start({ name: 'monitor-agent', main: MAIN['monitor-agent'], env: { MONITOR_TEST_URL: mt.url } });
    const faulty = await start({
      name: 'monitor-agent-faulty-upstream', main: MAIN['monitor-agent'],
      // Each failure is exercised as such: a breaker opened by the previous cases would answer
      // `circuit-open` to all of them, and background polls would add failures of their own.
      env: { MONITOR_TEST_URL: fake.url, UPSTREAM_TIMEOUT_MS: '500', UPSTREAM_BREAKER_THRESHOLD: '1000', POLL_INTERVAL_MS: '3600000' },
    });
    const drain = await start({
      name: 'monitor-agent-draining', main: MAIN['monitor-agent'], env: { MONITOR_TEST_URL: mt.url, SHUTDOWN_DELAY_MS: '30000' },
    });
    // The breaker opens at the first failure and stays open for the whole run; its own fake upstream.
    breakerUpstream = await startFakeUpstream();
    const breaker = await start({
      name: 'monitor-agent-breaker', main: MAIN['monitor-agent'],
      env: {
        MONITOR_TEST_URL: breakerUpstream.url, UPSTREAM_BREAKER_THRESHOLD: '1', UPSTREAM_BREAKER_HALF_OPEN_MS: '600000',
        POLL_INTERVAL_MS: '3600000',
      },
    });
    // Flooded with chart renders by a hook until its render queue is full.
    const busy = await start({ name: 'monitor-agent-busy-charts', main: MAIN['monitor-agent'], env: { MONITOR_TEST_URL: mt.url } });
    const reportFile = join(WORK, 'monitor-agent.report.json');
    const r = await dredd('monitor-agent', blueprintPath('monitor-agent'), agent.url, {
      context: {
        doc: 'monitor-agent', reportFile, faultyAgentPort: faulty.port, stubUrl: fake.controlUrl,
        drainPid: drain.pid, drainPort: drain.port,
        breakerAgentPort: breaker.port, breakerStubUrl: breakerUpstream.controlUrl, busyAgentPort: busy.port,
        docsHtml: join(DIST, 'monitor-agent.html'), blueprint: blueprintPath('monitor-agent'),
      },
    });
    recordDredd('monitor-agent', r);
    await coverage('monitor-agent', blueprintPath('monitor-agent'), reportFile);
  }

  if (wanted('original')) {
    // The 2017 document's parameter example keeps its quotes: dredd asks for
    // /metrics/%22Gateway_quota_request%22, i.e. the app name "Gateway_quota_request" WITH quotes.
    const original = await start({
      name: 'monitor-test-original-app-name', main: MAIN['monitor-test'],
      env: { APP_NAME: '"Gateway_quota_request"', DOMAIN: 'Datamarket', HOSTNAME: '172.22.9.4' },
    });
    const r = await dredd('original', ORIGINAL, original.url);
    recordDredd('original (2017 blueprint, stock dredd)', r);
    const { documented, transactions } = await parseBlueprint(readFileSync(ORIGINAL, 'utf8'), ORIGINAL);
    console.log(
      `  note: the 2017 document has ${documented.length} responses; dredd compiles ${transactions.length} ` +
        '(only the first response of a request): its "404 page not found" example is not replayed.',
    );
  }

  if (wanted('mock')) {
    // The mock must honour the document it serves, and the agent must work against it alone.
    const mock = await start({ name: 'mock-monitor-test', main: join(API_DOCS, 'scripts', 'mock.mjs'), env: {} });
    const reportFile = join(WORK, 'mock.report.json');
    const r = await dredd('mock', blueprintPath('monitor-test'), mock.url, {
      context: {
        doc: 'monitor-test', mock: true, reportFile,
        docsHtml: join(DIST, 'monitor-test.html'), blueprint: blueprintPath('monitor-test'),
      },
    });
    recordDredd('mock:monitor-test against monitor-test.apib', r);
    await coverage('mock', blueprintPath('monitor-test'), reportFile);

    const agent = await start({
      name: 'monitor-agent-on-mock', main: MAIN['monitor-agent'], env: { MONITOR_TEST_URL: mock.url, POLL_INTERVAL_MS: '200' },
    });
    const problems = [];
    const chart = await fetch(`${agent.url}/k8s-app-monitor-agent`);
    const png = Buffer.from(await chart.arrayBuffer());
    if (chart.status !== 200 || png.toString('hex', 0, 8) !== '89504e470d0a1a0a') problems.push(`chart: ${chart.status} ${chart.headers.get('content-type')}`);
    else if (png.readUInt32BE(16) !== 1024 || png.readUInt32BE(20) !== 512) problems.push('chart is not 1024x512');
    const ready = await fetch(`${agent.url}/readyz`);
    await ready.arrayBuffer();
    if (ready.status !== 200) problems.push(`readyz: ${ready.status}`);
    let latest = '';
    for (let i = 0; i < 25 && !latest.includes('k8s-app-monitor-test-5d9c7b8f6-x2k9q'); i++) {
      await new Promise((res) => setTimeout(res, 200));
      latest = await (await fetch(`${agent.url}/api/metrics/latest`)).text();
    }
    if (!latest.includes('k8s-app-monitor-test-5d9c7b8f6-x2k9q')) problems.push('the agent never showed the documented example host');
    for (const p of problems) console.log(`  ${p}`);
    check('monitor-agent against mock:monitor-test (chart, readiness, history)', 3 - Math.min(3, problems.length), problems.length);
  }

  if (wanted('drift')) {
    // The transactions that carry a metric: the ones a renamed field must break.
    const { transactions } = await parseBlueprint(readFileSync(blueprintPath('monitor-test'), 'utf8'));
    const metricNames = transactions
      .filter((t) => t.response.status === '200' && /^\/metrics/.test(t.request.uri))
      .map((t) => t.name.replace(/^[^>]+ > /, ''));
    const onlyArgs = metricNames.map((n) => `--only=${n}`);

    // 0. Baseline: the same selection passes against the real service, so a failure below is the rename's.
    const mt = started.find((s) => s.name === 'monitor-test' && s.child.exitCode === null) ||
      (await start({ name: 'monitor-test-for-drift', main: MAIN['monitor-test'], env: {} }));
    const r0 = await dredd('drift-baseline', blueprintPath('monitor-test'), mt.url, { extraArgs: onlyArgs });
    check('drift baseline: metric transactions pass against the real service', r0.passing, r0.code === 0 && r0.passing > 0 ? 0 : 1);

    // 1. The service renames a field: a copy of the built monitor-test with failAmount -> failCount.
    const bundle = readFileSync(MAIN['monitor-test'], 'utf8');
    const renamed = bundle.split('failAmount').length - 1;
    driftMain = join(ROOT, 'dist', 'apps', 'monitor-test', 'main.drift-failCount.js');
    writeFileSync(driftMain, bundle.replaceAll('failAmount', 'failCount'));
    const drifted = await start({ name: 'monitor-test-drift', main: driftMain, env: { HOSTNAME: 'contract-drift' } });
    const probe = await (await fetch(`${drifted.url}/metrics`)).text();
    const served = probe.includes('"failCount"') && !probe.includes('"failAmount"');
    const r1 = await dredd('drift-service', blueprintPath('monitor-test'), drifted.url, { extraArgs: onlyArgs });
    const caught1 = served && r1.code !== 0 && r1.failing > 0 && /Missing required property: failAmount/.test(r1.output);
    check(
      'drift: service renames failAmount -> failCount, contract must fail',
      caught1 ? 1 : 0,
      caught1 ? 0 : 1,
      `${renamed} occurrences renamed in the bundle; it served failCount: ${served}; dredd exit ${r1.code}, ${r1.failing} failing`,
    );

    // 2. The blueprint renames a field, the service does not.
    const docCopy = join(WORK, 'monitor-test.drift-failCount.apib');
    const doc = readFileSync(blueprintPath('monitor-test'), 'utf8');
    writeFileSync(docCopy, doc.replace('+ failAmount: 3 (number, required)', '+ failCount: 3 (number, required)'));
    const r2 = await dredd('drift-blueprint', docCopy, mt.url, { extraArgs: onlyArgs });
    const caught2 = r2.code !== 0 && r2.failing > 0 && /Missing required property: failCount/.test(r2.output);
    check(
      'drift: blueprint renames failAmount -> failCount, contract must fail',
      caught2 ? 1 : 0,
      caught2 ? 0 : 1,
      `dredd exit ${r2.code}, ${r2.failing} failing`,
    );
  }
} catch (error) {
  check('contract run', 0, 1, error.message);
} finally {
  for (const service of started) await stopService(service);
  if (fake) await fake.close();
  if (breakerUpstream) await breakerUpstream.close();
  if (driftMain) rmSync(driftMain, { force: true });
}

const passed = checks.reduce((n, c) => n + c.passed, 0);
const failed = checks.reduce((n, c) => n + c.failed, 0);
console.log('\n=== contract summary');
for (const c of checks) console.log(`${c.failed ? 'FAIL' : 'ok  '} ${c.name}: ${c.passed} passed, ${c.failed} failed`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
