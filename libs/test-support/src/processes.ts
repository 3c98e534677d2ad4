import { ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ServiceProcess {
  child: ChildProcess;
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a built service (`dist/apps/<name>/main.js`) with the given environment. */
export function startNodeProcess(
  script: string,
  env: Record<string, string>,
): ServiceProcess {
  const child = spawn(process.execPath, [script], {
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      LOG_LEVEL: 'warn',
      SHUTDOWN_DELAY_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
  }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

/** Polls `url` until it answers `status`; fails with the last answer after `timeoutMs`. */
export async function waitForStatus(
  url: string,
  status = 200,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (res.status === status) return;
      last = `status ${res.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(50);
  }
  throw new Error(
    `${url} did not answer ${status} within ${timeoutMs} ms (last: ${last})`,
  );
}

/** Sends `signal` and waits for the exit, failing when it takes longer than `timeoutMs`. */
export async function stopProcess(
  service: ServiceProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  timeoutMs = 10_000,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (service.child.exitCode !== null) return service.exited;
  service.child.kill(signal);
  const timeout = sleep(timeoutMs).then(() => {
    service.child.kill('SIGKILL');
    throw new Error(`process did not exit within ${timeoutMs} ms of ${signal}`);
  });
  return Promise.race([service.exited, timeout]);
}
