#!/usr/bin/env node
// `npm run test:hostile` (issue 6): a generated suite of malformed and hostile HTTP requests against
// the BUILT services (dist/apps/monitor-test, dist/apps/monitor-agent), started here on free
// loopback ports. Requests go out over raw `node:net` sockets, byte for byte, because HTTP clients
// refuse to send most of them.
//
// Every case is generated from a seeded PRNG, so a run is reproducible: the seed is printed first;
// rerun with `--seed <n>` (or HOSTILE_SEED=<n>); `--seed random` draws a new one.
//
// For every request the suite asserts that
//   - an answer arrives within --timeout ms, or, for requests that are not valid HTTP/1.1, the server
//     closes the connection (a deliberate protocol-error close); a connection left open is a hang;
//   - the status is not 5xx, except the agent's documented upstream errors (502/503 on the bar chart
//     /k8s-app-monitor-agent, 503 on /readyz);
//   - no answer (headers or body) carries a stack trace, an absolute path of the build or image
//     (/work/, /app/, node_modules), an exception name or errno code, a file it should not serve
//     (/etc/passwd, the bundle, package.json, the environment), or a header injected by the request.
// monitor-test runs with an ADMIN_TOKEN so that its admin API is attacked too (only ever with bodies
// it must refuse; its fault switches must be unchanged at the end).
// Then slowloris-style slow clients (a few connections, a few seconds) must not block other clients.
// Afterwards both processes must be alive, answer /healthz 200, and their RSS (VmRSS from
// /proc/<pid>/status), after ~10 s of idleness so V8's memory reducer can run, must be back within a
// tolerance (--rss-tolerance-mb / -pct) of the warm baseline. RSS above it triggers one identical
// replay of all requests: RSS that grows again is reported as a suspected leak (failure); RSS that
// does not is memory the allocator and V8 keep once grown (printed, not a failure).
// `--diagnose-heap` also prints the heap in use after full GCs (the precise leak signal).
//
// Output: one line per failure with the request that caused it, a summary per category, the RSS
// numbers, and finally a line `N passed, N failed`; the exit code is 1 if anything failed.
//
// Usage: node tools/hostile/hostile.mjs [--seed 6] [--cases 400] [--timeout 5000] [--concurrency 4]
//        [--settle 10] [--rss-tolerance-mb 16] [--rss-tolerance-pct 20] [--passes 1] [--diagnose-heap]
//        [--show <case id>]... [--verbose]
import { createHash, randomInt } from 'node:crypto';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import {
  isAlive,
  MONITOR_AGENT,
  MONITOR_TEST,
  round,
  rssMb,
  startService,
  stopService,
  waitReady,
} from './lib.mjs';

const { values: args } = parseArgs({
  options: {
    seed: { type: 'string', default: process.env.HOSTILE_SEED ?? '6' },
    cases: { type: 'string', default: '400' },
    timeout: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '4' },
    settle: { type: 'string', default: '10' },
    'rss-tolerance-mb': { type: 'string', default: '16' },
    'rss-tolerance-pct': { type: 'string', default: '20' },
    passes: { type: 'string', default: '1' },
    'diagnose-heap': { type: 'boolean', default: false },
    // --show 17 --show 42: print those cases' requests and answers in full, passed or not.
    show: { type: 'string', multiple: true, default: [] },
    verbose: { type: 'boolean', default: false },
  },
});
const SEED = args.seed === 'random' ? randomInt(2 ** 31) : Number(args.seed) >>> 0;
const CASES = Number(args.cases);
const TIMEOUT_MS = Number(args.timeout);
const CONCURRENCY = Number(args.concurrency);
const SETTLE_S = Number(args.settle);
const PASSES = Number(args.passes);
// --diagnose-heap: the services run with a preload that, on SIGUSR2, runs a full GC and prints the
// heap in use; after every pass the suite asks and prints it (heap that survives full GCs pass after
// pass is a leak; RSS alone also moves with allocator and V8 sizing decisions).
const DIAGNOSE_ENV = args['diagnose-heap']
  ? { NODE_OPTIONS: `--expose-gc --require ${new URL('./gc-probe.cjs', import.meta.url).pathname}` }
  : {};
const RSS_TOLERANCE_MB = Number(args['rss-tolerance-mb']);
const RSS_TOLERANCE_PCT = Number(args['rss-tolerance-pct']);

// ---------------------------------------------------------------------------------------------
// Seeded PRNG (mulberry32) and helpers
// ---------------------------------------------------------------------------------------------
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
    str: (length, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789') => {
      let s = '';
      for (let i = 0; i < length; i++) s += alphabet[Math.floor(next() * alphabet.length)];
      return s;
    },
    bytes: (length, from = 0, to = 255) => {
      const b = Buffer.alloc(length);
      for (let i = 0; i < length; i++) b[i] = from + Math.floor(next() * (to - from + 1));
      return b;
    },
  };
  return r;
}

/** For errors that are expected and do not matter (a socket reset by the server we provoke). */
const ignore = () => undefined;
const B = (x) => (Buffer.isBuffer(x) ? x : Buffer.from(String(x), 'utf8'));
const cat = (...parts) => Buffer.concat(parts.map(B));

/**
 * One HTTP/1.x request as bytes. `headers` is a list of [name, value] pairs or raw lines (strings
 * or Buffers, sent as they are followed by CRLF). Host and `Connection: close` are added unless
 * `host: false` / `close: false`. Strings are UTF-8; pass Buffers for raw bytes.
 */
function request({ method = 'GET', target = '/', version = 'HTTP/1.1', headers = [], body, host = true, close = true, eol = '\r\n' }) {
  const lines = [cat(method, ' ', target, version === null ? '' : ' ' + version)];
  if (host) lines.push(B('Host: localhost'));
  for (const h of headers) lines.push(Array.isArray(h) ? cat(h[0], ': ', h[1]) : B(h));
  if (close) lines.push(B('Connection: close'));
  if (body !== undefined && !headers.some((h) => Array.isArray(h) && /^(content-length|transfer-encoding)$/i.test(h[0]))) {
    lines.push(B(`Content-Length: ${B(body).length}`));
  }
  const parts = [];
  for (const line of lines) parts.push(line, B(eol));
  parts.push(B(eol));
  if (body !== undefined) parts.push(B(body));
  return Buffer.concat(parts);
}

// ---------------------------------------------------------------------------------------------
// The services' routes
// ---------------------------------------------------------------------------------------------
const ROUTES = {
  test: ['/metrics', '/metrics/test-app', '/metrics/no-such-app', '/healthz', '/readyz', '/docs', '/docs/api.apib', '/prometheus', '/', '/nope'],
  agent: [
    '/k8s-app-monitor-agent',
    '/',
    '/assets/dashboard.js',
    '/assets/dashboard.css',
    '/assets/chart.umd.min.js',
    '/api/metrics/latest',
    '/api/metrics/history',
    '/api/upstream',
    '/charts/history.png',
    '/healthz',
    '/readyz',
    '/docs',
    '/docs/api.apib',
    '/prometheus',
    '/nope',
  ],
};
/** Query parameters the services read, with the valid values the fuzzers start from. */
const QUERY = {
  '/api/metrics/history': { host: ['vm'], metric: ['avgLatency', 'failRatio'], limit: ['5', '300'] },
  '/charts/history.png': { metric: ['avgLatency', 'maxLatency'], width: ['200', '800'], height: ['200', '400'], window: ['10', '300'] },
  '/k8s-app-monitor-agent': { metric: ['avgLatency'] },
  '/metrics': { appname: ['test-app'] },
};
const STATIC = { test: ['/docs', '/docs/api.apib'], agent: ['/', '/assets/dashboard.js', '/assets/dashboard.css', '/assets/chart.umd.min.js', '/docs', '/docs/api.apib'] };

