// dredd hooks of the contract tests (loaded by dredd, run by api-docs/scripts/contract.mjs).
//
// A blueprint documents several responses per action (the 404 of an unknown application, the
// agent's 503 when monitor-test is down ...). dredd sends the same request for all of them, so
// these hooks set up each case: another URL, another service instance, a fault in the fake
// upstream, a SIGTERM. They also check what a JSON Schema cannot: the metric's invariants, its key
// order and pretty printing, PNG images, and /docs serving exactly the rendered document.
//
// Every case is keyed on what the blueprint says (path, status, and the `failure` an upstream
// failure documents), never on example numbers, so reordering the document keeps them right. A case
// that matches no transaction fails the run (see afterAll), so this table cannot go stale silently.
const hooks = require('hooks');
const fs = require('node:fs');
const http = require('node:http');

const ctx = JSON.parse(fs.readFileSync(process.env.CONTRACT_CONTEXT, 'utf8'));
const used = new Set();
const executed = [];

function expectedJson(t) {
  try {
    return t.expected.body ? JSON.parse(t.expected.body) : undefined;
  } catch {
    return undefined;
  }
}

function controlUpstream(mode, stubUrl = ctx.stubUrl) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${stubUrl}/__contract/mode/${mode}`, { method: 'POST' }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 204 ? resolve() : reject(new Error(`stub answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rewrite = (t, path) => {
  t.fullPath = path;
  t.request.uri = path; // so that dredd's report shows the URL really requested
};
const redirect = (t, port) => {
  t.host = '127.0.0.1';
  t.port = String(port);
};
/** The mock (scripts/mock.mjs) serves the documented example of this status (and request name) on request. */
const preferExample = (t, example) => {
  t.request.headers.Prefer = `status=${t.expected.statusCode}${example ? `, example="${example}"` : ''}`;
};
/** Calls the admin API of the monitor-test instance started with ADMIN_TOKEN (ctx.securedPort). */
async function adminPut(changes) {
  const res = await fetch(`http://127.0.0.1:${ctx.securedPort}/admin/faults`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${ctx.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(changes),
  });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`PUT /admin/faults answered ${res.status} ${body}`);
}

