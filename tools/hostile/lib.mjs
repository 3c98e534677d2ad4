// Shared by tools/hostile/hostile.mjs and tools/soak/soak.mjs: start the BUILT services on free
// loopback ports, read their RSS, stop them. Plain Node, no build step (the TypeScript helpers in
// libs/test-support do the same for jest).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export const MONITOR_TEST = 'dist/apps/monitor-test/main.js';
export const MONITOR_AGENT = 'dist/apps/monitor-agent/main.js';

export async function freePort() {
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts `node <script>` with PORT set to a free port; keeps the last 64 KiB of its output. */
export async function startService(name, script, env = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, [script], {
    env: {
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: 'warn',
      SHUTDOWN_DELAY_MS: '0',
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk) => {
    output += chunk;
    if (output.length > 65_536) output = output.slice(-65_536);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const service = {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    child,
    pid: child.pid,
    exit: null,
    output: () => output,
  };
  service.exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      service.exit = { code, signal, at: Date.now() };
      resolve(service.exit);
    }),
  );
  return service;
}

/** Polls `url` until it answers `status`; throws with the last answer after `timeoutMs`. */
export async function waitForStatus(url, status = 200, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.status === status) return;
      last = `status ${res.status}`;
    } catch (error) {
      last = error.cause?.code ?? error.message;
    }
    await sleep(50);
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms (last: ${last})`);
}

/** Resident set size of a process in MiB, from /proc/<pid>/status (VmRSS). */
export function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

export function isAlive(service) {
  if (service.exit) return false;
  try {
    process.kill(service.pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after `timeoutMs`; resolves with the exit. Only ever signals our own child. */
export async function stopService(service, timeoutMs = 10_000) {
  if (service.exit) return service.exit;
  service.child.kill('SIGTERM');
  const timer = setTimeout(() => service.child.kill('SIGKILL'), timeoutMs);
  const exit = await service.exited;
  clearTimeout(timer);
  return exit;
}

export const round = (n, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** waitForStatus on `<service>/readyz`, failing at once (with its output) if the process exits. */
export async function waitReady(service, timeoutMs = 20_000) {
  const exited = service.exited.then((exit) => {
    throw new Error(`${service.name} exited before it was ready (code ${exit.code}, signal ${exit.signal}):\n${service.output().slice(-2_000)}`);
  });
  try {
    await Promise.race([waitForStatus(`${service.url}/readyz`, 200, timeoutMs), exited]);
  } catch (error) {
    if (!service.exit) error.message += `\n${service.name} output so far:\n${service.output().slice(-2_000)}`;
    throw error;
  }
}
