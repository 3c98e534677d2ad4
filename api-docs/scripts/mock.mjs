#!/usr/bin/env node
// `npm run mock:monitor-test`: serves the examples of a blueprint as a mock server, so that the
// agent can be developed against the documented API alone (MONITOR_TEST_URL=http://localhost:3000).
//
// Driven by the parsed blueprint (the parser dredd uses), answering with the documented status,
// headers and bodies. Choosing among the examples of one action:
//   - a request whose path parameters equal the documented examples (GET /metrics/test-app) gets the
//     first 2xx example; other values (GET /metrics/anything-else) get the first 4xx example, if the
//     action documents one: so the unknown-application 404 behaves as documented;
//   - `Prefer: status=503` picks the example with that status (GET /readyz with it: the draining 503);
//     `Prefer: status=503, example="Readiness switched off"` the one of the request so named (the
//     `+ Request <name>` of the blueprint) when several share a status; request bodies and
//     `Authorization` headers are not looked at (the admin API's 401 is served on `Prefer: status=401`);
//   - a documented response without a body in the Prometheus text format (GET /prometheus) gets a
//     small exposition of the metric families the blueprint names, all at 0;
//   - a path no resource matches gets the 404 of the `/{path}` resource, with its `message` naming
//     the path, like the real services.
// JSON bodies are sent pretty-printed with a trailing newline, like the services; GET /docs and
// GET /docs/api.apib serve the rendered document and the blueprint.
//
// drakov (the tutorial's mock, installed in api-docs/node_modules too) serves the same file, but it
// adds `; charset=utf-8` to every Content-Type, cannot choose the 404 by parameter value, and
// matches documented request headers strictly; hence this mock.
//
// Usage: node api-docs/scripts/mock.mjs [--blueprint FILE.apib] [--port N] [--host H]
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { basename, join, resolve } from 'node:path';
import { DIST, blueprintPath, ensureDeps, requireFromApiDocs } from './lib.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const file = resolve(opt('blueprint', blueprintPath('monitor-test')));
const port = Number(opt('port', process.env.PORT || 3000));
const host = opt('host', '127.0.0.1');

ensureDeps();
const source = readFileSync(file, 'utf8');
const routes = await loadRoutes(source);

function loadRoutes(text) {
  const dt = requireFromApiDocs('dredd-transactions');
  return new Promise((resolvePromise, reject) => {
    dt.parse(text, (err, parsed) => {
      if (err) return reject(err);
      const errors = parsed.apiElements.annotations.filter((a) => a.classes.toValue().includes('error'));
      if (errors.length) return reject(new Error(errors.map((a) => a.toValue()).join('\n')));
      const out = [];
      const walk = (el, resource) => {
        if (!el || !el.element) return;
        if (el.element === 'resource') {
          resource = {
            href: el.href.toValue(),
            examples: Object.fromEntries(
              (el.hrefVariables ? el.hrefVariables.content : []).map((m) => [m.key.toValue(), m.value ? String(m.value.toValue() ?? '') : undefined]),
            ),
          };
        }
        if (el.element === 'transition') {
          const href = el.href ? el.href.toValue() : resource.href;
          const examples = { ...resource.examples };
          if (el.hrefVariables) {
            for (const m of el.hrefVariables.content) examples[m.key.toValue()] = m.value ? String(m.value.toValue() ?? '') : undefined;
          }
          const responses = [];
          for (const tx of el.transactions || []) {
            responses.push({
              method: tx.request && tx.request.method ? tx.request.method.toValue() : 'GET',
              name: tx.request && tx.request.title ? String(tx.request.title.toValue() || '') : '',
              status: Number(tx.response.statusCode ? tx.response.statusCode.toValue() : 200),
              headers: tx.response.headers ? tx.response.headers.toValue() : [],
              body: tx.response.messageBody ? tx.response.messageBody.toValue() : '',
            });
          }
          out.push(route(href, examples, responses));
          return;
        }
        if (Array.isArray(el.content)) el.content.forEach((c) => walk(c, resource));
      };
      walk(parsed.apiElements.api, null);
      // Literal paths before templated ones; the catch-all `/{x}` last.
      out.sort((a, b) => b.literal - a.literal);
      resolvePromise(out);
    });
  });
}

