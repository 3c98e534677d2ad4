#!/usr/bin/env node
/**
 * Container test (npm run test:container, after ../shared/tools/container-runtime.sh prepared podman).
 * Builds both images from the one Dockerfile, unchanged, with `podman build --pull=never --format
 * docker`, runs them with the restrictions of the Kubernetes securityContext (read-only root with a
 * tmpfs /tmp, no capabilities, no-new-privileges, uid 1000) and asserts:
 *   - the images: USER node, HEALTHCHECK, EXPOSE, no compilers, no dev dependencies, size on top of
 *     the base image (reported, and held under a budget);
 *   - both containers become healthy (the probe paths of k8s/base and the image HEALTHCHECK);
 *   - the agent in one container charts data fetched from the test service in the other (a
 *     1024x512 PNG), and its readiness follows the test service's availability;
 *   - the process is uid 1000 with no effective capabilities and no_new_privs, the root fs is read-only;
 *   - SIGTERM: readiness turns 503 while the service keeps serving for SHUTDOWN_DELAY_MS, then it
 *     exits 0 within a few seconds after that;
 *   - memory and CPU use under a small load (reported; k8s requests/limits come from these numbers).
 * Podman here has host networking only: each container gets its own free loopback port via PORT.
 * Prints `N passed, N failed`; exits 1 on any failure.
 *
 * Env: SKIP_BUILD=1 reuses existing images (IMAGE_TAG, default: short git SHA); KEEP_IMAGES=1 keeps
 * this repo's images of other commits (removed by default, with dangling build layers).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TAG =
  process.env.IMAGE_TAG ||
  execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
    cwd: ROOT,
    encoding: 'utf8',
  }).trim();
const BASE_IMAGE = 'docker.io/library/node:20-bookworm-slim';
const SHUTDOWN_DELAY_MS = 5000; // the services' default, and what k8s/base sets
// Budgets for what each image adds on top of the base: production node_modules (~58 MB), the
// bundle, and for the agent the cairo/pango/rsvg run-time libraries and a font (~85 MB installed,
// a third of it libicu for librsvg's libxml2). Raising one is a decision.
const SIZE_BUDGET_MB = { 'monitor-test': 100, 'monitor-agent': 200 };
const run = `cm-${process.pid}`;

let passed = 0;
let failed = 0;
const started = [];
function report(ok, name, detail = '') {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
  return ok;
}
function podman(args, opts = {}) {
  const res = spawnSync('podman', args, {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    ...opts,
  });
  if (res.error) throw new Error(`podman ${args[0]}: ${res.error.message}`);
  return {
    code: res.status,
    out: (res.stdout ?? '').trim(),
    err: (res.stderr ?? '').trim(),
  };
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}
async function get(url, timeoutMs = 3000) {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const body = Buffer.from(await r.arrayBuffer());
    return {
      status: r.status,
      type: r.headers.get('content-type') ?? '',
      body,
    };
  } catch (error) {
    return { status: 0, error: error.message, body: Buffer.alloc(0), type: '' };
  }
}
async function waitFor(fn, timeoutMs, intervalMs = 250) {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return { ok: true, ms: Date.now() - t0, value: v };
    if (Date.now() - t0 > timeoutMs) return { ok: false, ms: Date.now() - t0 };
    await sleep(intervalMs);
  }
}
function procStatus(ctr) {
  const r = podman(['exec', ctr, 'cat', '/proc/1/status']);
  const field = (k) =>
    new RegExp(`^${k}:\\s*(.*)$`, 'm').exec(r.out)?.[1]?.trim();
  return {
    uid: field('Uid'),
    gid: field('Gid'),
    capEff: field('CapEff'),
    noNewPrivs: field('NoNewPrivs'),
    rssKb: parseInt(field('VmRSS'), 10),
    hwmKb: parseInt(field('VmHWM'), 10),
  };
}
function cpuSeconds(ctr) {
  // utime + stime of PID 1, in clock ticks (100/s on Linux)
  const r = podman(['exec', ctr, 'cat', '/proc/1/stat']);
  const fields = r.out.slice(r.out.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
function parseMi(q) {
  const m = /^(\d+)(Mi|Gi)$/.exec(String(q));
  return m ? Number(m[1]) * (m[2] === 'Gi' ? 1024 : 1) : NaN;
}
function pngSize(buf) {
  const sig = buf.subarray(0, 8).toString('hex') === '89504e470d0a1a0a';
  return sig
    ? { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) }
    : null;
}

/** The configuration Kubernetes gives the agent (k8s/base ConfigMap) and the probes of k8s/base. */
function baseManifests() {
  const yaml = execFileSync('kubectl', ['kustomize', join(ROOT, 'k8s/base')], {
    encoding: 'utf8',
  });
  const objects = parseAllDocuments(yaml).map((d) => d.toJS());
  const agentConfig = objects.find(
    (o) =>
      o.kind === 'ConfigMap' &&
      o.metadata.name.startsWith('k8s-app-monitor-agent'),
  ).data;
  const probes = {};
  const resources = {};
  const scrapePaths = {};
  for (const d of objects.filter((o) => o.kind === 'Deployment')) {
    const c = d.spec.template.spec.containers[0];
    probes[d.metadata.name] = [
      'startupProbe',
      'livenessProbe',
      'readinessProbe',
    ].map((p) => [p, c[p].httpGet.path]);
    resources[d.metadata.name] = c.resources;
    scrapePaths[d.metadata.name] =
      d.spec.template.metadata.annotations?.['prometheus.io/path'];
  }
  return { agentConfig, probes, resources, scrapePaths };
}