/** The cases. `match` sees the transaction; `setup` prepares it (may be async). */
const CASES = [
  {
    id: 'monitor-test: unknown application -> 404',
    match: (t) => ctx.doc === 'monitor-test' && t.origin.resourceName === 'Metric of one application' && t.expected.statusCode === '404',
    setup: (t) => {
      rewrite(t, '/metrics/no-such-app');
    },
  },
  {
    id: 'monitor-test: readiness while draining after SIGTERM -> 503',
    match: (t) =>
      ctx.doc === 'monitor-test' && t.fullPath === '/readyz' && t.expected.statusCode === '503' &&
      (expectedJson(t) || {}).status === 'shutting_down',
    setup: async (t) => {
      if (ctx.mock) {
        // The mock (scripts/mock.mjs) serves a documented example on request.
        t.request.headers.Prefer = 'status=503';
        return;
      }
      process.kill(ctx.drainPid, 'SIGTERM');
      await sleep(500);
      redirect(t, ctx.drainPort);
    },
  },
  {
    id: 'monitor-test: readiness switched off through the admin API -> 503',
    match: (t) =>
      ctx.doc === 'monitor-test' && t.fullPath === '/readyz' && t.expected.statusCode === '503' &&
      (expectedJson(t) || {}).status === 'error',
    setup: async (t) => {
      if (ctx.mock) return preferExample(t, 'Readiness switched off');
      await adminPut({ ready: false });
      redirect(t, ctx.securedPort);
    },
    // The secured instance serves other cases: make it ready again.
    teardown: async () => {
      if (!ctx.mock) await adminPut({ ready: true });
    },
  },
  {
    id: 'monitor-test: metrics without the bearer token (API_TOKEN set) -> 401',
    match: (t) => ctx.doc === 'monitor-test' && /^\/metrics(\/|$)/.test(t.fullPath) && t.expected.statusCode === '401',
    setup: (t) => {
      if (ctx.mock) return preferExample(t);
      delete t.request.headers.Authorization;
      redirect(t, ctx.securedPort);
    },
  },
  {
    id: 'monitor-test: metrics with FAULT_ERROR_RATE=1 -> 500',
    match: (t) => ctx.doc === 'monitor-test' && t.fullPath === '/metrics' && t.expected.statusCode === '500',
    setup: (t) => {
      if (ctx.mock) return preferExample(t);
      redirect(t, ctx.faultyPort);
    },
  },
  {
    id: 'monitor-test: admin API (ADMIN_TOKEN set) -> 200, 202, 400, 401',
    match: (t) => ctx.doc === 'monitor-test' && t.fullPath.startsWith('/admin/') && t.expected.statusCode !== '404',
    setup: (t) => {
      if (ctx.mock) return preferExample(t);
      redirect(t, ctx.securedPort);
    },
  },
  {
    id: 'monitor-test: admin API disabled (ADMIN_TOKEN unset) -> 404',
    match: (t) => ctx.doc === 'monitor-test' && t.fullPath.startsWith('/admin/') && t.expected.statusCode === '404',
    setup: (t) => {
      // The main instance runs without ADMIN_TOKEN: nothing to prepare.
      if (ctx.mock) preferExample(t);
    },
  },
  ...['unreachable', 'timeout', 'bad-status', 'invalid-body'].map((failure) => ({
    id: `monitor-agent: chart while monitor-test is ${failure} -> ${failure === 'unreachable' || failure === 'timeout' ? 503 : 502}`,
    match: (t) =>
      ctx.doc === 'monitor-agent' &&
      t.fullPath === '/k8s-app-monitor-agent' &&
      /^5/.test(t.expected.statusCode) &&
      (expectedJson(t) || {}).failure === failure,
    setup: async (t) => {
      await controlUpstream(failure);
      redirect(t, ctx.faultyAgentPort);
    },
  })),
  {
    id: 'monitor-agent: chart while the circuit breaker is open -> 503',
    match: (t) =>
      ctx.doc === 'monitor-agent' && t.fullPath === '/k8s-app-monitor-agent' && t.expected.statusCode === '503' &&
      (expectedJson(t) || {}).failure === 'circuit-open',
    setup: async (t) => {
      // An agent with UPSTREAM_BREAKER_THRESHOLD=1 and a 10-minute half-open delay: one failed call opens it.
      await controlUpstream('bad-status', ctx.breakerStubUrl);
      const first = await fetch(`http://127.0.0.1:${ctx.breakerAgentPort}/k8s-app-monitor-agent`);
      await first.arrayBuffer();
      if (first.status !== 502 && first.status !== 503) throw new Error(`the call meant to open the breaker answered ${first.status}`);
      redirect(t, ctx.breakerAgentPort);
    },
  },
  {
    id: 'monitor-agent: history chart while too many charts are drawn -> 503',
    match: (t) => ctx.doc === 'monitor-agent' && t.fullPath.startsWith('/charts/history.png') && t.expected.statusCode === '503',
    setup: async (t) => {
      // 40 charts with different windows at once on an agent of its own: 2 draw, 16 wait, the rest
      // are refused. Once one is refused the queue is full, and stays so while the first (large)
      // drawings last; the documented request, with yet other parameters, is then refused too.
      const base = `http://127.0.0.1:${ctx.busyAgentPort}/charts/history.png`;
      let refused;
      const full = new Promise((resolve) => (refused = resolve));
      for (let i = 0; i < 40; i++) {
        fetch(`${base}?window=${1000 + i}&width=2000&height=2000`)
          .then(async (res) => {
            await res.arrayBuffer();
            if (res.status === 503) refused();
          })
          .catch(() => undefined);
      }
      let timer;
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('40 concurrent charts never filled the render queue')), 5000);
      });
      await Promise.race([full, timeout]).finally(() => clearTimeout(timer));
      rewrite(t, '/charts/history.png?window=86400&width=1999&height=1999');
      redirect(t, ctx.busyAgentPort);
    },
  },
  {
    id: 'monitor-agent: the dashboard icon -> 200',
    match: (t) =>
      ctx.doc === 'monitor-agent' && t.fullPath.startsWith('/assets/') && t.expected.statusCode === '200' &&
      /^image\/svg\+xml/.test(t.expected.headers['Content-Type'] || ''),
    setup: (t) => {
      rewrite(t, '/assets/favicon.svg');
    },
  },
  {
    id: 'monitor-agent: history with a bad since -> 400',
    match: (t) =>
      ctx.doc === 'monitor-agent' && t.fullPath.startsWith('/api/metrics/history') && t.expected.statusCode === '400' &&
      (expectedJson(t) || {}).parameter === 'since',
    setup: (t) => {
      rewrite(t, '/api/metrics/history?since=yesterday');
    },
  },
  {
    id: 'monitor-agent: dashboard revalidated with its ETag -> 304',
    match: (t) => ctx.doc === 'monitor-agent' && t.fullPath === '/' && t.expected.statusCode === '304',
    setup: async (t) => {
      const res = await fetch(`http://${t.host}:${t.port}/`);
      await res.arrayBuffer();
      const etag = res.headers.get('etag');
      if (!etag) throw new Error('GET / sent no ETag');
      t.request.headers['If-None-Match'] = etag;
    },
  },
  {
    id: 'monitor-agent: unknown dashboard file -> 404',
    match: (t) => ctx.doc === 'monitor-agent' && t.fullPath.startsWith('/assets/') && t.expected.statusCode === '404',
    setup: (t) => {
      rewrite(t, '/assets/no-such-file.js');
    },
  },
  {
    id: 'monitor-agent: history with a bad limit -> 400',
    match: (t) =>
      ctx.doc === 'monitor-agent' && t.fullPath.startsWith('/api/metrics/history') && t.expected.statusCode === '400' &&
      (expectedJson(t) || {}).parameter !== 'since',
    setup: (t) => {
      rewrite(t, '/api/metrics/history?limit=0');
    },
  },
  {
    id: 'monitor-agent: history chart with a bad width -> 400',
    match: (t) => ctx.doc === 'monitor-agent' && t.fullPath.startsWith('/charts/history.png') && t.expected.statusCode === '400',
    setup: (t) => {
      rewrite(t, '/charts/history.png?width=10');
    },
  },
  {
    id: 'monitor-agent: readiness while draining after SIGTERM -> 503',
    match: (t) =>
      ctx.doc === 'monitor-agent' && t.fullPath === '/readyz' && t.expected.statusCode === '503' &&
      (expectedJson(t) || {}).status === 'shutting_down',
    setup: async (t) => {
      process.kill(ctx.drainPid, 'SIGTERM');
      await sleep(500);
      redirect(t, ctx.drainPort);
    },
  },
  {
    id: 'monitor-agent: readiness while monitor-test is down -> 503',
    match: (t) =>
      ctx.doc === 'monitor-agent' && t.fullPath === '/readyz' && t.expected.statusCode === '503' &&
      (expectedJson(t) || {}).status === 'error',
    setup: async (t) => {
      await controlUpstream('unreachable');
      redirect(t, ctx.faultyAgentPort);
    },
  },
];