function route(href, examples, responses) {
  const path = href.replace(/\{\?[^}]*\}$/, '').split('?')[0];
  const names = [];
  const pattern = path.replace(/[.*+^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_, name) => {
    names.push(name);
    return '([^/]+)';
  });
  return {
    href,
    regex: new RegExp(`^${pattern}$`),
    names,
    examples,
    responses,
    literal: path.replace(/\{[^}]+\}/g, '').length,
    catchAll: /^\/\{[^}]+\}$/.test(path),
  };
}

function pick(r, method, params, prefer, example) {
  const candidates = r.responses.filter((x) => x.method === method);
  if (prefer) return candidates.find((x) => x.status === prefer && (!example || x.name === example));
  const documented = r.names.every((n) => r.examples[n] === undefined || params[n] === r.examples[n]);
  const ok = candidates.find((x) => x.status < 400);
  const clientError = candidates.find((x) => x.status >= 400 && x.status < 500);
  return documented ? ok || candidates[0] : clientError || ok || candidates[0];
}

function send(res, response, path, overrides = {}) {
  const headers = Object.fromEntries(response.headers.map(({ key, value }) => [key.toLowerCase(), value]));
  let body = response.body || '';
  const type = headers['content-type'] || '';
  if (/^application\/json/.test(type) && body) {
    const json = JSON.parse(body);
    if (overrides.message && json && typeof json === 'object' && 'message' in json) json.message = overrides.message;
    body = JSON.stringify(json, null, 2) + '\n';
  }
  if (/^text\/plain; version=0\.0\.4/.test(type) && !body) body = prometheusExposition();
  const name = basename(file, '.apib');
  if (response.status === 200 && path === '/docs' && existsSync(join(DIST, `${name}.html`))) {
    body = readFileSync(join(DIST, `${name}.html`));
  } else if (response.status === 200 && path === '/docs/api.apib') {
    body = source;
  }
  headers['x-mock'] = `api-docs/${basename(file)}`;
  res.writeHead(response.status, headers);
  res.end(body);
}

/** A stand-in scrape: every `snake_case_total`-like metric name the blueprint mentions, as a counter at 0. */
function prometheusExposition() {
  const names = [...new Set(source.match(/`([a-z][a-z0-9_]*_(total|seconds|bytes))`/g) || [])].map((n) => n.slice(1, -1));
  return names.map((n) => `# HELP ${n} ${n} (mock: always 0)\n# TYPE ${n} counter\n${n} 0\n`).join('');
}

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://mock');
  const path = url.pathname;
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  const preferMatch = /status=(\d{3})/.exec(String(req.headers.prefer || ''));
  const prefer = preferMatch ? Number(preferMatch[1]) : undefined;
  const exampleMatch = /example="([^"]*)"/.exec(String(req.headers.prefer || ''));
  const example = exampleMatch ? exampleMatch[1] : undefined;
  for (const r of routes) {
    if (r.catchAll) continue;
    const m = r.regex.exec(path);
    if (!m) continue;
    const params = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
    const response = pick(r, method, params, prefer, example);
    if (response) {
      console.log(`${req.method} ${req.url} -> ${response.status} (${r.href})`);
      return send(res, response, path);
    }
  }
  const fallback = routes.find((r) => r.catchAll);
  const notFound = fallback && fallback.responses.find((x) => x.status === 404);
  console.log(`${req.method} ${req.url} -> 404`);
  if (notFound) return send(res, notFound, path, { message: `Cannot ${req.method} ${path}` });
  res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ statusCode: 404, message: `Cannot ${req.method} ${path}` }) + '\n');
});

server.listen(port, host, () => {
  console.log(`mock of ${basename(file)} (${routes.length} actions) listening on http://${host}:${server.address().port}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
