import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  EXAMPLE_METRIC,
  serializeJson,
} from '@k8s-app-monitor/metrics-contract';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface TestServer {
  url: string;
  port: number;
  /** Swaps the behaviour without restarting, e.g. healthy -> garbage -> healthy. */
  use(handler: Handler): void;
  close(): Promise<void>;
}

/** An HTTP server on a free loopback port whose behaviour a test controls. */
export async function startTestServer(
  handler: Handler,
  port = 0,
): Promise<TestServer> {
  let current = handler;
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => current(req, res));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) =>
    server.listen(port, '127.0.0.1', resolve),
  );
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    use: (next) => {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        // Hanging handlers never end their responses: cut their sockets so close() returns.
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Answers like monitor-test: the example metric on /metrics, 200 on /healthz. */
export const healthyUpstream: Handler = (req, res) => {
  if (req.url === '/healthz') {
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end('{"status":"ok"}');
  } else if (req.url === '/metrics') {
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(serializeJson(EXAMPLE_METRIC));
  } else {
    res.writeHead(404).end();
  }
};

export const respondWith =
  (status: number, body: string, contentType = 'application/json'): Handler =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': contentType }).end(body);
  };

/** Accepts the request and never answers. */
export const hang: Handler = () => undefined;

/** Streams an endless body, one chunk at a time (a misbehaving or hostile upstream). */
export const endlessBody: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(16 * 1024, 'a');
  const timer = setInterval(() => res.write(chunk), 1);
  res.on('close', () => clearInterval(timer));
};

/** A loopback port that nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = await startTestServer(hang);
  await server.close();
  return server.port;
}