function runContainer(name, image, env, extra = []) {
  const args = [
    'run',
    '-d',
    '--name',
    name,
    ...extra,
    // the Kubernetes securityContext, translated: readOnlyRootFilesystem + emptyDir /tmp,
    // capabilities drop ALL, allowPrivilegeEscalation false, runAsUser/runAsGroup 1000
    '--read-only',
    '--tmpfs',
    '/tmp:rw,nosuid,nodev,size=32m,mode=1777',
    '--cap-drop',
    'ALL',
    '--security-opt',
    'no-new-privileges',
    '--user',
    '1000:1000',
    ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    image,
  ];
  const r = podman(args);
  if (r.code === 0) started.push(name);
  return r;
}
function cleanup() {
  for (const name of started) podman(['rm', '-f', '-t', '0', name]);
}
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));

async function sigterm(name, port, kind, probePathOk) {
  // Readiness turns 503 at once while the service keeps serving, then the process exits 0.
  const t0 = Date.now();
  podman(['kill', '--signal', 'TERM', name]);
  const during = await waitFor(
    async () => (await get(`http://127.0.0.1:${port}/readyz`)).status === 503,
    2000,
    100,
  );
  report(
    during.ok,
    `${kind}: readiness 503 right after SIGTERM`,
    during.ok ? `after ${during.ms} ms` : 'still not 503',
  );
  const live = await get(`http://127.0.0.1:${port}${probePathOk}`);
  report(
    live.status === 200,
    `${kind}: still serving during SHUTDOWN_DELAY_MS`,
    `GET ${probePathOk} -> ${live.status}`,
  );
  const w = podman(['wait', name], { timeout: SHUTDOWN_DELAY_MS + 15000 });
  const elapsed = Date.now() - t0;
  const last = w.out.split('\n').pop();
  const exit = w.code === 0 && /^\d+$/.test(last) ? Number(last) : NaN;
  report(
    exit === 0,
    `${kind}: exit code 0 after SIGTERM`,
    `exit ${w.out || w.err}`,
  );
  report(
    elapsed >= SHUTDOWN_DELAY_MS - 500 && elapsed <= SHUTDOWN_DELAY_MS + 3000,
    `${kind}: stops within SHUTDOWN_DELAY_MS + 3 s`,
    `${(elapsed / 1000).toFixed(1)} s (delay ${SHUTDOWN_DELAY_MS / 1000} s)`,
  );
}