hooks.beforeEach((t, done) => {
  // dredd skips nothing in a blueprint by default; make sure nothing is.
  t.skip = false;
  const matches = CASES.filter((c) => c.match(t));
  if (matches.length > 1) {
    t.fail = `several hook cases match: ${matches.map((c) => c.id).join(', ')}`;
    return done();
  }
  if (matches.length === 0) return done();
  used.add(matches[0].id);
  t.contractCase = matches[0].id;
  Promise.resolve(matches[0].setup(t)).then(
    () => done(),
    (error) => {
      t.fail = `setting up "${matches[0].id}" failed: ${error.message}`;
      done();
    },
  );
});

// ---- checks beyond the JSON Schema ---------------------------------------------------------------

const PERFORMANCE_KEYS = ['failRatio', 'failAmount', 'accessAmount', 'maxConcurrent', 'minLatency', 'avgLatency', 'maxLatency'];
const METRIC_KEYS = ['performance_index', 'host', 'app_name', 'domain'];

function prettyProblems(body) {
  try {
    return body === JSON.stringify(JSON.parse(body), null, 2) + '\n' ? [] : ['body is not 2-space pretty JSON ending with a newline'];
  } catch (e) {
    return [`body is not JSON: ${e.message}`];
  }
}

/** The documented invariants of a Metric; returns the broken ones. */
function metricProblems(body) {
  const problems = prettyProblems(body);
  if (problems.length) return problems;
  const m = JSON.parse(body);
  if (!m || typeof m !== 'object') return [...problems, 'body is not an object'];
  if (Object.keys(m).join() !== METRIC_KEYS.join()) problems.push(`keys are [${Object.keys(m)}], documented [${METRIC_KEYS}]`);
  return [...problems, ...performanceProblems(m.performance_index || {})];
}