/** 5xx a service documents on a route: the agent's upstream errors and failing readiness. */
function allowed5xx(service, route, status) {
  if (service !== 'agent') return false;
  const path = String(route).split('?')[0];
  if (path === '/k8s-app-monitor-agent') return status === 502 || status === 503;
  if (path === '/readyz') return status === 503;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Generators: (r, service) => { desc, raw, route, mayClose }
//   mayClose: the request is not valid HTTP/1.1, so closing the connection without an answer is
//   an acceptable way of refusing it.
// ---------------------------------------------------------------------------------------------
const BAD_PERCENT = ['%', '%z', '%zz', '%G0', '%%', '%0', '%u0041', '%C0%AE', '%ED%A0%80', '%FF%FE', '%E2%82', '%00', '%%32%65', '%2', '%c0%80', '%F4%90%80%80', '%80'];
const TRAVERSAL = [
  '../../etc/passwd',
  '../../../../../../etc/passwd',
  '..%2f..%2f..%2fetc%2fpasswd',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '%2e%2e/%2e%2e/%2e%2e/etc/passwd',
  '%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '%252e%252e%252f%252e%252e%252fetc%252fpasswd',
  '..%5c..%5c..%5cetc%5cpasswd',
  '..\\..\\..\\etc\\passwd',
  '.%2e/.%2e/.%2e/etc/passwd',
  '%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd',
  '%e0%80%ae%e0%80%ae/%e0%80%ae%e0%80%ae/etc/passwd',
  '....//....//....//etc/passwd',
  '..;/..;/..;/etc/passwd',
  '/etc/passwd',
  '%2fetc%2fpasswd',
  '..%00/etc/passwd',
  '../../etc/passwd%00.png',
  '..%u2216..%u2216etc%u2216passwd',
  './././../../etc/passwd',
  '../../proc/self/environ',
  '../main.js',
  '../main.js.map',
  '../package.json',
  '..%2fmain.js',
  '%2e%2e/main.js',
  '../../../package.json',
  '../../../.env',
  '.env',
  '..%2f..%2f..%2fpackage.json',
];
const TRAVERSAL_PREFIX = { test: ['/', '/docs/', '/metrics/', '/docs/api.apib/'], agent: ['/', '/assets/', '/assets/%2e%2e/', '/docs/', '/charts/', '/api/', '/api/metrics/'] };
const ODD_METHODS = ['PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'TRACE', 'TRACK', 'OPTIONS', 'PATCH', 'DELETE', 'PUT', 'POST', 'SEARCH', 'PURGE', 'QUERY', 'M-SEARCH', 'NOTIFY', 'SUBSCRIBE', 'REPORT', 'MERGE', 'LINK', 'UNLINK', 'BIND', 'ACL', 'HEAD', 'get', 'GeT', 'DEBUG', 'FOO', 'G3T', 'BREW', 'PRI'];
const UNICODE = ['тест', '😀', '\u202e', '\u200b', '\ufeff', '中文', 'é', 'ñ', '\u0000', 'ǅ', '\uff0e\uff0e', '∕', '\u2028'];
const INTERESTING_NUMBERS = ['0', '-1', '-0', '1e309', '1e3', '1.5', '0x10', '0b1', '0o7', ' 5', '5 ', '+5', '٥', '５', 'NaN', 'Infinity', '-Infinity', '9007199254740993', '99999999999999999999999', '-99999999999999999999', '2147483648', '4294967296', '', '1,2', '1;2', 'null', 'undefined', 'true', '[]', '{}', '%00', '1%00', '%20', '10abc', '2001', '199', '86401', '9'];
const INTERESTING_STRINGS = ['', 'x', 'a'.repeat(200), 'a'.repeat(3000), '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '<script>alert(1)</script>', "' OR 1=1--", '${7*7}', '{{7*7}}', '%0d%0aHostile-Injected:%201', '..%2f..%2f', '%ff', 'vm', 'VM', 'vm ', 'AVGLATENCY', 'avgLatency ', 'failRatio\u0000', 'émoji😀', '*', '.*', '(a+)+$', '\\', '%5c', '%22', '"'];

/** monitor-test's admin API exists only with ADMIN_TOKEN set: the suite sets one, to attack it too. */
const ADMIN_TOKEN = 'hostile-admin-token';
const FAULTS_AT_START = { delayMs: 0, errorRate: 0, ready: true, cpuBurnUntil: null };
/**
 * Bodies the admin API must refuse. Never a valid one: a valid PUT /admin/faults would inject faults
 * into the rest of the run, a valid POST /admin/cpu-burn would burn a core for seconds to minutes.
 */
const INVALID_ADMIN_BODIES = {
  '/admin/faults': [
    '{"delayMs":-1}', '{"delayMs":60001}', '{"delayMs":1.5}', '{"delayMs":"10"}', '{"delayMs":1e309}', '{"delayMs":null}',
    '{"errorRate":2}', '{"errorRate":-0.1}', '{"errorRate":"1"}', '{"errorRate":true}', '{"errorRate":1e-400,"x":1}',
    '{"ready":"false"}', '{"ready":0}', '{"ready":null}', '{"unknown":1}', '{"delayMs":0,"extra":{}}',
    '{"__proto__":{"errorRate":1}}', '{"constructor":{"prototype":{"errorRate":1}}}', '{"delayMs":5', '{"delayMs":5}}',
    '[]', '[{"delayMs":5}]', 'null', '"x"', '42', 'true', '', '{', '{"a":' + '['.repeat(2_000) + ']'.repeat(2_000) + '}',
    `{"${'k'.repeat(10_000)}":1}`, '{"delayMs":5,"delayMs":"x"}', '\u0000', '{"errorRate":1}garbage',
  ],
  '/admin/cpu-burn': [
    '{"seconds":0}', '{"seconds":601}', '{"seconds":-5}', '{"seconds":1.5}', '{"seconds":"1"}', '{"seconds":null}', '{"seconds":1e309}',
    '{"seconds":[1]}', '{}', '{"seconds":1,"x":1}', '{"__proto__":{"seconds":1}}', '[]', 'null', '', '{', '{"seconds":9007199254740993}',
  ],
};

function generatorsFor() {
  return {
    'admin-api'(r) {
      const path = r.pick(Object.keys(INVALID_ADMIN_BODIES));
      const method = path === '/admin/faults' ? r.pick(['PUT', 'PUT', 'PUT', 'GET', 'POST', 'DELETE', 'PATCH']) : r.pick(['POST', 'POST', 'POST', 'GET', 'PUT']);
      const auth = r.pick([
        ['the token', `Bearer ${ADMIN_TOKEN}`],
        ['the token', `Bearer ${ADMIN_TOKEN}`],
        ['the token', `Bearer ${ADMIN_TOKEN}`],
        ['no token', null],
        ['a wrong token', `Bearer ${r.str(20)}`],
        ['lower-case scheme', `bearer ${ADMIN_TOKEN}`],
        ['Basic scheme', `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}`],
        ['token plus a space', `Bearer ${ADMIN_TOKEN} `],
        ['token prefix', `Bearer ${ADMIN_TOKEN.slice(0, -1)}`],
        ['empty bearer', 'Bearer '],
        ['10 KB token', `Bearer ${r.str(10_000)}`],
        ['two Authorization headers', [`Bearer ${r.str(8)}`, `Bearer ${ADMIN_TOKEN}`]],
      ]);
      const body = r.pick(INVALID_ADMIN_BODIES[path]);
      const type = r.pick(['application/json', 'application/json', 'application/json', 'text/plain', 'application/json; charset=latin1', 'application/x-www-form-urlencoded', '']);
      const headers = [];
      if (type) headers.push(['Content-Type', type]);
      if (Array.isArray(auth[1])) for (const value of auth[1]) headers.push(['Authorization', value]);
      else if (auth[1] !== null) headers.push(['Authorization', auth[1]]);
      const withBody = method !== 'GET' || r.chance(0.3);
      return {
        desc: `${method} ${path} with ${auth[0]}${withBody ? `, body ${JSON.stringify(body.slice(0, 60))}${body.length > 60 ? `… (${body.length})` : ''} as ${JSON.stringify(type)}` : ''}`,
        raw: request({ method, target: path, headers, ...(withBody ? { body } : {}) }),
        route: path,
        method,
        service: 'test',
        mayClose: false,
      };
    },
    'bad-percent-encoding'(r, svc) {
      const route = r.pick(ROUTES[svc]);
      const bad = r.pick(BAD_PERCENT);
      const where = r.pick(['segment', 'suffix', 'query-key', 'query-value', 'only']);
      const target = where === 'segment' ? `/${bad}${route}` : where === 'suffix' ? `${route}/${bad}` : where === 'query-key' ? `${route}?${bad}=1` : where === 'query-value' ? `${route}?metric=${bad}&limit=${bad}` : `/${bad}`;
      return { desc: `invalid percent-encoding ${bad} (${where})`, raw: request({ target }), route, mayClose: false };
    },
    'overlong-request-line'(r, svc) {
      const route = r.pick(ROUTES[svc]);
      const length = r.pick([2_048, 8_000, 15_000, 16_500, 20_000, 65_536, 262_144]);
      const kind = r.pick(['path', 'query', 'segments']);
      const target =
        kind === 'path' ? `${route}/${r.str(length)}` : kind === 'query' ? `${route}?q=${r.str(length)}` : route + '/a'.repeat(Math.floor(length / 2));
      return { desc: `request line of ~${length} bytes (${kind})`, raw: request({ target }), route, mayClose: length > 15_000 };
    },
    'huge-headers'(r, svc) {
      const route = r.pick(ROUTES[svc]);
      const kind = r.pick(['one-big', 'many-small', 'big-cookie', 'big-accept', 'big-name']);
      let headers;
      let size;
      if (kind === 'one-big') {
        size = r.pick([4_000, 12_000, 17_000, 65_536, 200_000]);
        headers = [['X-Big', r.str(size)]];
      } else if (kind === 'many-small') {
        size = r.pick([50, 100, 500, 2_000, 5_000]);
        headers = Array.from({ length: size }, (_, i) => [`X-H${i}`, r.str(4)]);
      } else if (kind === 'big-cookie') {
        size = r.pick([200, 1_000]);
        headers = [['Cookie', Array.from({ length: size }, (_, i) => `c${i}=${r.str(8)}`).join('; ')]];
      } else if (kind === 'big-accept') {
        size = r.pick([100, 1_000]);
        headers = [['Accept', Array.from({ length: size }, () => `${r.str(5)}/${r.str(5)};q=0.${r.int(0, 9)}`).join(', ')]];
      } else {
        size = r.pick([1_000, 20_000]);
        headers = [[`X-${r.str(size)}`, '1']];
      }
      const total = headers.reduce((n, [a, b]) => n + a.length + b.length + 4, 0);
      return { desc: `huge headers: ${kind} ${size} (~${total} bytes)`, raw: request({ target: route, headers }), route, mayClose: total > 15_000 };
    },
    'duplicate-headers'(r, svc) {
      const route = r.pick(ROUTES[svc]);
      const variants = [
        ['two Host headers', { host: false, headers: [['Host', 'localhost'], ['Host', 'evil.example']] }],
        ['two different Content-Length', { method: 'POST', headers: [['Content-Length', '2'], ['Content-Length', '3']], body: 'abc' }],
        ['two equal Content-Length', { method: 'POST', headers: [['Content-Length', '3'], ['Content-Length', '3']], body: 'abc' }],
        ['Content-Length list', { method: 'POST', headers: [['Content-Length', '3, 3']], body: 'abc' }],
        ['two Transfer-Encoding', { headers: [['Transfer-Encoding', 'chunked'], ['Transfer-Encoding', 'chunked']], body: '0\r\n\r\n' }],
        ['X-Request-Id x50', { headers: Array.from({ length: 50 }, () => ['X-Request-Id', r.str(8)]) }],
        ['Connection x20', { headers: Array.from({ length: 20 }, () => ['Connection', r.pick(['keep-alive', 'close', 'upgrade', r.str(5)])]) }],
        ['Accept-Encoding x30', { headers: Array.from({ length: 30 }, () => ['Accept-Encoding', r.pick(['gzip', 'br', 'deflate', '*', r.str(4)])]) }],
        ['Content-Type x2 on POST', { method: 'POST', headers: [['Content-Type', 'application/json'], ['Content-Type', 'text/plain']], body: '{}' }],
        ['Authorization x3', { headers: [['Authorization', 'Basic ' + r.str(20)], ['Authorization', 'Bearer x'], ['Authorization', '']] }],
        ['If-None-Match x10', { headers: Array.from({ length: 10 }, () => ['If-None-Match', `"${r.str(10)}"`]) }],
      ];
      const [name, spec] = r.pick(variants);
      return { desc: `duplicated headers: ${name}`, raw: request({ target: route, ...spec }), route, mayClose: true };
    },
    'invalid-host'(r, svc) {
      const route = r.pick(ROUTES[svc]);
      const values = ['', ' ', 'a b', '[::1', '::::', 'évil.example', 'localhost:99999', 'localhost:-1', 'localhost:abc', 'a'.repeat(300), '../../etc', 'http://evil.example/', 'evil.example@127.0.0.1', 'localhost.', '127.0.0.1:0', '[::1]:80', '-', '*', '%00', 'x\ty', 'под.рф', '\u0000'];
      const kind = r.pick(['value', 'value', 'value', 'missing', 'missing-1.0', 'absolute-form']);
      if (kind === 'missing') return { desc: 'HTTP/1.1 without Host', raw: request({ target: route, host: false }), route, mayClose: true };
      if (kind === 'missing-1.0') return { desc: 'HTTP/1.0 without Host', raw: request({ target: route, host: false, version: 'HTTP/1.0' }), route, mayClose: false };
      if (kind === 'absolute-form') {
        const authority = r.pick(['evil.example', '127.0.0.1:1', 'localhost', 'a b', '']);
        return { desc: `absolute-form target http://${authority}`, raw: request({ target: `http://${authority}${route}` }), route, mayClose: true };
      }
      const value = r.pick(values);
      return { desc: `Host: ${JSON.stringify(value)}`, raw: request({ target: route, host: false, headers: [['Host', value]] }), route, mayClose: true };
    },
    'odd-method'(r, svc) {
      const route = r.pick(ROUTES[svc]);
      const kind = r.pick(['known', 'known', 'known', 'connect', 'token', 'garbage', 'long']);
      let method;
      let target = route;
      if (kind === 'known') method = r.pick(ODD_METHODS);
      else if (kind === 'connect') {
        method = 'CONNECT';
        target = r.pick(['127.0.0.1:22', 'localhost:80', route, 'evil.example:443']);
      } else if (kind === 'token') method = r.str(r.int(1, 12), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ-_!#$%&*+.^`|~');
      else if (kind === 'garbage') method = r.bytes(r.int(1, 10), 1, 255).toString('latin1').replace(/[\r\n ]/g, 'X');
      else method = 'X'.repeat(r.pick([100, 1_000, 10_000]));
      const raw = request({ method: Buffer.from(method, 'latin1'), target, ...(r.chance(0.3) ? { body: '{"a":1}' } : {}) });
      return { desc: `method ${JSON.stringify(method.slice(0, 40))}${method.length > 40 ? `… (${method.length})` : ''} ${target}`, raw, route, mayClose: true };
    },
    'body-on-get'(r, svc) {
      const route = r.pick(ROUTES[svc]);
      const bodies = [
        () => ['JSON', '{"a":1}', 'application/json'],
        () => ['invalid JSON', '{bad', 'application/json'],
        () => ['JSON proto pollution', '{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}}}', 'application/json'],
        () => ['binary', r.bytes(r.int(1, 2_000)), 'application/octet-stream'],
        () => ['16 KiB + 1', 'a'.repeat(16 * 1024 + 1), 'text/plain'],
        () => ['64 KiB', 'a'.repeat(65_536), 'application/json'],
        () => ['form', 'a=1&b=2&__proto__[x]=1', 'application/x-www-form-urlencoded'],
        () => ['multipart without boundary', '--x\r\n\r\n', 'multipart/form-data'],
        () => ['weird content type', 'x', r.pick(['', ';;;', 'application/json; charset=utf-7', 'text/html\u0000', '*/*', 'a'.repeat(2_000)])],
        () => ['deep JSON', '['.repeat(5_000) + ']'.repeat(5_000), 'application/json'],
        () => ['empty', '', 'application/json'],
      ];
      const [name, body, type] = r.pick(bodies)();
      const method = r.pick(['GET', 'GET', 'GET', 'HEAD', 'DELETE', 'OPTIONS', 'POST', 'PUT', 'PATCH']);
      const chunked = r.chance(0.25) && B(body).length > 0;
      const headers = [['Content-Type', type]];
      let payload = body;
      if (chunked) {
        headers.push(['Transfer-Encoding', 'chunked']);
        payload = cat(B(body).length.toString(16), '\r\n', body, '\r\n0\r\n\r\n');
      }
      return {
        desc: `${method} with ${chunked ? 'chunked ' : ''}${name} body (${B(body).length} bytes, ${JSON.stringify(type.slice(0, 30))})`,
        raw: request({ method, target: route, headers, body: payload }),
        route,
        method,
        mayClose: B(body).length > 16 * 1024,
      };
    },
    'chunked-garbage'(r, svc) {
      const route = r.pick(ROUTES[svc]);
      const bodies = [
        ['non-hex size', 'zz\r\nabc\r\n0\r\n\r\n'],
        ['negative size', '-1\r\nabc\r\n0\r\n\r\n'],
        ['overflowing size', 'fffffffffffffffffff\r\nabc\r\n0\r\n\r\n'],
        ['size larger than data', '5\r\nabc\r\n0\r\n\r\n'],
        ['missing CRLF after data', '3\r\nabcdef0\r\n\r\n'],
        ['extension garbage', '3;a=b;;;=\u0001\r\nabc\r\n0\r\n\r\n'],
        ['long extension', `3;${'x'.repeat(20_000)}\r\nabc\r\n0\r\n\r\n`],
        ['bare LF', '3\nabc\n0\n\n'],
        ['spaces in size', '  3  \r\nabc\r\n0\r\n\r\n'],
        ['trailer headers', '3\r\nabc\r\n0\r\nX-Trailer: 1\r\nContent-Length: 5\r\n\r\n'],
        ['bad trailer', '3\r\nabc\r\n0\r\n: no-name\r\n\r\n'],
        ['NUL in size', '3\u0000\r\nabc\r\n0\r\n\r\n'],
        ['many tiny chunks', '1\r\na\r\n'.repeat(2_000) + '0\r\n\r\n'],
        ['random bytes', cat(r.bytes(r.int(5, 200)), '\r\n0\r\n\r\n')],
      ];
      const [name, body] = r.pick(bodies);
      const te = r.pick(['chunked', 'chunked', 'Chunked', 'chunked, identity', 'identity, chunked', 'xchunked', 'chunked;q=1', 'gzip, chunked', ' chunked', 'chunked\u000b']);
      const alsoCl = r.chance(0.2);
      const headers = [['Transfer-Encoding', te]];
      if (alsoCl) headers.push(['Content-Length', String(B(body).length)]);
      const method = r.pick(['GET', 'POST', 'PUT']);
      return { desc: `${method} Transfer-Encoding ${JSON.stringify(te)}${alsoCl ? ' + Content-Length' : ''}: ${name}`, raw: request({ method, target: route, headers, body }), route, method, mayClose: true };
    },
    'path-traversal'(r, svc) {
      const prefix = r.pick(TRAVERSAL_PREFIX[svc]);
      const variant = r.pick(TRAVERSAL);
      const target = (prefix + variant).replace(/^\/\/(?!\/)/, r.chance(0.5) ? '/' : '//');
      const withQuery = r.chance(0.2) ? `${target}?file=${encodeURIComponent('../../etc/passwd')}` : target;
      return { desc: `path traversal ${withQuery}`, raw: request({ target: withQuery }), route: prefix, mayClose: /\\|%00|%u/.test(variant) };
    },
    'long-query'(r, svc) {
      const route = r.pick([...Object.keys(QUERY).filter((p) => (svc === 'test') === p.startsWith('/metrics')), ...ROUTES[svc]]);
      const kind = r.pick(['many-params', 'same-key', 'nested', 'long-value', 'many-empty']);
      let query;
      if (kind === 'many-params') query = Array.from({ length: r.pick([100, 1_000, 1_500]) }, () => `${r.str(3)}=${r.str(3)}`).join('&');
      else if (kind === 'same-key') query = Array.from({ length: r.pick([100, 1_000, 2_000]) }, () => `${r.pick(['metric', 'limit', 'host', 'width', 'window'])}=${r.int(0, 999)}`).join('&');
      else if (kind === 'nested') query = 'a' + '[b]'.repeat(r.pick([10, 100, 1_000])) + '=1';
      else if (kind === 'long-value') query = `metric=${r.str(r.pick([1_000, 8_000, 14_000]))}`;
      else query = '&'.repeat(r.pick([1_000, 10_000]));
      return { desc: `long query (${kind}, ${query.length} bytes) on ${route}`, raw: request({ target: `${route}?${query}` }), route, mayClose: query.length > 15_000 };
    },
    'nul-bytes'(r, svc) {
      const route = r.pick(ROUTES[svc]);
      const variants = [
        ['raw NUL in path', { target: cat(route, Buffer.from([0]), 'x') }, true],
        ['%00 in path', { target: `${route}%00.png` }, false],
        ['%00 in query', { target: `${route}?metric=avgLatency%00&host=%00` }, false],
        ['raw NUL in query', { target: cat(route, '?a=', Buffer.from([0])) }, true],
        ['NUL in header value', { headers: [[B('X-Test'), cat('a', Buffer.from([0]), 'b')]] }, true],
        ['NUL in header name', { headers: [[cat('X-', Buffer.from([0]), 'Test'), B('1')]] }, true],
        ['NUL in method', { method: cat('GE', Buffer.from([0]), 'T') }, true],
        ['NUL in version', { version: cat('HTTP/1', Buffer.from([0]), '.1') }, true],
        ['NUL in body', { method: 'POST', body: cat('{"a":"', Buffer.from([0]), '"}'), headers: [['Content-Type', 'application/json']] }, false],
        ['NUL before request line', { method: cat(Buffer.from([0]), 'GET') }, true],
      ];
      const [name, spec, mayClose] = r.pick(variants);
      return { desc: `${name} (${route})`, raw: request({ target: route, ...spec }), route, method: spec.method ? String(spec.method) : 'GET', mayClose };
    },
    unicode(r, svc) {
      const route = r.pick(ROUTES[svc]);
      const text = r.pick(UNICODE) + (r.chance(0.5) ? r.pick(UNICODE) : '');
      const kind = r.pick(['raw-path', 'encoded-path', 'raw-query', 'encoded-query', 'header', 'invalid-utf8-path', 'invalid-utf8-header', 'overlong-utf8']);
      const variants = {
        'raw-path': [{ target: `${route}/${text}` }, true],
        'encoded-path': [{ target: `${route}/${encodeURIComponent(text)}` }, false],
        'raw-query': [{ target: `${route}?metric=${text}&host=${text}` }, true],
        'encoded-query': [{ target: `${route}?metric=${encodeURIComponent(text)}&host=${encodeURIComponent(text)}` }, false],
        header: [{ headers: [['X-Unicode', text], ['Accept-Language', text], ['User-Agent', text]] }, true],
        'invalid-utf8-path': [{ target: cat(route, '/', r.bytes(r.int(1, 8), 0x80, 0xff)) }, true],
        'invalid-utf8-header': [{ headers: [['X-Bytes', r.bytes(r.int(1, 16), 0x80, 0xff)]] }, true],
        'overlong-utf8': [{ target: cat(route, '/', Buffer.from([0xc0, 0xae, 0xc0, 0xae, 0x2f])) }, true],
      };
      const [spec, mayClose] = variants[kind];
      return { desc: `unicode ${kind} ${JSON.stringify(text)} (${route})`, raw: request({ target: route, ...spec }), route, mayClose };
    },
    'query-params'(r, svc) {
      const routes = svc === 'agent' ? ['/api/metrics/history', '/charts/history.png', '/k8s-app-monitor-agent', '/api/metrics/latest'] : ['/metrics'];
      const route = r.pick(routes);
      if (svc === 'test') {
        const name = r.pick([...INTERESTING_STRINGS, ...INTERESTING_NUMBERS]);
        const target = `/metrics/${encodeURIComponent(name).replace(/%25/g, '%')}${r.chance(0.3) ? '?x=' + r.pick(INTERESTING_STRINGS) : ''}`;
        return { desc: `app name ${JSON.stringify(name.slice(0, 60))}`, raw: request({ target }), route: '/metrics', mayClose: false };
      }
      const known = QUERY[route] ?? { metric: ['avgLatency'], limit: ['5'] };
      const names = Object.keys(known);
      const params = [];
      for (const name of names) {
        if (r.chance(0.3)) continue;
        const value = r.chance(0.5) ? r.pick(INTERESTING_NUMBERS) : r.chance(0.5) ? r.pick(INTERESTING_STRINGS) : r.pick(known[name]);
        const shape = r.pick(['plain', 'plain', 'plain', 'array', 'brackets', 'object', 'no-value', 'repeated']);
        if (shape === 'plain') params.push(`${name}=${value}`);
        else if (shape === 'array') params.push(`${name}=${value}`, `${name}=${r.pick(known[name])}`);
        else if (shape === 'brackets') params.push(`${name}[]=${value}`);
        else if (shape === 'object') params.push(`${name}[a]=${value}`);
        else if (shape === 'no-value') params.push(name);
        else params.push(...Array(r.int(2, 20)).fill(`${name}=${value}`));
      }
      if (r.chance(0.2)) params.push(r.pick(['__proto__[x]=1', 'constructor[prototype][x]=1', '__proto__=1', 'toString=1', 'hasOwnProperty=1']));
      const query = params.map((p) => p.replace(/ /g, '%20')).join('&');
      return { desc: `query ${route}?${query.slice(0, 120)}`, raw: request({ target: `${route}?${query}` }), route, mayClose: /[^\x21-\x7e]/.test(query) };
    },
    'http-version'(r, svc) {
      const route = r.pick(ROUTES[svc]);
      const variants = [
        ['HTTP/1.0', () => request({ target: route, version: 'HTTP/1.0' }), false],
        ['HTTP/0.9-style request line, then an empty line', () => B(`GET ${route}\r\n\r\n`), true],
        // Node's parser reads `GET /x\r\n` as the start of a request without version and waits for
        // the rest, like for any slow client (reaped by headersTimeout): waiting is acceptable.
        ['HTTP/0.9 simple request (one line, nothing more)', () => B(`GET ${route}\r\n`), true, true],
        ['HTTP/2.0 in an HTTP/1 request', () => request({ target: route, version: 'HTTP/2.0' }), true],
        ['HTTP/1.2', () => request({ target: route, version: 'HTTP/1.2' }), true],
        ['HTTP/9.9', () => request({ target: route, version: 'HTTP/9.9' }), true],
        ['lower-case version', () => request({ target: route, version: 'http/1.1' }), true],
        ['trailing garbage after version', () => request({ target: route, version: 'HTTP/1.1 extra' }), true],
        ['no version', () => request({ target: route, version: null }), true],
        ['h2 prior-knowledge preface', () => B('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), true],
        ['TLS ClientHello', () => cat(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03]), r.bytes(160)), true],
        ['SSH banner', () => B('SSH-2.0-OpenSSH_9.2\r\n'), true],
        ['random bytes', () => r.bytes(r.int(1, 512)), true],
        ['random printable line', () => B(r.str(r.int(1, 200), 'abcdefghijklmnopqrstuvwxyz /:.?&=%') + '\r\n\r\n'), true],
        ['leading blank lines', () => cat('\r\n\r\n\r\n', request({ target: route })), true],
        ['h2c upgrade', () => request({ target: route, headers: [['Upgrade', 'h2c'], ['HTTP2-Settings', 'AAMAAABkAARAAAAAAAIAAAAA']], close: false }), true],
        ['websocket upgrade', () => request({ target: route, close: false, headers: [['Connection', 'Upgrade'], ['Upgrade', 'websocket'], ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='], ['Sec-WebSocket-Version', '13']] }), true],
      ];
      const [name, make, mayClose, incomplete = false] = r.pick(variants);
      return { desc: `${name} (${route})`, raw: make(), route, mayClose, incomplete };
    },
    'header-syntax'(r, svc) {
      const route = r.pick(ROUTES[svc]);
      const variants = [
        ['obs-fold continuation', { headers: ['X-Folded: a', ' b', '\tc'] }],
        ['header without colon', { headers: ['NoColonHere'] }],
        ['space before colon', { headers: ['X-Test : 1'] }],
        ['empty header name', { headers: [': value'] }],
        ['invalid header name characters', { headers: ['X(Test)<>@: 1', 'X"Q": 2'] }],
        ['bare LF line endings', { eol: '\n' }],
        ['bare CR line endings', { eol: '\r' }],
        ['CTL in header value', { headers: [[B('X-Ctl'), Buffer.from([0x61, 0x01, 0x7f, 0x1b, 0x62])]] }],
        ['Expect: 100-continue', { headers: [['Expect', '100-continue']] }],
        ['Expect: garbage', { headers: [['Expect', r.pick(['garbage', '200-ok', '100-continue, x'])]] }],
        ['Content-Length: abc', { method: 'POST', headers: [['Content-Length', 'abc']] }],
        ['Content-Length: -5', { method: 'POST', headers: [['Content-Length', '-5']] }],
        ['Content-Length: 1e3', { method: 'POST', headers: [['Content-Length', '1e3']] }],
        ['Content-Length: 99999999999999999999', { method: 'POST', headers: [['Content-Length', '99999999999999999999']] }],
        ['Content-Length: 0x10', { method: 'POST', headers: [['Content-Length', '0x10']] }],
        ['Content-Length with spaces', { method: 'POST', headers: [['Content-Length', ' 3 ']], body: 'abc' }],
        ['very long header line of spaces', { headers: [['X-Spaces', ' '.repeat(8_000) + 'x']] }],
        ['X-Request-Id 128 chars (echoed)', { headers: [['X-Request-Id', r.str(128, 'abc.:-_')]] }],
        ['X-Request-Id 129 chars', { headers: [['X-Request-Id', r.str(129)]] }],
        ['X-Request-Id odd', { headers: [['X-Request-Id', r.pick(['<script>', '../../etc', '%0d%0aHostile-Injected: 1', ' ', 'a b', 'é'])]] }],
        ['X-Forwarded-* garbage', { headers: [['X-Forwarded-For', r.pick(['', 'a,b,,,', '999.1.1.1', '::::', 'x'.repeat(2_000)])], ['X-Forwarded-Host', r.pick(['evil.example', '', 'a b'])], ['X-Forwarded-Proto', r.pick(['javascript', 'https,http', ''])], ['Forwarded', 'for=;;;by="']] }],
        ['Accept-Encoding oddities', { headers: [['Accept-Encoding', r.pick(['gzip;q=abc', '*;q=0', 'identity;q=0', 'br;q=-1', ',,,', 'x'.repeat(500)])]] }],
        ['Accept oddities', { headers: [['Accept', r.pick(['', '*/*;q=x', 'text/html;;;', 'application/json;q=0', '/'])]] }],
        ['Connection: keep-alive then garbage', { close: false, headers: [['Connection', r.pick(['keep-alive, ,', 'TE, close', 'x'.repeat(1_000)])]] }],
        ['TE: trailers', { headers: [['TE', r.pick(['trailers', 'gzip', ''])]] }],
        ['Max-Forwards', { method: r.pick(['TRACE', 'OPTIONS']), headers: [['Max-Forwards', r.pick(['0', '-1', 'x'])]] }],
      ];
      const [name, spec] = r.pick(variants);
      return { desc: `${name} (${route})`, raw: request({ target: route, ...spec }), route, method: spec.method ?? 'GET', mayClose: true };
    },
    'conditional-range'(r, svc) {
      const route = r.pick(STATIC[svc]);
      const variants = [
        ['Range', () => ['Range', r.pick(['bytes=0-0', 'bytes=-1', 'bytes=999999999-', 'bytes=5-1', 'bytes=abc', 'lines=1-2', 'bytes=', 'bytes=-0', 'bytes=0-18446744073709551616', Array.from({ length: 200 }, (_, i) => `${i}-${i}`).join(',').replace(/^/, 'bytes='), 'bytes=0-1,0-1,0-1,0-1', 'bytes=--1'])]],
        ['If-None-Match', () => ['If-None-Match', r.pick(['*', 'W/', '"', '"' + 'a'.repeat(5_000) + '"', Array.from({ length: 500 }, () => `"${r.str(6)}"`).join(', '), 'W/"yqLOR2ayFMmFWV74aZu2OTCz1jg"', ''])]],
        ['If-Modified-Since', () => ['If-Modified-Since', r.pick(['yesterday', 'Thu, 01 Jan 1970 00:00:00 GMT', 'Sat, 31 Dec 9999 23:59:59 GMT', '-1', '', 'Mon, 32 Foo 2020 99:99:99 GMT'])]],
        ['If-Range', () => ['If-Range', r.pick(['"x"', 'garbage', 'Thu, 01 Jan 1970 00:00:00 GMT'])]],
        ['If-Match', () => ['If-Match', r.pick(['*', '"x"', 'garbage'])]],
        ['If-Unmodified-Since', () => ['If-Unmodified-Since', r.pick(['Thu, 01 Jan 1970 00:00:00 GMT', 'garbage'])]],
      ];
      const count = r.int(1, 3);
      const headers = Array.from({ length: count }, () => r.pick(variants)[1]());
      if (r.chance(0.5)) headers.push(['Range', 'bytes=0-10']);
      const method = r.pick(['GET', 'GET', 'HEAD']);
      return { desc: `${method} ${route} with ${headers.map(([n, v]) => `${n}: ${JSON.stringify(v.slice(0, 40))}`).join('; ')}`, raw: request({ method, target: route, headers }), route, method, mayClose: false };
    },
    pipelining(r, svc) {
      const count = r.int(2, 6);
      const parts = [];
      const routes = [];
      const methods = [];
      for (let i = 0; i < count; i++) {
        const route = r.pick(ROUTES[svc]);
        routes.push(route);
        const last = i === count - 1;
        const kind = r.pick(['valid', 'valid', 'bad-percent', 'garbage', 'head', 'odd-method']);
        methods.push(kind === 'head' ? 'HEAD' : 'GET');
        if (kind === 'valid') parts.push(request({ target: route, close: last }));
        else if (kind === 'head') parts.push(request({ method: 'HEAD', target: route, close: last }));
        else if (kind === 'bad-percent') parts.push(request({ target: `${route}/${r.pick(BAD_PERCENT)}`, close: last }));
        else if (kind === 'odd-method') parts.push(request({ method: r.pick(ODD_METHODS.filter((m) => m !== 'HEAD')), target: route, close: last }));
        else parts.push(cat(r.str(r.int(1, 40), 'ABCabc /?%\t'), '\r\n\r\n'));
      }
      const raw = Buffer.concat(parts);
      return { desc: `${count} pipelined requests (${routes.join(', ')})`, raw, route: routes.find((x) => allowed5xx(svc, x, 503)) ?? routes[0], mayClose: true, idleMs: 600, methods };
    },
    mutation(r, svc) {
      const route = r.pick(ROUTES[svc]);
      const base = request({ target: route, headers: [['Accept', r.pick(['*/*', 'application/json', 'text/html'])], ['User-Agent', 'hostile/1']] });
      const end = base.length - 4; // the final CRLFCRLF stays, so the request always ends
      const bytes = [...base.subarray(0, end)];
      const interesting = [0x00, 0x0d, 0x0a, 0x20, 0x09, 0x7f, 0xff, 0x80, 0x3a, 0x25, 0x2f, 0x3f, 0x5c, 0x2e, 0x22, 0x3c];
      const mutations = r.int(1, 6);
      const applied = [];
      for (let i = 0; i < mutations; i++) {
        const at = r.int(0, Math.max(0, bytes.length - 1));
        const op = r.pick(['flip', 'insert', 'delete', 'duplicate', 'replace']);
        if (op === 'flip') bytes[at] ^= 1 << r.int(0, 7);
        else if (op === 'insert') bytes.splice(at, 0, r.chance(0.7) ? r.pick(interesting) : r.int(0, 255));
        else if (op === 'delete') bytes.splice(at, 1);
        else if (op === 'duplicate') bytes.splice(at, 0, ...bytes.slice(at, at + r.int(1, 30)));
        else bytes[at] = r.pick(interesting);
        applied.push(`${op}@${at}`);
      }
      const raw = cat(Buffer.from(bytes), '\r\n\r\n');
      return { desc: `${mutations} byte mutations of GET ${route} (${applied.join(' ')})`, raw, route, mayClose: true, idleMs: 400 };
    },
    'response-splitting'(r, svc) {
      const route = r.pick(ROUTES[svc]);
      const payloads = ['%0d%0aHostile-Injected:%201', '%0aHostile-Injected:%201', '%0dHostile-Injected:%201', '%E5%98%8A%E5%98%8DHostile-Injected:%201', '%c4%8d%c4%8aHostile-Injected:%201', '%0d%0a%0d%0a<html>Hostile-Injected</html>'];
      const payload = r.pick(payloads);
      const where = r.pick(['path', 'query', 'request-id', 'host']);
      const spec =
        where === 'path' ? { target: `${route}/${payload}` }
          : where === 'query' ? { target: `${route}?metric=${payload}&host=${payload}&redirect=${payload}` }
            : where === 'request-id' ? { target: route, headers: [['X-Request-Id', decodeURIComponent(payload.replace(/%0[da]/gi, '')).slice(0, 60)]] }
              : { target: route, host: false, headers: [['Host', `localhost${payload}`]] };
      return { desc: `CRLF injection ${payload} in ${where} (${route})`, raw: request(spec), route, mayClose: where === 'host' };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Raw exchange and a lenient HTTP/1.x response parser
// ---------------------------------------------------------------------------------------------
const KEEP_BYTES = 2 * 1024 * 1024;

/** Parses the responses in `buf`; the last one may be incomplete. `closed`: the server closed. */
function parseResponses(buf, { methods = ['GET'], closed = false } = {}) {
  const responses = [];
  let offset = 0;
  let index = 0;
  while (offset < buf.length) {
    const headerEnd = buf.indexOf('\r\n\r\n', offset);
    if (headerEnd < 0) {
      if (responses.length === 0 || buf.length - offset > 0) responses.push({ partial: buf.subarray(offset).toString('latin1'), complete: false, headOnly: true });
      break;
    }
    const headText = buf.subarray(offset, headerEnd).toString('latin1');
    const [statusLine, ...headerLines] = headText.split('\r\n');
    const match = /^HTTP\/\d\.\d (\d{3})/.exec(statusLine);
    const response = { statusLine, status: match ? Number(match[1]) : null, headText, headers: {}, body: Buffer.alloc(0), complete: false };
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      if (colon > 0) response.headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const bodyStart = headerEnd + 4;
    responses.push(response);
    if (!match) {
      response.body = buf.subarray(bodyStart);
      break;
    }
    if (response.status >= 100 && response.status < 200) {
      response.complete = true;
      response.interim = true;
      offset = bodyStart;
      continue;
    }
    const te = response.headers['transfer-encoding'];
    const cl = response.headers['content-length'];
    // A HEAD answer has no body, but when the server drops pipelined requests (a parse error
    // further down answers 400 and closes) answers no longer line up with requests: a HEAD-mapped
    // answer followed by bytes that are not a status line does have its body.
    const next = buf.subarray(bodyStart, bodyStart + 5).toString('latin1');
    const head = methods[Math.min(index++, methods.length - 1)] === 'HEAD' && (next.length === 0 || next === 'HTTP/'.slice(0, next.length));
    if (head || response.status === 204 || response.status === 304) {
      response.complete = true;
      offset = bodyStart;
    } else if (te && /chunked/i.test(te)) {
      const chunks = [];
      let at = bodyStart;
      for (;;) {
        const lineEnd = buf.indexOf('\r\n', at);
        if (lineEnd < 0) break;
        const size = parseInt(buf.subarray(at, lineEnd).toString('latin1'), 16);
        if (Number.isNaN(size)) {
          response.malformed = true;
          break;
        }
        if (size === 0) {
          const trailerEnd = buf.indexOf('\r\n', lineEnd + 2);
          if (trailerEnd < 0) break;
          response.complete = true;
          at = trailerEnd + 2;
          break;
        }
        if (lineEnd + 2 + size + 2 > buf.length) break;
        chunks.push(buf.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      response.body = Buffer.concat(chunks);
      if (!response.complete) break;
      offset = at;
    } else if (cl !== undefined) {
      const length = Number(cl);
      response.body = buf.subarray(bodyStart, bodyStart + length);
      if (buf.length - bodyStart < length) break;
      response.complete = true;
      offset = bodyStart + length;
    } else {
      response.body = buf.subarray(bodyStart);
      response.complete = closed;
      break;
    }
  }
  return responses.filter((x) => !x.interim || x.status !== null);
}

/** Sends `raw` (a Buffer, or a list written with `gapMs` between) and collects what comes back. */
function exchange(port, raw, { timeoutMs = TIMEOUT_MS, idleMs = 250, gapMs = 0, methods = ['GET'] } = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect({ port, host: '127.0.0.1' });
    const received = [];
    let size = 0;
    let done = false;
    let idleTimer;
    let socketError = null;
    const finish = (how) => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      clearTimeout(idleTimer);
      socket.destroy();
      resolve({ how, buf: Buffer.concat(received), ms: performance.now() - started, socketError });
    };
    const deadline = setTimeout(() => finish('timeout'), timeoutMs);
    socket.on('connect', async () => {
      const parts = Array.isArray(raw) ? raw : [raw];
      for (let i = 0; i < parts.length; i++) {
        if (done || socket.destroyed) return;
        socket.write(parts[i]);
        if (gapMs && i < parts.length - 1) await sleep(gapMs);
      }
    });
    socket.on('data', (data) => {
      if (size < KEEP_BYTES) received.push(data);
      size += data.length;
      const responses = parseResponses(Buffer.concat(received), { methods });
      const complete = responses.filter((x) => x.complete && !x.interim).length;
      // A complete answer that is not followed by more within idleMs ends the exchange: the server
      // may keep the connection alive (it need not close it after an error).
      if (complete >= 1) {
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => finish('idle'), idleMs);
      }
    });
    socket.on('error', (error) => {
      socketError = error.code ?? error.message;
    });
    socket.on('close', () => finish('closed'));
  });
}

// ---------------------------------------------------------------------------------------------
// Judging an answer
// ---------------------------------------------------------------------------------------------
const LEAKS = [
  ['stack trace', / {4}at /],
  ['stack frame', /\bat [\w.<>]+ \((?:node:|\/|file:)[^)]*:\d+:\d+\)/],
  ['absolute path /work/', /\/work\//],
  ['absolute path /app/', /\/app\//],
  ['node_modules path', /node_modules/],
  ['webpack path', /webpack:\/\/|dist\/apps\//],
  ['exception name', /\b(?:TypeError|ReferenceError|RangeError|EvalError|URIError|AggregateError|SyntaxError: Unexpected|AssertionError)\b/],
  ['exception message', /Cannot read propert|is not a function|is not defined|Maximum call stack|Invalid array length|out of memory|JavaScript heap/i],
  ['errno code', /\b(?:ECONNREFUSED|ECONNRESET|ENOENT|EACCES|EISDIR|ENOTDIR|EPERM|EMFILE|ERR_[A-Z_]{4,})\b/],
  ['/etc/passwd contents', /root:[x*]?:0:0:/],
  ['process environment', /\b(?:PATH=\/|HOSTNAME=|SHUTDOWN_DELAY_MS=|NODE_VERSION=)/],
  ['bundle source', /__webpack_require__|__webpack_modules__|"sourcesContent"/],
  ['package.json', /"devDependencies"\s*:|"dependencies"\s*:\s*\{/],
  ['injected response header', /(?:^|\r\n|\n)Hostile-Injected\s*:/i],
];
/** Error codes of the framework: not internal state, but noted (they name the framework). */
const FRAMEWORK_CODE = /\bFST_[A-Z_]+\b/;

function decodedVariants(text) {
  const once = text.replace(/%([0-9a-f]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
  const twice = once.replace(/%([0-9a-f]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
  let utf8 = '';
  try {
    utf8 = Buffer.from(twice, 'latin1').toString('utf8');
  } catch {
    /* ignore */
  }
  return `${text}\n${once}\n${twice}\n${utf8}`;
}

/** Bodies of every route asked normally, per service (filled in after the warm-up). */
const knownContent = { test: '', agent: '' };

function judge(c, out, notes) {
  const failures = [];
  const responses = parseResponses(out.buf, { methods: c.methods ?? [c.method ?? 'GET'], closed: out.how === 'closed' });
  const real = responses.filter((x) => !x.interim);
  const first = real[0];
  const requestText = decodedVariants(c.raw.toString('latin1'));
  if (!first || first.headOnly) {
    if (out.how === 'timeout' && c.incomplete && !(first && first.partial)) return { failures, outcome: 'waited for the rest of an incomplete request' };
    if (out.how === 'timeout') failures.push(`no answer within ${TIMEOUT_MS} ms and the connection is still open (hang)${first ? `; partial: ${JSON.stringify(first.partial.slice(0, 200))}` : ''}`);
    else if (first && first.partial.length > 0) failures.push(`answer is not HTTP: ${JSON.stringify(first.partial.slice(0, 200))}`);
    else if (!c.mayClose) failures.push(`connection closed without an answer (${out.socketError ?? 'FIN'}) to a well-formed request`);
    return { failures, outcome: `closed without answer (${out.socketError ?? 'FIN'})` };
  }
  if (out.how === 'timeout' && !first.complete) failures.push(`answer started but did not complete within ${TIMEOUT_MS} ms`);
  for (const response of real) {
    if (response.headOnly) continue;
    if (response.status === null) {
      failures.push(`not an HTTP status line: ${JSON.stringify(response.statusLine.slice(0, 200))}`);
      continue;
    }
    if (response.status >= 500 && !allowed5xx(c.service, c.route, response.status)) failures.push(`status ${response.status}`);
    const type = response.headers['content-type'] ?? '';
    const bodyText = /^image\//.test(type) ? '' : response.body.toString('utf8');
    const text = `${response.headText}\r\n\r\n${bodyText}`;
    for (const [name, pattern] of LEAKS) {
      const match = pattern.exec(text);
      if (!match) continue;
      // Whatever the request itself carried and the answer merely reflects is not a leak.
      if (name !== 'injected response header' && requestText.toLowerCase().includes(match[0].toLowerCase())) continue;
      // Nor is what the service's own pages say when asked normally (the API documentation
      // documents the upstream errors, e.g. "monitor-test is unreachable (ECONNREFUSED)").
      const around = text.slice(Math.max(match.index - 20, text.length - bodyText.length), match.index + match[0].length + 20);
      if (match.index >= text.length - bodyText.length && knownContent[c.service].includes(around)) continue;
      failures.push(`${name} in the answer: …${JSON.stringify(text.slice(Math.max(0, match.index - 80), match.index + 120))}…`);
    }
    const code = FRAMEWORK_CODE.exec(bodyText);
    if (code) notes.frameworkCodes.set(code[0], (notes.frameworkCodes.get(code[0]) ?? 0) + 1);
  }
  const outcome = `${real.map((x) => x.status ?? '?').join('+')}${out.how === 'closed' ? ' then close' : ''}`;
  return { failures, outcome, first };
}

function showRequest(raw, max = 400) {
  const text = JSON.stringify(raw.subarray(0, max).toString('latin1'));
  return raw.length > max ? `${text}… (${raw.length} bytes in all)` : text;
}

// ---------------------------------------------------------------------------------------------
// Slow clients
// ---------------------------------------------------------------------------------------------
async function probeWhile(service, stopAt, results) {
  while (Date.now() < stopAt) {
    const t0 = performance.now();
    try {
      const res = await fetch(`${service.url}/healthz`, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      results.push({ ok: res.status === 200, ms: performance.now() - t0, status: res.status });
    } catch (error) {
      results.push({ ok: false, ms: performance.now() - t0, status: error.name });
    }
    await sleep(250);
  }
}

/** A few slow clients per service for a few seconds; other clients must still be served. */
async function slowClients(service, r, record) {
  const durationMs = 4_000;
  const stopAt = Date.now() + durationMs;
  const route = '/healthz';
  const probes = [];
  const probing = probeWhile(service, stopAt + 500, probes);
  const tasks = [];
  // 1. Headers one byte at a time (classic slowloris), finished at the end: must then be answered.
  for (let i = 0; i < 3; i++) {
    const raw = request({ target: route, headers: [['X-Slow', r.str(8)]] });
    const gap = Math.floor(durationMs / raw.length);
    const parts = [...raw].map((b) => Buffer.from([b]));
    tasks.push(
      exchange(service.port, parts, { gapMs: gap, timeoutMs: durationMs * 3 + TIMEOUT_MS }).then((out) => record({ service: service.key, category: 'slow-clients', desc: `slow headers, 1 byte every ${gap} ms`, raw, route, mayClose: false }, out)),
    );
  }
  // 2. A body dribbled in (POST /healthz: no such route for POST, so 404 once the body is in).
  for (let i = 0; i < 2; i++) {
    const body = r.str(40);
    const raw = request({ method: 'POST', target: route, headers: [['Content-Type', 'text/plain']], body });
    const headEnd = raw.length - body.length;
    const parts = [raw.subarray(0, headEnd), ...[...body].map((ch) => B(ch))];
    const gap = Math.floor(durationMs / parts.length);
    tasks.push(
      exchange(service.port, parts, { gapMs: gap, timeoutMs: durationMs * 3 + TIMEOUT_MS }).then((out) => record({ service: service.key, category: 'slow-clients', desc: `slow body, 1 byte every ${gap} ms`, raw, route, method: 'POST', mayClose: false }, out)),
    );
  }
  // 3. Abandoned halfway: a partial request line, then nothing. We hang up after durationMs; the
  //    server must meanwhile keep serving others (Node's headersTimeout reaps these after 60 s).
  //    Likewise a request whose declared body never comes.
  const abandoned = [];
  for (let i = 0; i < 3; i++) {
    const socket = net.connect({ port: service.port, host: '127.0.0.1' }, () => socket.write(`GET ${route} HTTP/1.1\r\nHost: local`));
    socket.on('error', ignore);
    abandoned.push(socket);
  }
  const abandonedBodies = [];
  for (let i = 0; i < 2; i++) {
    const socket = net.connect({ port: service.port, host: '127.0.0.1' }, () =>
      socket.write(`POST ${route} HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\n`),
    );
    socket.on('error', ignore);
    abandonedBodies.push(socket);
  }
  await Promise.all(tasks);
  await probing;
  const stillOpen = abandoned.filter((s) => !s.destroyed && s.readyState === 'open').length;
  const bodiesStillOpen = abandonedBodies.filter((s) => !s.destroyed && s.readyState === 'open').length;
  for (const s of [...abandoned, ...abandonedBodies]) s.destroy();
  const slowest = Math.max(...probes.map((p) => p.ms));
  const failedProbes = probes.filter((p) => !p.ok || p.ms > 1_000);
  record(
    { service: service.key, category: 'slow-clients', desc: `other clients served while 10 slow clients are connected (${probes.length} probes of GET /healthz, slowest ${round(slowest)} ms)`, raw: B('GET /healthz (fetch, concurrent with the slow clients)'), route, mayClose: false, synthetic: true },
    null,
    failedProbes.length ? [`${failedProbes.length}/${probes.length} probes failed or took > 1000 ms: ${failedProbes.slice(0, 5).map((p) => `${p.status}/${round(p.ms)}ms`).join(', ')}`] : [],
  );
  return { stillOpen, bodiesStillOpen, probes: probes.length, slowest };
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------
async function warmUp(services) {
  const urls = [
    ...ROUTES.test.map((p) => services.test.url + p),
    ...ROUTES.agent.map((p) => services.agent.url + p),
    `${services.agent.url}/charts/history.png?metric=failRatio&width=300&height=200`,
    `${services.agent.url}/api/metrics/history?metric=avgLatency&limit=5`,
  ];
  for (let round_ = 0; round_ < 5; round_++) {
    await Promise.all(urls.map((u) => fetch(u).then((res) => res.arrayBuffer()).catch(ignore)));
  }
  for (const key of ['test', 'agent']) {
    for (const path of ROUTES[key]) {
      const res = await fetch(services[key].url + path);
      if (!/^image\//.test(res.headers.get('content-type') ?? '')) knownContent[key] += `${await res.text()}\n`;
      else await res.arrayBuffer();
    }
  }
}

const started_ = [];

async function main() {
  if (!Number.isInteger(CASES) || CASES < 1) throw new Error('--cases must be a positive integer');
  console.log(`hostile: seed ${SEED} (rerun with --seed ${SEED}), ${CASES} generated cases, timeout ${TIMEOUT_MS} ms, concurrency ${CONCURRENCY}`);
  const r = prng(SEED);
  const generators = generatorsFor();
  const categories = Object.keys(generators);

  const test = await startService('monitor-test', MONITOR_TEST, { ...DIAGNOSE_ENV, ADMIN_TOKEN });
  test.key = 'test';
  started_.push(test);
  await waitReady(test);
  const agent = await startService('monitor-agent', MONITOR_AGENT, { ...DIAGNOSE_ENV, SERVICE_NAME: '127.0.0.1', APP_PORT: String(test.port) });
  agent.key = 'agent';
  started_.push(agent);
  await waitReady(agent);
  const services = { test, agent };
  const crashed = [];
  let stopping = false;
  const inFlight = new Set();
  for (const s of [test, agent]) {
    s.exited.then((exit) => {
      if (!stopping) crashed.push(`${s.name} exited (code ${exit.code}, signal ${exit.signal}) while these cases were in flight: ${[...inFlight].join(', ') || 'none'}`);
    });
  }
  console.log(`monitor-test pid ${test.pid} on ${test.url}; monitor-agent pid ${agent.pid} on ${agent.url}`);

  await warmUp(services);
  // Baseline: the warm services' RSS, sampled every second over SETTLE_S s of idleness; the highest
  // sample (V8's memory reducer may or may not shrink the heap within the window, which moves RSS by
  // 15-25 MB either way; comparing against the warm level keeps the check about leaks, not timing).
  const samples = { test: [], agent: [] };
  for (let i = 0; i < SETTLE_S; i++) {
    await sleep(1_000);
    samples.test.push(rssMb(test.pid));
    samples.agent.push(rssMb(agent.pid));
  }
  if (SETTLE_S < 1) {
    samples.test.push(rssMb(test.pid));
    samples.agent.push(rssMb(agent.pid));
  }
  const baseline = { test: Math.max(...samples.test), agent: Math.max(...samples.agent) };
  console.log(
    `baseline RSS, warm, highest over ${SETTLE_S} s idle: monitor-test ${round(baseline.test)} MB (lowest ${round(Math.min(...samples.test))}), monitor-agent ${round(baseline.agent)} MB (lowest ${round(Math.min(...samples.agent))})`,
  );

  // Generate every case first: the sequence depends only on the seed.
  const cases = [];
  for (let i = 0; i < CASES; i++) {
    const category = categories[i % categories.length];
    const service = r.chance(0.5) ? 'test' : 'agent';
    const generated = generators[category](r, service);
    cases.push({ id: i + 1, category, service, method: 'GET', ...generated, raw: B(generated.raw) });
  }

  // Same seed, same bytes: the digest of every generated request, to compare two runs.
  const digest = createHash('sha256');
  for (const c of cases) digest.update(`${c.service}\0`).update(c.raw);
  console.log(`generated ${cases.length} cases over ${categories.length} categories; sha256 of all requests ${digest.digest('hex').slice(0, 16)}`);

  let passed = 0;
  let failed = 0;
  const perCategory = new Map();
  const notes = { frameworkCodes: new Map(), closes: 0, statuses: new Map() };
  const tally = (category, ok) => {
    const entry = perCategory.get(category) ?? { passed: 0, failed: 0 };
    entry[ok ? 'passed' : 'failed']++;
    perCategory.set(category, entry);
  };
  const record = (c, out, extraFailures = []) => {
    let failures = [...extraFailures];
    let outcome = 'n/a';
    if (out) {
      const judged = judge(c, out, notes);
      failures = failures.concat(judged.failures);
      outcome = judged.outcome;
      if (outcome.startsWith('closed')) notes.closes++;
      const key = `${c.service} ${outcome}`;
      notes.statuses.set(key, (notes.statuses.get(key) ?? 0) + 1);
    }
    const label = `#${c.id ?? '-'} [${c.service === 'test' ? 'monitor-test' : 'monitor-agent'}] ${c.category}: ${c.desc}`;
    if (failures.length) {
      failed++;
      tally(c.category, false);
      console.log(`FAIL ${label}`);
      console.log(`  request: ${showRequest(c.raw)}`);
      if (out) console.log(`  got (${out.how} after ${round(out.ms)} ms): ${JSON.stringify(out.buf.subarray(0, 600).toString('latin1'))}`);
      for (const f of failures) console.log(`  - ${f}`);
    } else {
      passed++;
      tally(c.category, true);
      if (args.show.includes(String(c.id))) {
        console.log(`SHOW ${label} -> ${outcome}\n  request: ${showRequest(c.raw, 100_000)}`);
        if (out) console.log(`  got (${out.how} after ${round(out.ms)} ms): ${JSON.stringify(out.buf.subarray(0, 4_000).toString('latin1'))}`);
      }
      if (args.verbose) console.log(`ok   ${label} -> ${outcome}${out ? ` (${round(out.ms)} ms)` : ''}`);
    }
  };

  const heapProbe = (label) => {
    for (const s of [test, agent]) if (isAlive(s)) s.child.kill('SIGUSR2');
    return label;
  };
  if (args['diagnose-heap']) heapProbe('baseline');
  const started = performance.now();
  // --passes N replays the same cases N times (a leak shows as RSS growing pass after pass);
  // every answer is judged and counted each time.
  const queue = Array.from({ length: PASSES }, () => cases).flat();
  let next = 0;
  const worker = async () => {
    while (next < queue.length) {
      const c = queue[next++];
      if (PASSES > 1 && next % cases.length === 0) {
        console.log(`pass ${next / cases.length}/${PASSES}: RSS monitor-test ${round(rssMb(test.pid))} MB, monitor-agent ${round(rssMb(agent.pid))} MB`);
        if (args['diagnose-heap']) heapProbe(`pass ${next / cases.length}`);
      }
      const service = services[c.service];
      inFlight.add(`#${c.id}`);
      const out = await exchange(service.port, c.raw, { methods: c.methods ?? [c.method], idleMs: c.idleMs ?? 250 });
      inFlight.delete(`#${c.id}`);
      record(c, out);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  if (args['diagnose-heap']) {
    await sleep(500);
    heapProbe('end');
    await sleep(1_000);
    for (const s of [test, agent]) {
      console.log(`${s.name} heap after full GC (MiB):\n  ${s.output().split('\n').filter((l) => l.startsWith('GCPROBE')).join('\n  ')}`);
    }
  }
  console.log(`${queue.length} generated requests in ${round((performance.now() - started) / 1_000)} s`);

  // Slow clients, both services at once.
  const slow = await Promise.all([slowClients(test, r, record), slowClients(agent, r, record)]);
  console.log(`slow clients: ${slow.map((s, i) => `${i ? 'monitor-agent' : 'monitor-test'}: ${s.probes} probes, slowest ${round(s.slowest)} ms, abandoned after 4 s and still open: ${s.stillOpen}/3 partial headers, ${s.bodiesStillOpen}/2 missing bodies`).join('; ')}`);

  // The admin API refused everything it was sent: its fault switches are as they started.
  if (isAlive(test)) {
    let state;
    try {
      const res = await fetch(`${test.url}/admin/faults`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, signal: AbortSignal.timeout(2_000) });
      state = res.status === 200 ? await res.json() : `status ${res.status}`;
    } catch (error) {
      state = error.message;
    }
    const same = JSON.stringify(state) === JSON.stringify(FAULTS_AT_START);
    record(
      { service: 'test', category: 'afterwards', desc: `monitor-test fault switches unchanged by the refused admin requests (${JSON.stringify(state)})`, raw: B(`GET /admin/faults (Authorization: Bearer ${ADMIN_TOKEN})`), route: '/admin/faults', synthetic: true },
      null,
      same ? [] : [`fault state changed: ${JSON.stringify(state)}, expected ${JSON.stringify(FAULTS_AT_START)}`],
    );
  }

  // Afterwards: alive, healthy, memory back near the baseline.
  const afterRss = {};
  for (const s of [test, agent]) {
    const alive = isAlive(s);
    let health = 'not asked';
    if (alive) {
      try {
        const res = await fetch(`${s.url}/healthz`, { signal: AbortSignal.timeout(2_000) });
        await res.arrayBuffer();
        health = res.status;
      } catch (error) {
        health = error.cause?.code ?? error.message;
      }
    }
    record({ service: s.key, category: 'afterwards', desc: `${s.name} alive and GET /healthz 200 (alive: ${alive}, /healthz: ${health})`, raw: B('GET /healthz'), route: '/healthz', synthetic: true }, null, alive && health === 200 ? [] : [`${s.name} ${alive ? `answered /healthz ${health}` : 'is not running'}${s.exit ? ` (exit code ${s.exit.code}, signal ${s.exit.signal})` : ''}\n    last output: ${s.output().slice(-1_500)}`]);
  }
  const peak = { test: isAlive(test) ? rssMb(test.pid) : NaN, agent: isAlive(agent) ? rssMb(agent.pid) : NaN };
  // Idle for SETTLE_S s (V8's memory reducer shrinks the heap after ~8 s of idleness), then keep
  // sampling once a second for up to another SETTLE_S s until RSS is back within the tolerance.
  const allowedOf = (key) => Math.max(RSS_TOLERANCE_MB, (baseline[key] * RSS_TOLERANCE_PCT) / 100);
  const settleStarted = Date.now();
  await sleep(SETTLE_S * 1_000);
  const settledAfter = {};
  for (;;) {
    for (const s of [test, agent]) {
      if (isAlive(s) && settledAfter[s.key] === undefined) {
        afterRss[s.key] = rssMb(s.pid);
        if (afterRss[s.key] - baseline[s.key] <= allowedOf(s.key)) settledAfter[s.key] = (Date.now() - settleStarted) / 1_000;
      }
    }
    const waiting = [test, agent].filter((s) => isAlive(s) && settledAfter[s.key] === undefined);
    if (waiting.length === 0 || Date.now() - settleStarted >= 2 * SETTLE_S * 1_000) break;
    await sleep(1_000);
  }
  const settleSeconds = (Date.now() - settleStarted) / 1_000;
  // Above the tolerance: a leak, or memory the allocator and V8 keep once grown (the agent's chart
  // rendering in native memory moves its RSS by ~30 MB between runs; the heap in use after a full GC
  // stays flat, see --diagnose-heap). Tell them apart by replaying the very same requests once more:
  // a leak grows again by about as much, retained memory does not.
  const over = [test, agent].filter((s) => isAlive(s) && afterRss[s.key] - baseline[s.key] > allowedOf(s.key));
  const replay = {};
  if (over.length) {
    console.log(`RSS above the tolerance for ${over.map((s) => s.name).join(', ')}: replaying the ${cases.length} requests once more to tell a leak from retained memory`);
    let k = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (k < cases.length) {
          const c = cases[k++];
          await exchange(services[c.service].port, c.raw, { methods: c.methods ?? [c.method], idleMs: c.idleMs ?? 250 });
        }
      }),
    );
    await sleep(SETTLE_S * 1_000);
    for (const s of over) if (isAlive(s)) replay[s.key] = rssMb(s.pid);
  }
  for (const s of [test, agent]) {
    if (!isAlive(s)) continue;
    const growth = afterRss[s.key] - baseline[s.key];
    const allowed = allowedOf(s.key);
    const idle = round(settledAfter[s.key] ?? settleSeconds, 0);
    let line = `${s.name} RSS baseline ${round(baseline[s.key])} MB, right after the suite ${round(peak[s.key])} MB, after ${idle} s idle ${round(afterRss[s.key])} MB (growth ${round(growth)} MB, allowed ${round(allowed)} MB)`;
    const failures = [];
    if (growth > allowed) {
      const again = replay[s.key] - afterRss[s.key];
      const allowedAgain = Math.max(8, baseline[s.key] * 0.05);
      line += `; after replaying the suite and ${SETTLE_S} s idle ${round(replay[s.key])} MB (${again >= 0 ? '+' : ''}${round(again)} MB, allowed +${round(allowedAgain)} MB): ${again > allowedAgain ? 'grew again, leak suspected' : 'no further growth, retained memory, not a leak'}`;
      if (!(again <= allowedAgain)) failures.push(`RSS did not return within tolerance and grew again on an identical replay: ${line}`);
    }
    console.log(line);
    record({ service: s.key, category: 'afterwards', desc: line, raw: B('(RSS from /proc/<pid>/status)'), route: '/', synthetic: true }, null, failures);
  }
  for (const message of crashed) {
    console.log(`CRASH ${message}`);
  }

  // Log lines at level error/fatal (pino levels 50/60): whatever a client sends, it must not be able
  // to fill the logs with errors (a client hanging up mid-body used to log a stack trace each time).
  for (const s of [test, agent]) {
    const errors = s.output().split('\n').filter((l) => /"level":(50|60)/.test(l) || /^\s*(Error|TypeError|RangeError)/.test(l));
    const summary = `${s.name} logged ${errors.length} line(s) at level error or above, e.g.:\n    ${errors.slice(0, 2).join('\n    ')}`;
    record({ service: s.key, category: 'afterwards', desc: 'no error-level log lines', raw: B('(the whole suite)'), route: '/', synthetic: true }, null, errors.length ? [summary] : []);
  }

  stopping = true;
  await Promise.all([stopService(agent), stopService(test)]);

  console.log('\nper category (passed/failed):');
  for (const [category, { passed: p, failed: f }] of perCategory) console.log(`  ${category.padEnd(22)} ${p}/${f}`);
  const outcomes = [...notes.statuses].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}: ${v}`);
  console.log(`answers: ${outcomes.join(', ')}`);
  if (notes.frameworkCodes.size) console.log(`note: framework error codes in 4xx bodies (not counted as failures): ${[...notes.frameworkCodes].map(([k, v]) => `${k} x${v}`).join(', ')}`);
  console.log(`seed ${SEED}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch(async (error) => {
  console.error(error);
  await Promise.all(started_.map((s) => stopService(s).catch(ignore)));
  console.log('0 passed, 1 failed');
  process.exit(1);
});
