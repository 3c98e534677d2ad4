import { createServer, IncomingMessage, request, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Proxy {
  url: string;
  close(): Promise<void>;
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void, port = 0): Promise<Proxy> {
  const sockets = new Set<Socket>();
  const server: Server = createServer(handler);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Forwards one request to `target` + `path`; a dead target resets the client's connection. */
function forward(req: IncomingMessage, res: ServerResponse, target: string, path: string): void {
  const upstream = request(new URL(path, target), { method: req.method, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  // Like a Service without ready endpoints: the connection fails, there is no HTTP answer.
  upstream.on('error', () => res.socket?.destroy());
  req.pipe(upstream);
}

/**
 * A Kubernetes Service in front of replicas: a random replica per request, as kube-proxy's iptables
 * mode picks one per connection. (Random rather than round robin: two agents polling in lockstep
 * through a round robin would each see only one replica.)
 */
export function kubernetesService(targets: string[], port = 0): Promise<Proxy> {
  return listen((req, res) => forward(req, res, targets[Math.floor(Math.random() * targets.length)], req.url ?? '/'), port);
}

/** An ingress that routes `<prefix>/...` to `target` with the prefix stripped (traefik StripPrefix). */
export function strippingIngress(prefix: string, target: string): Promise<Proxy> {
  return listen((req, res) => {
    const url = req.url ?? '/';
    if (!url.startsWith(`${prefix}/`)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
      return;
    }
    forward(req, res, target, url.slice(prefix.length));
  });
}