/** The documented invariants of a PerformanceIndex (key order, ranges, relations). */
function performanceProblems(p, where = 'performance_index') {
  const problems = [];
  if (Object.keys(p).join() !== PERFORMANCE_KEYS.join()) {
    problems.push(`${where} keys are [${Object.keys(p)}], documented [${PERFORMANCE_KEYS}]`);
  }
  for (const key of PERFORMANCE_KEYS.slice(1)) {
    if (!Number.isInteger(p[key]) || p[key] < 0 || p[key] > 99) problems.push(`${key}=${p[key]} is not an integer 0..99`);
  }
  if (!(typeof p.failRatio === 'number' && p.failRatio >= 0 && p.failRatio < 1)) problems.push(`failRatio=${p.failRatio} not in [0,1)`);
  if (p.failAmount > p.accessAmount) problems.push('failAmount > accessAmount');
  if (p.accessAmount > 0 && p.failAmount === p.accessAmount) problems.push('failAmount == accessAmount > 0');
  const ratio = p.accessAmount === 0 ? 0 : p.failAmount / p.accessAmount;
  if (Math.abs(p.failRatio - ratio) > 1e-9) problems.push(`failRatio=${p.failRatio} != failAmount/accessAmount=${ratio}`);
  if (p.maxConcurrent > p.accessAmount) problems.push('maxConcurrent > accessAmount');
  if (!(p.minLatency <= p.avgLatency && p.avgLatency <= p.maxLatency)) problems.push('not minLatency <= avgLatency <= maxLatency');
  return problems.map((problem) => (problem.startsWith(where) ? problem : `${where}: ${problem}`));
}

/** The agent's JSON API: pretty JSON, and every full sample in it keeps the metric's invariants. */
function agentApiProblems(path, body) {
  const problems = prettyProblems(body);
  if (problems.length) return problems;
  const json = JSON.parse(body);
  if (path.startsWith('/api/metrics/latest')) {
    (json.hosts || []).forEach((h, i) => problems.push(...performanceProblems(h.performance_index || {}, `hosts[${i}].performance_index`)));
  }
  if (path.startsWith('/api/metrics/history') && (json.fields || []).join() === PERFORMANCE_KEYS.join()) {
    (json.series || []).forEach((s, i) =>
      (s.points || []).forEach((point, j) => {
        const { time, ...p } = point;
        if (Number.isNaN(Date.parse(time))) problems.push(`series[${i}].points[${j}].time is not a date`);
        problems.push(...performanceProblems(p, `series[${i}].points[${j}]`));
      }),
    );
  }
  return problems;
}

