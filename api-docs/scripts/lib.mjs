// Shared helpers of the api-docs scripts: paths, the first-use install of the api-docs package,
// blueprint parsing (the same parser dredd uses), free ports and child services.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const API_DOCS = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = resolve(API_DOCS, '..');
export const DIST = join(ROOT, 'dist', 'api-docs');
export const SERVICES = ['monitor-test', 'monitor-agent'];
export const blueprintPath = (service) => join(API_DOCS, `${service}.apib`);
export const bin = (pkg, file) => join(API_DOCS, 'node_modules', pkg, file);

const LOCK = join(API_DOCS, 'package-lock.json');
const STAMP = join(API_DOCS, 'node_modules', '.installed-lock.sha1');

/**
 * Installs the api-docs package on first use (and again when its lockfile changed), with
 * `npm ci --omit=optional` so that nothing native is built and nothing is fetched from outside
 * the npm registry (see .npmrc).
 */
export function ensureDeps() {
  const lockHash = createHash('sha1').update(readFileSync(LOCK)).digest('hex');
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === lockHash) return;
  console.log('api-docs: installing its own packages (npm ci --omit=optional --prefix api-docs) ...');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--omit=optional', '--no-audit', '--no-fund', '--prefix', API_DOCS], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error('api-docs: npm ci failed');
    process.exit(result.status || 1);
  }
  writeFileSync(STAMP, lockHash + '\n');
}

export function requireFromApiDocs(id) {
  return createRequire(join(API_DOCS, 'package.json'))(id);
}

/**
 * Parses a blueprint with dredd's own parser and compiles dredd's transactions. Also returns every
 * documented response (all of them, also those dredd would not compile), for the coverage check.
 */
export function parseBlueprint(source, filename = 'blueprint.apib') {
  const dt = requireFromApiDocs('dredd-transactions');
  return new Promise((resolvePromise, reject) => {
    dt.parse(source, (err, parsed) => {
      if (err) return reject(err);
      try {
        const compiled = dt.compile(parsed.mediaType, parsed.apiElements, filename);
        const documented = [];
        const elements = parsed.apiElements;
        const walk = (element, trail) => {
          if (!element || typeof element !== 'object') return;
          const name = element.element;
          if (name === 'resource' || name === 'transition' || name === 'category' || name === 'copy') {
            // fallthrough to content
          }
          if (name === 'httpTransaction') {
            const req = element.request;
            const res = element.response;
            documented.push({
              resource: trail.resource,
              action: trail.action,
              method: req && req.method ? req.method.toValue() : 'GET',
              status: res && res.statusCode ? String(res.statusCode.toValue()) : '200',
            });
            return;
          }
          const next = { ...trail };
          if (name === 'resource') next.resource = element.href ? element.href.toValue() : trail.resource;
          if (name === 'transition') next.action = element.title ? element.title.toValue() : trail.action;
          const content = element.content;
          if (Array.isArray(content)) content.forEach((child) => walk(child, next));
        };
        walk(elements.api, {});
        resolvePromise({
          transactions: compiled.transactions,
          annotations: compiled.annotations,
          documented,
        });
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** Formats parser annotations as `file:line: kind: message`. */
export function formatAnnotations(annotations, file, source) {
  return annotations.map((a) => {
    let line = '?';
    if (a.location && a.location[0]) line = a.location[0][0];
    else if (a.sourceMap && source) line = '?';
    return `${file}:${line}: ${a.type}: ${a.message}`;
  });
}

/** A TCP port that was free a moment ago (the OS picks it). */
export function freePort() {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePromise(port));
    });
  });
}

const children = new Set();
function killAll() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

/**
 * Starts `node <main>` with the given env, logs to dist/api-docs/logs/<name>.log, and waits until
 * `GET <readyPath>` answers (any status below 500), or fails after `timeoutMs`.
 */
export async function startService({ name, main, env, port, readyPath = '/healthz', timeoutMs = 30_000 }) {
  const logDir = join(DIST, 'logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${name}.log`);
  const out = openSync(logFile, 'w');
  const child = spawn(process.execPath, [main], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port) },
    stdio: ['ignore', out, out],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  const url = `http://127.0.0.1:${port}${readyPath}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`${name} exited with code ${child.exitCode} before it was ready; see ${logFile}:\n${tail(logFile)}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status < 500) return { name, child, port, pid: child.pid, logFile, url: `http://127.0.0.1:${port}` };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not answer ${url} within ${timeoutMs} ms; see ${logFile}:\n${tail(logFile)}`);
}

export async function stopService(service) {
  if (!service || service.child.exitCode !== null || service.child.signalCode !== null) return;
  const exited = new Promise((r) => service.child.once('exit', r));
  service.child.kill('SIGINT');
  const timer = setTimeout(() => service.child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

function tail(file) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}