async function main() {
  const v = podman(['--version']);
  if (v.code !== 0)
    throw new Error(
      'podman is not installed: run ../shared/tools/container-runtime.sh first',
    );
  if (podman(['image', 'exists', BASE_IMAGE]).code !== 0)
    throw new Error(
      `${BASE_IMAGE} is missing: run ../shared/tools/container-runtime.sh first`,
    );

  const images = {
    'monitor-test': `localhost/k8s-app-monitor-test:${TAG}`,
    'monitor-agent': `localhost/k8s-app-monitor-agent:${TAG}`,
  };

  // ---- build -------------------------------------------------------------------------------
  for (const [app, image] of Object.entries(images)) {
    if (process.env.SKIP_BUILD) {
      report(
        podman(['image', 'exists', image]).code === 0,
        `image ${image} exists (SKIP_BUILD)`,
      );
      continue;
    }
    const t0 = Date.now();
    const b = podman([
      'build',
      '--pull=never',
      '--format',
      'docker',
      '--build-arg',
      `APP=${app}`,
      '-t',
      image,
      '-t',
      image.replace(/:[^:]+$/, ':dev'),
      ROOT,
    ]);
    report(
      b.code === 0,
      `build ${image}`,
      b.code === 0
        ? `${Math.round((Date.now() - t0) / 1000)} s`
        : b.err.split('\n').slice(-15).join('\n'),
    );
  }

  if (!process.env.SKIP_BUILD) {
    // Name the (fully cached) build stage, so pruning dangling layers below keeps the apt, npm ci
    // and docs layers for the next run.
    podman([
      'build',
      '--pull=never',
      '--format',
      'docker',
      '--target',
      'build',
      '--build-arg',
      'APP=monitor-agent',
      '-t',
      'localhost/k8s-app-monitor-buildcache:latest',
      ROOT,
    ]);
  }
  for (const image of Object.values(images)) {
    if (podman(['image', 'exists', image]).code !== 0)
      throw new Error(
        `image ${image} was not built; nothing else can be tested`,
      );
  }

  // ---- image metadata ----------------------------------------------------------------------
  const baseSize = Number(
    podman(['image', 'inspect', '--format', '{{.Size}}', BASE_IMAGE]).out,
  );
  for (const [app, image] of Object.entries(images)) {
    const inspect = podman(['image', 'inspect', image]);
    if (inspect.code !== 0) {
      report(false, `${app}: image inspect`, inspect.err);
      continue;
    }
    const info = JSON.parse(inspect.out)[0];
    const cfg = info.Config ?? {};
    const port = app === 'monitor-test' ? '3000/tcp' : '8888/tcp';
    report(cfg.User === 'node', `${app}: USER node`, `User=${cfg.User}`);
    const hc = info.Healthcheck ?? cfg.Healthcheck;
    report(
      Boolean(hc?.Test?.join(' ').includes('/healthz')),
      `${app}: HEALTHCHECK on /healthz`,
      JSON.stringify(hc?.Test ?? null).slice(0, 120),
    );
    report(
      Object.keys(cfg.ExposedPorts ?? {}).join(',') === port,
      `${app}: EXPOSE ${port}`,
      Object.keys(cfg.ExposedPorts ?? {}).join(','),
    );
    const added = (info.Size - baseSize) / 1e6;
    report(
      added > 0 && added <= SIZE_BUDGET_MB[app],
      `${app}: image size`,
      `${(info.Size / 1e6).toFixed(0)} MB, adds ${added.toFixed(0)} MB on top of node:20-bookworm-slim (budget ${SIZE_BUDGET_MB[app]} MB)`,
    );
    const tools = podman([
      'run',
      '--rm',
      '--user',
      '1000:1000',
      '--entrypoint',
      'sh',
      image,
      '-c',
      'for t in gcc g++ make python3 cc pkg-config curl; do command -v $t; done; ls node_modules/nx/package.json node_modules/webpack/package.json node_modules/jest/package.json node_modules/typescript/package.json node_modules/@nx/*/package.json node_modules/@types/jest/package.json 2>/dev/null; true',
    ]);
    report(
      tools.code === 0 && tools.out === '',
      `${app}: no build tools or dev dependencies in the image`,
      tools.out.replace(/\n/g, ' ') || 'none found',
    );
  }

  // ---- run both ----------------------------------------------------------------------------
  const { agentConfig, probes, resources, scrapePaths } = baseManifests();
  const testPort = await freePort();
  const agentPort = await freePort();
  const test = `${run}-monitor-test`;
  const agent = `${run}-monitor-agent`;
  let r = runContainer(test, images['monitor-test'], {
    PORT: testPort,
    HOSTNAME: 'monitor-test',
    LOG_LEVEL: 'warn',
  });
  report(
    r.code === 0,
    'monitor-test: container starts with the restricted settings',
    r.code === 0 ? `container ${r.out.slice(0, 12)}` : r.err,
  );
  // The agent gets the ConfigMap Kubernetes gives it, SERVICE_NAME=k8s-app-monitor-test included
  // (resolved through the container's /etc/hosts as cluster DNS would resolve the Service), except
  // the port: podman has host networking only here, so monitor-test listens on a free port.
  r = runContainer(
    agent,
    images['monitor-agent'],
    {
      ...agentConfig,
      LOG_LEVEL: 'warn',
      PORT: agentPort,
      APP_PORT: testPort,
      XDG_CACHE_HOME: '/tmp/.cache',
    },
    [`--add-host=${agentConfig.SERVICE_NAME}:127.0.0.1`],
  );
  report(
    r.code === 0,
    'monitor-agent: container starts with the restricted settings',
    r.code === 0 ? `container ${r.out.slice(0, 12)}` : r.err,
  );
  if (started.length < 2)
    throw new Error('a container did not start; nothing else can be tested');

  for (const [kind, ctr, port] of [
    ['monitor-test', test, testPort],
    ['monitor-agent', agent, agentPort],
  ]) {
    const h = await waitFor(
      async () =>
        (await get(`http://127.0.0.1:${port}/healthz`)).status === 200,
      30000,
    );
    report(
      h.ok,
      `${kind}: /healthz 200`,
      h.ok
        ? `after ${h.ms} ms`
        : `not healthy in 30 s; logs: ${podman(['logs', '--tail', '5', ctr]).err}`,
    );
    const ready = await waitFor(
      async () => (await get(`http://127.0.0.1:${port}/readyz`)).status === 200,
      20000,
    );
    report(
      ready.ok,
      `${kind}: /readyz 200`,
      ready.ok ? `after ${ready.ms} ms` : 'not ready in 20 s',
    );
    const hc = podman(['healthcheck', 'run', ctr]);
    report(
      hc.code === 0,
      `${kind}: image HEALTHCHECK passes (podman healthcheck run)`,
      hc.code === 0 ? 'healthy' : `${hc.out} ${hc.err}`,
    );
    // Every probe path that k8s/base configures must be served by the real image.
    for (const [probe, path] of probes[
      `k8s-app-monitor-${kind.replace('monitor-', '')}`
    ] ?? []) {
      const res = await get(`http://127.0.0.1:${port}${path}`);
      report(
        [200, 503].includes(res.status),
        `${kind}: k8s ${probe} path ${path} is served`,
        `${res.status}`,
      );
    }
  }

  // ---- the agent charts the test service's data --------------------------------------------
  const chart = await get(
    `http://127.0.0.1:${agentPort}/k8s-app-monitor-agent`,
    10000,
  );
  const size = pngSize(chart.body);
  report(
    chart.status === 200 &&
      chart.type.startsWith('image/png') &&
      size?.width === 1024 &&
      size?.height === 512,
    'agent charts monitor-test data: GET /k8s-app-monitor-agent is a 1024x512 PNG',
    `${chart.status} ${chart.type} ${size ? `${size.width}x${size.height}` : (chart.error ?? chart.body.subarray(0, 80).toString())}`,
  );
  // With the Kubernetes ConfigMap's BASE_PATH, the JSON API and the dashboard live under the
  // ingress path; the API shows the samples the agent polled from the other container.
  const base = `http://127.0.0.1:${agentPort}${agentConfig.BASE_PATH ?? ''}`;
  const latest = await waitFor(async () => {
    const res = await get(`${base}/api/metrics/latest`);
    try {
      const hosts = JSON.parse(res.body.toString()).hosts ?? [];
      return res.status === 200 &&
        hosts.some((h) => h.host === 'monitor-test' && h.performance_index)
        ? hosts
        : null;
    } catch {
      return null;
    }
  }, 10000);
  report(
    latest.ok,
    `agent polls monitor-test: GET ${agentConfig.BASE_PATH ?? ''}/api/metrics/latest lists host monitor-test`,
    latest.ok
      ? `after ${latest.ms} ms`
      : 'no sample from monitor-test within 10 s',
  );
  const page = await get(`${base}/`);
  report(
    page.status === 200 && page.type.startsWith('text/html'),
    `agent dashboard at ${agentConfig.BASE_PATH ?? ''}/`,
    `${page.status} ${page.type}`,
  );
  // The rendered API Blueprint of each service ships in its image (./api-docs beside main.js).
  for (const [kind, url] of [
    ['monitor-test', `http://127.0.0.1:${testPort}/docs`],
    ['monitor-agent', `${base}/docs`],
  ]) {
    const docs = await get(url);
    report(
      docs.status === 200 &&
        docs.type.startsWith('text/html') &&
        docs.body.length > 1000,
      `${kind}: API docs at ${new URL(url).pathname}`,
      `${docs.status} ${docs.type} ${docs.body.length} bytes`,
    );
  }
  // The path the pods' prometheus.io/path annotation names is the services' Prometheus endpoint.
  for (const [kind, port] of [
    ['monitor-test', testPort],
    ['monitor-agent', agentPort],
  ]) {
    const path =
      scrapePaths[`k8s-app-monitor-${kind.replace('monitor-', '')}`] ??
      '/metrics';
    const prom = await get(`http://127.0.0.1:${port}${path}`);
    report(
      prom.status === 200 && prom.body.toString().includes('# HELP'),
      `${kind}: Prometheus scrape path ${path} (k8s annotation) answers`,
      `${prom.status} ${prom.type}`,
    );
  }
  const metric = await get(`http://127.0.0.1:${testPort}/metrics`);
  let host = null;
  try {
    host = JSON.parse(metric.body.toString()).host;
  } catch {
    /* reported below */
  }
  report(
    metric.status === 200 && host === 'monitor-test',
    'monitor-test: GET /metrics reports HOSTNAME as host',
    `${metric.status} host=${host}`,
  );

  // ---- the restrictions hold inside -------------------------------------------------------
  for (const [kind, ctr] of [
    ['monitor-test', test],
    ['monitor-agent', agent],
  ]) {
    const st = procStatus(ctr);
    report(
      st.uid?.split(/\s+/)[0] === '1000' && st.gid?.split(/\s+/)[0] === '1000',
      `${kind}: PID 1 runs as uid/gid 1000, not root`,
      `Uid ${st.uid} / Gid ${st.gid}`,
    );
    report(
      /^0+$/.test(st.capEff ?? 'x') && st.noNewPrivs === '1',
      `${kind}: no effective capabilities, no_new_privs`,
      `CapEff ${st.capEff}, NoNewPrivs ${st.noNewPrivs}`,
    );
    const w = podman([
      'exec',
      ctr,
      'sh',
      '-c',
      'touch /app/x 2>&1 || echo read-only',
    ]);
    report(
      w.out.includes('read-only') || /Read-only/i.test(w.out),
      `${kind}: root filesystem is read-only`,
      w.out.split('\n').pop(),
    );
  }

  // ---- idle for 10 s (the agent keeps polling every POLL_INTERVAL_MS), then a small load ------
  const idle0 = { test: cpuSeconds(test), agent: cpuSeconds(agent) };
  await sleep(10000);
  const idle = { test: procStatus(test), agent: procStatus(agent) };
  const idleCpu = {
    test: cpuSeconds(test) - idle0.test,
    agent: cpuSeconds(agent) - idle0.agent,
  };
  console.log('measured idle (10 s; the agent polls monitor-test every 2 s):');
  for (const k of ['test', 'agent'])
    console.log(
      `  monitor-${k}: RSS ${(idle[k].rssKb / 1024).toFixed(0)} MiB, CPU ${((idleCpu[k] * 1000) / 10).toFixed(0)}m`,
    );
  const cpu0 = { test: cpuSeconds(test), agent: cpuSeconds(agent) };
  const t0 = Date.now();
  const loadUntil = Date.now() + 10000;
  let nMetrics = 0;
  let nCharts = 0;
  const loop = async (fn) => {
    while (Date.now() < loadUntil) await fn();
  };
  await Promise.all([
    loop(async () => {
      await get(`http://127.0.0.1:${testPort}/metrics`);
      nMetrics++;
    }),
    loop(async () => {
      await get(`http://127.0.0.1:${agentPort}/k8s-app-monitor-agent`, 10000);
      nCharts++;
    }),
  ]);
  const secs = (Date.now() - t0) / 1000;
  const cpu1 = { test: cpuSeconds(test), agent: cpuSeconds(agent) };
  const mt = procStatus(test);
  const ma = procStatus(agent);
  const line = (k, s, c) =>
    `${k}: RSS ${(s.rssKb / 1024).toFixed(0)} MiB (peak ${(s.hwmKb / 1024).toFixed(0)} MiB), CPU ${((c * 1000) / secs).toFixed(0)}m`;
  console.log(
    `measured under load (${secs.toFixed(0)} s, ${nMetrics} /metrics + ${nCharts} charts, one client each):`,
  );
  console.log(`  ${line('monitor-test', mt, cpu1.test - cpu0.test)}`);
  console.log(
    `  ${line('monitor-agent', ma, cpu1.agent - cpu0.agent)} (includes its 2 s polling of monitor-test)`,
  );
  // The Kubernetes memory limits (k8s/base) must leave headroom above the measured peak.
  for (const [kind, st] of [
    ['monitor-test', mt],
    ['monitor-agent', ma],
  ]) {
    const limit = parseMi(
      resources[`k8s-app-monitor-${kind.replace('monitor-', '')}`].limits
        .memory,
    );
    const request = parseMi(
      resources[`k8s-app-monitor-${kind.replace('monitor-', '')}`].requests
        .memory,
    );
    const peak = st.hwmKb / 1024;
    const idleRss = idle[kind.replace('monitor-', '')].rssKb / 1024;
    report(
      peak < limit * 0.75,
      `${kind}: peak RSS below 75% of the k8s memory limit`,
      `${peak.toFixed(0)} MiB of ${limit} Mi`,
    );
    report(
      idleRss <= request,
      `${kind}: idle RSS within the k8s memory request`,
      `${idleRss.toFixed(0)} MiB of ${request} Mi`,
    );
  }

  // ---- SIGTERM, and the agent's readiness follows its upstream -------------------------------
  await sigterm(test, testPort, 'monitor-test', '/metrics');
  const down = await waitFor(
    async () =>
      (await get(`http://127.0.0.1:${agentPort}/readyz`)).status === 503,
    15000,
  );
  report(
    down.ok,
    'monitor-agent: /readyz 503 once monitor-test is gone',
    down.ok ? `after ${down.ms} ms` : 'still ready 15 s later',
  );
  const stillLive = await get(`http://127.0.0.1:${agentPort}/healthz`);
  const running =
    podman(['inspect', '--format', '{{.State.Running}}', agent]).out === 'true';
  report(
    stillLive.status === 200 && running,
    'monitor-agent: keeps running without its upstream (liveness 200)',
    `healthz ${stillLive.status}, running ${running}`,
  );
  await sigterm(agent, agentPort, 'monitor-agent', '/healthz');
}

/**
 * Every commit builds two ~600 MB images; keep the machine's storage bounded: drop this repo's
 * images of other commits (tags other than the current SHA and `dev`) and dangling build layers.
 */
function pruneOldImages() {
  const list = podman([
    'images',
    '--format',
    '{{.Repository}}:{{.Tag}}',
  ]).out.split('\n');
  const stale = list.filter(
    (ref) =>
      /^localhost\/k8s-app-monitor-(test|agent):/.test(ref) &&
      !ref.endsWith(`:${TAG}`) &&
      !ref.endsWith(':dev'),
  );
  if (stale.length) podman(['rmi', ...stale]);
  podman(['image', 'prune', '-f']);
}

main()
  .catch((error) => report(false, 'container test', error.message))
  .finally(() => {
    cleanup();
    if (!process.env.KEEP_IMAGES) pruneOldImages();
    started.length = 0;
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  });