/** What each service's /prometheus must expose (the names the blueprints list). */
const PROMETHEUS_NAMES = {
  'monitor-test': ['http_requests_total', 'monitor_test_samples_generated_total'],
  'monitor-agent': [
    'http_requests_total', 'monitor_agent_polls_total', 'monitor_agent_upstream_fetch_duration_seconds',
    'monitor_agent_chart_render_duration_seconds',
  ],
};
const PROMETHEUS_LINE = /^(#( (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*)?|[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? \S+( -?\d+)?)$/;

/** The Prometheus text exposition format 0.0.4, with the documented metric families. */
function prometheusProblems(body) {
  const text = String(body || '');
  const problems = [];
  if (!text.endsWith('\n')) problems.push('exposition does not end with a newline');
  const bad = text.split('\n').filter((line) => line !== '' && !PROMETHEUS_LINE.test(line));
  if (bad.length) problems.push(`${bad.length} lines are not in the text format, e.g. ${JSON.stringify(bad[0])}`);
  for (const name of PROMETHEUS_NAMES[ctx.doc] || []) {
    if (!new RegExp(`^# TYPE ${name} `, 'm').test(text)) problems.push(`no metric family ${name}`);
  }
  return problems;
}

/** Response headers whose documented value is checked too (dredd checks their presence only). */
const EXACT_HEADERS = ['www-authenticate', 'retry-after', 'cache-control'];

function pngProblems(body, bodyEncoding, path) {
  const query = new URL(path, 'http://x').searchParams;
  const want = { width: Number(query.get('width') || 1024), height: Number(query.get('height') || 512) };
  const buf = Buffer.from(body || '', bodyEncoding === 'base64' ? 'base64' : 'binary');
  const problems = [];
  if (buf.length < 24 || buf.toString('hex', 0, 8) !== '89504e470d0a1a0a') return ['body is not a PNG'];
  if (buf.toString('ascii', 12, 16) !== 'IHDR') problems.push('PNG has no IHDR chunk first');
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  if (width !== want.width || height !== want.height) problems.push(`PNG is ${width}x${height}, expected ${want.width}x${want.height}`);
  return problems;
}

hooks.beforeEachValidation((t) => {
  const real = t.real || {};
  const status = String(real.statusCode);
  const type = String((real.headers || {})['content-type'] || '');
  const problems = [];
  const isMetric = (ctx.doc === 'monitor-test' || ctx.doc === 'original') &&
    /^\/metrics(\/|$)/.test(t.fullPath) && status === '200';
  if (isMetric) problems.push(...metricProblems(real.body));
  if (ctx.doc === 'monitor-test' && /^\/metrics\//.test(t.fullPath) && status === '404' &&
      real.body !== '"Could not find metric in repository"\n') {
    problems.push(`404 body is ${JSON.stringify(real.body)}, documented "\\"Could not find metric in repository\\"\\n"`);
  }
  if (ctx.doc === 'monitor-test' && /^\/metrics(\/|$)/.test(t.fullPath) && status === '500') problems.push(...prettyProblems(real.body));
  // dredd (gavel) only checks that a documented header is present; these must also have the documented value.
  for (const [name, value] of Object.entries(t.expected.headers || {})) {
    if (!EXACT_HEADERS.includes(name.toLowerCase())) continue;
    const got = (real.headers || {})[name.toLowerCase()];
    if (got !== value) problems.push(`header ${name} is ${JSON.stringify(got)}, documented ${JSON.stringify(value)}`);
  }
  if (t.fullPath === '/prometheus' && status === '200') problems.push(...prometheusProblems(real.body));
  if (status === '200' && type.startsWith('image/png')) problems.push(...pngProblems(real.body, real.bodyEncoding, t.fullPath));
  if (ctx.doc === 'monitor-agent' && t.fullPath.startsWith('/api/') && status === '200') problems.push(...agentApiProblems(t.fullPath, real.body));
  if (t.fullPath === '/docs' && status === '200' && ctx.docsHtml) {
    if (real.body !== fs.readFileSync(ctx.docsHtml, 'utf8')) problems.push(`GET /docs does not serve ${ctx.docsHtml}`);
  }
  if (t.fullPath === '/docs/api.apib' && status === '200' && ctx.blueprint) {
    if (real.body !== fs.readFileSync(ctx.blueprint, 'utf8')) problems.push(`GET /docs/api.apib does not serve ${ctx.blueprint}`);
  }
  if (problems.length) t.fail = problems.join('; ');
});

hooks.afterEach((t, done) => {
  executed.push({
    name: t.name,
    action: t.origin.actionName,
    status: t.expected.statusCode,
    skipped: Boolean(t.skip),
    result: t.test ? t.test.status : 'unknown',
    case: t.contractCase || null,
  });
  const c = CASES.find((x) => x.id === t.contractCase);
  if (!c || !c.teardown) return done();
  Promise.resolve(c.teardown(t)).then(
    () => done(),
    (error) => {
      console.error(`tearing down "${c.id}" failed: ${error.message}`);
      done();
    },
  );
});

hooks.afterAll((transactions, done) => {
  // Every case written for this document must have matched one of its transactions.
  const unused = CASES.filter((c) => c.id.startsWith(`${ctx.doc}:`) && !used.has(c.id));
  fs.writeFileSync(ctx.reportFile, JSON.stringify({ executed, unusedCases: unused.map((c) => c.id) }, null, 2));
  done();
});
