/**
 * The HTTP routes each container image serves, for the manifest checks (probe paths, ingress paths).
 *
 * THIS LIST MUST MATCH THE APPS (apps/monitor-test, apps/monitor-agent). It is written by hand here;
 * `npm run test:container` cross-checks it against the running images (every probe path of the
 * rendered base must answer something other than 404), so a drift shows up there. A route table
 * exported by the apps themselves could replace it later.
 *
 * `basePathEnv`: the environment variable whose value prefixes the `prefixed` routes (the agent's
 * BASE_PATH, so that one ingress path exposes the dashboard, API and docs). `routes` are served
 * as listed, whatever the base path.
 */
export const SERVICE_ROUTES = {
  'k8s-app-monitor-test': {
    routes: [
      '/metrics',
      '/metrics/:appname',
      '/healthz',
      '/readyz',
      '/prometheus',
      '/docs',
      '/docs/api.apib',
      '/admin/faults',
      '/admin/cpu-burn',
    ],
    prefixed: [],
  },
  'k8s-app-monitor-agent': {
    // The chart keeps the original URL; health and Prometheus stay at the root for the kubelet
    // and scrapers.
    routes: ['/k8s-app-monitor-agent', '/healthz', '/readyz', '/prometheus'],
    basePathEnv: 'BASE_PATH',
    prefixed: [
      '/',
      '/assets/:name',
      '/api/metrics/latest',
      '/api/metrics/history',
      '/api/upstream',
      '/charts/history.png',
      '/docs',
      '/docs/api.apib',
    ],
  },
  // traefik (components/traefik-edge): ping is enabled by its --ping flag.
  traefik: {
    routes: ['/ping'],
    prefixed: [],
  },
};

/** Image reference -> repository name without registry, tag or digest. */
export function imageName(image) {
  const noDigest = String(image).split('@')[0];
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.indexOf(':', lastSlash + 1);
  const repo = colon === -1 ? noDigest : noDigest.slice(0, colon);
  return repo.slice(repo.lastIndexOf('/') + 1);
}

/** All paths a container serves, given its resolved environment. */
export function servedPaths(image, env) {
  const table = SERVICE_ROUTES[imageName(image)];
  if (!table) return null;
  const base = table.basePathEnv
    ? (env[table.basePathEnv] ?? '').replace(/\/+$/, '')
    : '';
  return [
    ...table.routes,
    ...table.prefixed.map((r) => (base + r).replace(/\/\/+/g, '/') || '/'),
  ];
}

/** Does `path` hit one of `routes` (`:param` matches one segment)? */
export function matchesRoute(path, routes) {
  const clean = String(path).split('?')[0];
  return routes.some((route) => {
    const re = new RegExp(
      '^' +
        route
          .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
          .replace(/:[A-Za-z]+/g, '[^/]+') +
        '$',
    );
    return re.test(clean);
  });
}
