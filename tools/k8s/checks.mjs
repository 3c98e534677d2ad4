/**
 * Cross-reference and policy checks on one rendered set of objects (one `kubectl kustomize` output):
 * what the OpenAPI schemas cannot see. Each check returns results {check, subject, ok, message};
 * every check id has a broken fixture in tools/k8s/fixtures/ that proves it can fail.
 */
import { imageName, matchesRoute, servedPaths } from './service-routes.mjs';

/**
 * After SHUTDOWN_DELAY_MS the services drain in-flight requests; they do not bound the drain
 * themselves. The slowest request (an agent chart: 2 s upstream timeout + drawing) fits in this
 * budget, which the grace period must cover on top of the delay.
 */
export const DRAIN_BUDGET_SECONDS = 5;
/** Images this repo builds; their pods must carry the original labels and be hardened. */
const APP_IMAGES = new Set(['k8s-app-monitor-test', 'k8s-app-monitor-agent']);
const WORKLOAD_KINDS = new Set(['Deployment', 'DaemonSet', 'StatefulSet']);
const HARDENING_EXCEPTION = 'k8s-app-monitor.dev/hardening-exception';

const ns = (o) => o.metadata?.namespace ?? 'default';
const key = (o) => `${o.kind}/${ns(o)}/${o.metadata?.name}`;

function selectorMatches(selector, labels) {
  if (!selector) return false;
  const ml = selector.matchLabels ?? {};
  if (!Object.entries(ml).every(([k, v]) => labels?.[k] === v)) return false;
  for (const expr of selector.matchExpressions ?? []) {
    const has =
      labels && Object.prototype.hasOwnProperty.call(labels, expr.key);
    const v = labels?.[expr.key];
    if (expr.operator === 'In' && !(has && expr.values.includes(v)))
      return false;
    if (expr.operator === 'NotIn' && has && expr.values.includes(v))
      return false;
    if (expr.operator === 'Exists' && !has) return false;
    if (expr.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}
const isEmptySelector = (s) =>
  !s ||
  (!Object.keys(s.matchLabels ?? {}).length &&
    !(s.matchExpressions ?? []).length);

/** CPU in millicores, memory in bytes. */
export function parseQuantity(q) {
  const s = String(q);
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(s);
  if (!m) return NaN;
  const n = Number(m[1]);
  const units = {
    '': 1,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 1024,
    Mi: 1024 ** 2,
    Gi: 1024 ** 3,
    Ti: 1024 ** 4,
  };
  return m[2] in units ? n * units[m[2]] : NaN;
}

class Results {
  constructor() {
    this.list = [];
  }
  add(check, subject, ok, message) {
    this.list.push({ check, subject, ok: Boolean(ok), message });
  }
}

export function runChecks(objects) {
  const r = new Results();
  const byKind = (kind) => objects.filter((o) => o.kind === kind);
  const find = (kind, namespace, name) =>
    objects.find(
      (o) =>
        o.kind === kind && ns(o) === namespace && o.metadata?.name === name,
    );

  const workloads = objects.filter((o) => WORKLOAD_KINDS.has(o.kind));
  const hpas = byKind('HorizontalPodAutoscaler');
  const services = byKind('Service');

  /** Resolved environment of a container (env values + envFrom ConfigMaps), recording bad refs. */
  const envOf = (w, c) => {
    const env = {};
    for (const from of c.envFrom ?? []) {
      const ref = from.configMapRef;
      if (!ref) continue;
      const cm = find('ConfigMap', ns(w), ref.name);
      r.add(
        'config-ref',
        `${key(w)} container ${c.name}`,
        cm || ref.optional,
        cm
          ? `envFrom ConfigMap ${ref.name} exists`
          : `envFrom ConfigMap ${ref.name} does not exist in ${ns(w)}`,
      );
      Object.assign(env, cm?.data ?? {});
    }
    for (const e of c.env ?? []) {
      if (e.valueFrom?.configMapKeyRef) {
        const ref = e.valueFrom.configMapKeyRef;
        const cm = find('ConfigMap', ns(w), ref.name);
        const ok = (cm && ref.key in (cm.data ?? {})) || ref.optional;
        r.add(
          'config-ref',
          `${key(w)} container ${c.name} env ${e.name}`,
          ok,
          ok
            ? `ConfigMap key ${ref.name}/${ref.key} exists`
            : `ConfigMap key ${ref.name}/${ref.key} does not exist`,
        );
        if (cm?.data?.[ref.key] !== undefined) env[e.name] = cm.data[ref.key];
      } else if ('value' in e) env[e.name] = e.value;
    }
    return env;
  };
  const podSpec = (w) => w.spec?.template?.spec ?? {};
  const podLabels = (w) => w.spec?.template?.metadata?.labels ?? {};
  const containersOf = (w) => [
    ...(podSpec(w).initContainers ?? []),
    ...(podSpec(w).containers ?? []),
  ];
  const portOf = (c, port) =>
    typeof port === 'number'
      ? ((c.ports ?? []).find((p) => p.containerPort === port) ??
        (c.ports?.length ? null : { containerPort: port }))
      : (c.ports ?? []).find((p) => p.name === port);
  const portOnAnyContainer = (w, port) =>
    (podSpec(w).containers ?? []).some((c) => portOf(c, port));
  const podsSelectedBy = (namespace, selector) =>
    workloads.filter(
      (w) => ns(w) === namespace && selectorMatches(selector, podLabels(w)),
    );
  const minReplicas = (w) => {
    if (w.kind === 'DaemonSet') return Infinity;
    const hpa = hpas.find(
      (h) =>
        ns(h) === ns(w) &&
        h.spec?.scaleTargetRef?.kind === w.kind &&
        h.spec?.scaleTargetRef?.name === w.metadata.name,
    );
    return hpa ? (hpa.spec.minReplicas ?? 1) : (w.spec?.replicas ?? 1);
  };
  const maxReplicas = (w) => {
    const hpa = hpas.find(
      (h) =>
        ns(h) === ns(w) &&
        h.spec?.scaleTargetRef?.kind === w.kind &&
        h.spec?.scaleTargetRef?.name === w.metadata.name,
    );
    return hpa ? hpa.spec.maxReplicas : (w.spec?.replicas ?? 1);
  };

  // --- Workloads: labels, ports, probes, hardening, images -----------------------------------
  for (const w of workloads) {
    const spec = podSpec(w);
    const labels = podLabels(w);
    r.add(
      'workload-selector',
      key(w),
      selectorMatches(w.spec?.selector, labels),
      `selector ${JSON.stringify(w.spec?.selector?.matchLabels)} ${selectorMatches(w.spec?.selector, labels) ? 'matches' : 'does not match'} the pod template labels`,
    );

    const isApp = (spec.containers ?? []).some((c) =>
      APP_IMAGES.has(imageName(c.image)),
    );
    const exception = w.metadata?.annotations?.[HARDENING_EXCEPTION];

    if (isApp) {
      const name = w.metadata.name;
      const ok =
        labels['k8s-app'] === name &&
        labels['app.kubernetes.io/name'] === name &&
        (spec.containers ?? []).every((c) => c.name === 'app');
      r.add(
        'original-names',
        key(w),
        ok,
        ok
          ? `pod label k8s-app=${name}, container name app`
          : `pods must carry k8s-app=${name} and app.kubernetes.io/name=${name}, containers must be named app`,
      );
    }

    // Service account: exists, and app pods get no token.
    const sa = spec.serviceAccountName;
    if (sa && sa !== 'default') {
      r.add(
        'service-account',
        key(w),
        find('ServiceAccount', ns(w), sa),
        `ServiceAccount ${sa} ${find('ServiceAccount', ns(w), sa) ? 'exists' : 'does not exist'} in ${ns(w)}`,
      );
    }
    if (isApp) {
      const saObj = sa ? find('ServiceAccount', ns(w), sa) : null;
      const noToken =
        spec.automountServiceAccountToken === false ||
        (spec.automountServiceAccountToken === undefined &&
          saObj?.automountServiceAccountToken === false);
      r.add(
        'service-account',
        `${key(w)} token`,
        noToken,
        noToken
          ? 'no service account token mounted'
          : 'automountServiceAccountToken must be false for the services',
      );
    }

    if (w.kind === 'Deployment') {
      const ru = w.spec?.strategy?.rollingUpdate;
      const ok =
        (w.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate' &&
        (ru?.maxUnavailable === 0 || ru?.maxUnavailable === '0%');
      r.add(
        'rollout',
        key(w),
        ok,
        ok
          ? 'rolling update with maxUnavailable 0'
          : 'rolling update must use maxUnavailable: 0',
      );
    }

    // Prometheus scrape annotations point at a declared port and a route of that container.
    const ann = w.spec?.template?.metadata?.annotations ?? {};
    if (ann['prometheus.io/scrape'] === 'true') {
      const port = Number(ann['prometheus.io/port']);
      const c = (spec.containers ?? []).find((x) =>
        (x.ports ?? []).some((p) => Number(p.containerPort) === port),
      );
      const served = c ? servedPaths(c.image, envOf(w, c)) : null;
      const path = ann['prometheus.io/path'] ?? '/metrics';
      const ok = Boolean(served && matchesRoute(path, served));
      r.add(
        'scrape-path',
        key(w),
        ok,
        !c
          ? `prometheus.io/port ${ann['prometheus.io/port']} is not a container port`
          : ok
            ? `scrapes ${path} on port ${port}`
            : `prometheus.io/path ${path} is not a route of ${imageName(c.image)}`,
      );
    }

    for (const c of containersOf(w)) {
      const subject = `${key(w)} container ${c.name}`;
      const env = envOf(w, c);

      // Probes: present, ports exist, paths are served.
      for (const probeName of [
        'startupProbe',
        'livenessProbe',
        'readinessProbe',
      ]) {
        const probe = c[probeName];
        if (!probe) {
          r.add(
            'probe-present',
            `${subject} ${probeName}`,
            false,
            `${probeName} missing`,
          );
          continue;
        }
        r.add(
          'probe-present',
          `${subject} ${probeName}`,
          true,
          `${probeName} present`,
        );
        const action = probe.httpGet ?? probe.tcpSocket ?? probe.grpc;
        if (action?.port !== undefined) {
          const p = portOf(c, action.port);
          r.add(
            'probe-port',
            `${subject} ${probeName}`,
            p,
            p
              ? `port ${action.port} is container port ${p.containerPort}`
              : `port ${action.port} is not a port of container ${c.name}`,
          );
        }
        if (probe.httpGet) {
          const served = servedPaths(c.image, env);
          const ok = served
            ? matchesRoute(probe.httpGet.path ?? '/', served)
            : false;
          r.add(
            'probe-path',
            `${subject} ${probeName}`,
            ok,
            served
              ? `${probe.httpGet.path} ${ok ? 'is' : 'is not'} a route of ${imageName(c.image)} (${served.join(' ')})`
              : `no route table for image ${c.image} (tools/k8s/service-routes.mjs)`,
          );
        }
      }

      // The port the app listens on (PORT) is the declared container port.
      if (env.PORT !== undefined) {
        const ok = (c.ports ?? []).some(
          (p) => String(p.containerPort) === String(env.PORT),
        );
        r.add(
          'app-port',
          subject,
          ok,
          ok
            ? `PORT=${env.PORT} is a declared container port`
            : `PORT=${env.PORT} but the container declares ${(c.ports ?? []).map((p) => p.containerPort).join(', ') || 'no ports'}`,
        );
      }

      // Image: explicit, immutable-looking tag (set through kustomize images:).
      const tag = /:([^/@]+)$/.exec(String(c.image).split('@')[0])?.[1];
      const tagOk = String(c.image).includes('@') || (tag && tag !== 'latest');
      r.add(
        'image-tag',
        subject,
        tagOk,
        tagOk
          ? `image ${c.image}`
          : `image ${c.image} has no tag or :latest (set it with kustomize images:)`,
      );

      // Resources: requests and limits for cpu and memory, requests <= limits.
      const res = c.resources ?? {};
      const missing = ['requests', 'limits'].flatMap((k) =>
        ['cpu', 'memory']
          .filter((x) => res[k]?.[x] === undefined)
          .map((x) => `${k}.${x}`),
      );
      const inverted = ['cpu', 'memory'].filter(
        (x) =>
          res.requests?.[x] !== undefined &&
          res.limits?.[x] !== undefined &&
          parseQuantity(res.requests[x]) > parseQuantity(res.limits[x]),
      );
      r.add(
        'resources',
        subject,
        !missing.length && !inverted.length,
        missing.length
          ? `missing ${missing.join(', ')}`
          : inverted.length
            ? `requests above limits for ${inverted.join(', ')}`
            : `requests ${JSON.stringify(res.requests)} limits ${JSON.stringify(res.limits)}`,
      );

      // Hardening (the restricted Pod Security Standard, plus a read-only root filesystem).
      const sc = c.securityContext ?? {};
      const psc = spec.securityContext ?? {};
      const problems = [];
      if (sc.allowPrivilegeEscalation !== false)
        problems.push('allowPrivilegeEscalation must be false');
      if (sc.privileged === true) problems.push('privileged');
      if (sc.readOnlyRootFilesystem !== true)
        problems.push('readOnlyRootFilesystem must be true');
      if (!(sc.capabilities?.drop ?? []).includes('ALL'))
        problems.push('capabilities must drop ALL');
      const seccomp = sc.seccompProfile?.type ?? psc.seccompProfile?.type;
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost')
        problems.push('seccompProfile must be RuntimeDefault');
      const nonRoot = (sc.runAsNonRoot ?? psc.runAsNonRoot) === true;
      const uid = sc.runAsUser ?? psc.runAsUser;
      const rootProblems = [];
      if (!nonRoot) rootProblems.push('runAsNonRoot must be true');
      if (uid === 0) rootProblems.push('runAsUser 0');
      const extraCaps = (sc.capabilities?.add ?? []).filter(
        (x) => x !== 'NET_BIND_SERVICE',
      );
      if (extraCaps.length)
        problems.push(`adds capabilities ${extraCaps.join(', ')}`);
      if ((sc.capabilities?.add ?? []).length && !exception)
        problems.push('adds capabilities without an exception');
      if (rootProblems.length && !(exception && !isApp))
        problems.push(...rootProblems);
      if (isApp && spec.hostNetwork) problems.push('hostNetwork');
      r.add(
        'hardening',
        subject,
        !problems.length,
        problems.length
          ? problems.join('; ')
          : exception && rootProblems.length
            ? `hardened except root, justified: ${exception}`
            : 'non-root, read-only root fs, no privilege escalation, no capabilities, seccomp RuntimeDefault',
      );

      // Writable /tmp with a read-only root filesystem.
      if (isApp) {
        const tmp = (c.volumeMounts ?? []).find((m) => m.mountPath === '/tmp');
        const vol =
          tmp && (spec.volumes ?? []).find((v) => v.name === tmp.name);
        r.add(
          'tmp-volume',
          subject,
          vol?.emptyDir,
          vol?.emptyDir
            ? '/tmp is an emptyDir'
            : '/tmp must be an emptyDir volume (read-only root filesystem)',
        );
      }

      // Grace period covers SHUTDOWN_DELAY_MS plus the drain.
      if (isApp) {
        const delayMs = Number(env.SHUTDOWN_DELAY_MS ?? 5000);
        const grace = spec.terminationGracePeriodSeconds ?? 30;
        const needed = delayMs / 1000 + DRAIN_BUDGET_SECONDS;
        const ok = grace > needed;
        r.add(
          'grace-period',
          subject,
          ok,
          ok
            ? `terminationGracePeriodSeconds ${grace} > SHUTDOWN_DELAY_MS ${delayMs / 1000} s + drain ${DRAIN_BUDGET_SECONDS} s`
            : `terminationGracePeriodSeconds ${grace} must exceed SHUTDOWN_DELAY_MS ${delayMs / 1000} s + drain ${DRAIN_BUDGET_SECONDS} s`,
        );
      }

      // The agent's upstream is the monitor-test Service.
      if (imageName(c.image) === 'k8s-app-monitor-agent') {
        let host = env.SERVICE_NAME ?? 'localhost';
        let port = Number(env.APP_PORT ?? 3000);
        if (env.MONITOR_TEST_URL) {
          const u = new URL(env.MONITOR_TEST_URL);
          host = u.hostname;
          port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
        }
        const parts = host.split('.');
        const svcNs =
          parts.length > 1 && !/^\d+$/.test(parts[1]) ? parts[1] : ns(w);
        const fqdnOk =
          parts.length === 1 ||
          parts.length === 2 ||
          (parts[2] === 'svc' &&
            (parts.length === 3 ||
              parts.slice(3).join('.') === 'cluster.local'));
        const svc = fqdnOk ? find('Service', svcNs, parts[0]) : undefined;
        const sp = svc?.spec?.ports?.find((p) => p.port === port);
        const targets = svc ? podsSelectedBy(ns(svc), svc.spec.selector) : [];
        const targetIsTest = targets.some((t) =>
          (podSpec(t).containers ?? []).some(
            (tc) =>
              imageName(tc.image) === 'k8s-app-monitor-test' &&
              (sp ? portOf(tc, sp.targetPort ?? sp.port) : false),
          ),
        );
        const ok = svc && sp && targetIsTest;
        r.add(
          'agent-upstream',
          subject,
          ok,
          ok
            ? `upstream ${host}:${port} is Service ${svc.metadata.name} port ${sp.name ?? sp.port} -> monitor-test`
            : !svc
              ? `upstream host ${host} is not a Service of this rendering`
              : !sp
                ? `upstream port ${port} is not a port of Service ${svc.metadata.name}`
                : `Service ${svc.metadata.name} port ${port} does not reach a monitor-test container port`,
        );
      }
    }
  }

  // --- Services ----------------------------------------------------------------------------
  for (const s of services) {
    const pods = podsSelectedBy(
      ns(s),
      s.spec?.selector && { matchLabels: s.spec.selector },
    );
    r.add(
      'service-selector',
      key(s),
      !isEmptySelector({ matchLabels: s.spec?.selector }) && pods.length > 0,
      pods.length
        ? `selects ${pods.map((p) => p.metadata.name).join(', ')}`
        : `selector ${JSON.stringify(s.spec?.selector)} matches no pod template in ${ns(s)}`,
    );
    for (const p of s.spec?.ports ?? []) {
      const target = p.targetPort ?? p.port;
      const missing = pods.filter((w) => !portOnAnyContainer(w, target));
      r.add(
        'service-port',
        `${key(s)} port ${p.name ?? p.port}`,
        pods.length && !missing.length,
        missing.length
          ? `targetPort ${target} is not a container port of ${missing.map((w) => w.metadata.name).join(', ')}`
          : pods.length
            ? `targetPort ${target} exists on every selected pod`
            : 'no pods selected',
      );
    }
    const app = pods.find((w) =>
      (podSpec(w).containers ?? []).some((c) =>
        APP_IMAGES.has(imageName(c.image)),
      ),
    );
    if (app) {
      const name = s.metadata.name;
      const ok =
        s.metadata.labels?.['k8s-svc'] === name &&
        (s.spec.ports ?? []).some((p) => p.name === 'http');
      r.add(
        'original-names',
        key(s),
        ok,
        ok
          ? `label k8s-svc=${name}, port named http`
          : `Service must carry k8s-svc=${name} and a port named http`,
      );
    }
  }

  /** A Service port (by name or number) and the workloads behind it, for ingress checks. */
  const backend = (namespace, name, port) => {
    const svc = find('Service', namespace, name);
    if (!svc) return { error: `Service ${namespace}/${name} does not exist` };
    const sp = (svc.spec.ports ?? []).find((p) =>
      typeof port === 'number' ? p.port === port : p.name === port,
    );
    if (!sp) return { error: `Service ${name} has no port ${port}` };
    return {
      svc,
      sp,
      pods: podsSelectedBy(namespace, { matchLabels: svc.spec.selector }),
    };
  };
  /** Is `path` (or a path under it, for prefixes) served by the pods behind a Service? */
  const pathServed = (pods, path, prefix) =>
    pods.some((w) =>
      (podSpec(w).containers ?? []).some((c) => {
        const served = servedPaths(c.image, envOf(w, c));
        if (!served) return false;
        const base = path.replace(/\/+$/, '');
        return (
          matchesRoute(path, served) ||
          (prefix && served.some((s) => s.startsWith(base + '/')))
        );
      }),
    );

  // --- Ingress ----------------------------------------------------------------------------
  for (const ing of byKind('Ingress')) {
    r.add(
      'ingress-class',
      key(ing),
      ing.spec?.ingressClassName,
      ing.spec?.ingressClassName
        ? `ingressClassName ${ing.spec.ingressClassName}`
        : 'ingressClassName missing',
    );
    for (const rule of ing.spec?.rules ?? []) {
      for (const p of rule.http?.paths ?? []) {
        const b = p.backend?.service;
        const subject = `${key(ing)} ${rule.host ?? '*'}${p.path}`;
        const res = b
          ? backend(ns(ing), b.name, b.port?.name ?? b.port?.number)
          : { error: 'not a Service backend' };
        r.add(
          'ingress-backend',
          subject,
          !res.error,
          res.error ?? `-> Service ${b.name}:${res.sp.name ?? res.sp.port}`,
        );
        if (!res.error) {
          const ok = pathServed(res.pods, p.path, p.pathType === 'Prefix');
          r.add(
            'ingress-path',
            subject,
            ok,
            ok
              ? `${p.path} is served by ${b.name}`
              : `${p.path} is not a route of the pods behind ${b.name}`,
          );
        }
      }
    }
  }

  // --- Traefik IngressRoute / Middleware ----------------------------------------------------
  for (const ir of byKind('IngressRoute')) {
    (ir.spec?.routes ?? []).forEach((route, i) => {
      const subject = `${key(ir)} route ${i}`;
      for (const s of route.services ?? []) {
        if (s.kind && s.kind !== 'Service') continue;
        const res = backend(s.namespace ?? ns(ir), s.name, s.port);
        r.add(
          'ingressroute-backend',
          `${subject} -> ${s.name}`,
          !res.error,
          res.error ?? `-> Service ${s.name}:${res.sp.name ?? res.sp.port}`,
        );
        if (!res.error && !(route.middlewares ?? []).length) {
          const paths = [
            ...String(route.match).matchAll(/(Path|PathPrefix)\(`([^`]+)`\)/g),
          ];
          const bad = paths.filter(
            ([, fn, p]) => !pathServed(res.pods, p, fn === 'PathPrefix'),
          );
          r.add(
            'ingress-path',
            `${subject} -> ${s.name}`,
            paths.length && !bad.length,
            !paths.length
              ? 'route has no Path/PathPrefix'
              : bad.length
                ? `${bad.map((b) => b[2]).join(', ')} not served by ${s.name}`
                : `paths served by ${s.name}`,
          );
        }
      }
      for (const m of route.middlewares ?? []) {
        const ok = find('Middleware', m.namespace ?? ns(ir), m.name);
        r.add(
          'ingressroute-middleware',
          `${subject} middleware ${m.name}`,
          ok,
          ok ? 'Middleware exists' : `Middleware ${m.name} does not exist`,
        );
      }
    });
  }

  // --- HPA -------------------------------------------------------------------------------
  for (const h of hpas) {
    const ref = h.spec?.scaleTargetRef ?? {};
    const target = workloads.find(
      (w) =>
        ns(w) === ns(h) &&
        w.kind === ref.kind &&
        w.metadata.name === ref.name &&
        w.apiVersion === ref.apiVersion,
    );
    r.add(
      'hpa-target',
      key(h),
      target,
      target
        ? `scales ${ref.kind}/${ref.name}`
        : `scaleTargetRef ${ref.apiVersion} ${ref.kind}/${ref.name} does not exist`,
    );
    if (target) {
      const cpu = (h.spec.metrics ?? []).some(
        (m) =>
          m.resource?.name === 'cpu' &&
          m.resource?.target?.type === 'Utilization',
      );
      const req = (podSpec(target).containers ?? []).every(
        (c) => c.resources?.requests?.cpu,
      );
      r.add(
        'hpa-target',
        `${key(h)} requests`,
        !cpu || req,
        !cpu || req
          ? 'CPU utilization has CPU requests to refer to'
          : 'CPU utilization needs cpu requests on every container',
      );
      const noReplicas = target.spec?.replicas === undefined;
      r.add(
        'hpa-target',
        `${key(h)} replicas`,
        noReplicas,
        noReplicas
          ? 'Deployment leaves replicas to the HPA'
          : 'Deployment sets replicas; kubectl apply would fight the HPA',
      );
    }
  }

  // --- PDB -------------------------------------------------------------------------------
  for (const pdb of byKind('PodDisruptionBudget')) {
    const targets = podsSelectedBy(ns(pdb), pdb.spec?.selector);
    r.add(
      'pdb-target',
      key(pdb),
      targets.length,
      targets.length
        ? `covers ${targets.map((w) => w.metadata.name).join(', ')}`
        : `selector matches no workload in ${ns(pdb)}`,
    );
    if (
      targets.length &&
      pdb.spec.minAvailable !== undefined &&
      typeof pdb.spec.minAvailable === 'number'
    ) {
      const tooSmall = targets.filter(
        (w) => minReplicas(w) <= pdb.spec.minAvailable,
      );
      r.add(
        'pdb-drain',
        key(pdb),
        !tooSmall.length,
        tooSmall.length
          ? `minAvailable ${pdb.spec.minAvailable} with ${tooSmall.map((w) => `${w.metadata.name} at ${minReplicas(w)} replica(s)`).join(', ')} blocks every eviction (kubectl drain hangs)`
          : `minAvailable ${pdb.spec.minAvailable} leaves room for one eviction`,
      );
    }
  }

  // --- NetworkPolicy ---------------------------------------------------------------------
  for (const np of byKind('NetworkPolicy')) {
    const selected = isEmptySelector(np.spec?.podSelector)
      ? workloads.filter((w) => ns(w) === ns(np))
      : podsSelectedBy(ns(np), np.spec.podSelector);
    r.add(
      'netpol-selector',
      key(np),
      isEmptySelector(np.spec?.podSelector) || selected.length,
      selected.length || isEmptySelector(np.spec?.podSelector)
        ? `applies to ${selected.map((w) => w.metadata.name).join(', ') || 'every pod of the namespace'}`
        : `podSelector matches no pod template in ${ns(np)}`,
    );
    const checkPeers = (rules, dir) =>
      (rules ?? []).forEach((rule, i) => {
        const peersPods = [];
        for (const peer of rule[dir] ?? []) {
          if (
            peer.podSelector &&
            !peer.namespaceSelector &&
            !isEmptySelector(peer.podSelector)
          ) {
            const pods = podsSelectedBy(ns(np), peer.podSelector);
            r.add(
              'netpol-selector',
              `${key(np)} ${dir}[${i}]`,
              pods.length,
              pods.length
                ? `peer selects ${pods.map((w) => w.metadata.name).join(', ')}`
                : `peer podSelector ${JSON.stringify(peer.podSelector.matchLabels)} matches no pod template`,
            );
            peersPods.push(...pods);
          }
        }
        // Named ports refer to the destination pods: the selected pods for ingress, peers for egress.
        const dest = dir === 'from' ? selected : peersPods;
        for (const p of rule.ports ?? []) {
          if (typeof p.port !== 'string' || !dest.length) continue;
          const missing = dest.filter((w) => !portOnAnyContainer(w, p.port));
          r.add(
            'netpol-port',
            `${key(np)} ${dir}[${i}] port ${p.port}`,
            !missing.length,
            missing.length
              ? `named port ${p.port} does not exist on ${missing.map((w) => w.metadata.name).join(', ')}`
              : `named port ${p.port} exists`,
          );
        }
      });
    checkPeers(np.spec?.ingress, 'from');
    checkPeers(np.spec?.egress, 'to');
  }

  // --- ResourceQuota: the workloads at their maximum (plus one surge pod) fit -----------------
  for (const q of byKind('ResourceQuota')) {
    const inNs = workloads.filter(
      (w) => ns(w) === ns(q) && w.kind !== 'DaemonSet',
    );
    const sum = {
      pods: 0,
      'requests.cpu': 0,
      'requests.memory': 0,
      'limits.cpu': 0,
      'limits.memory': 0,
    };
    for (const w of inNs) {
      const surge =
        w.kind === 'Deployment'
          ? Number(w.spec?.strategy?.rollingUpdate?.maxSurge ?? 1) || 1
          : 0;
      const n = maxReplicas(w) + surge;
      sum.pods += n;
      for (const c of podSpec(w).containers ?? []) {
        for (const k of ['requests', 'limits'])
          for (const x of ['cpu', 'memory'])
            sum[`${k}.${x}`] += n * parseQuantity(c.resources?.[k]?.[x] ?? 0);
      }
    }
    const over = Object.entries(q.spec?.hard ?? {})
      .filter(([k]) => k in sum)
      .filter(([k, v]) => sum[k] > parseQuantity(v) + 1e-9);
    r.add(
      'quota-fit',
      key(q),
      !over.length,
      over.length
        ? `at maximum scale the workloads need ${over.map(([k]) => `${k}=${k.endsWith('cpu') ? `${Math.round(sum[k] * 1000)}m` : k.endsWith('memory') ? `${Math.round(sum[k] / 1024 ** 2)}Mi` : sum[k]}`).join(', ')}, above the quota`
        : `workloads at maximum scale fit (${sum.pods} pods, ${Math.round(sum['requests.cpu'] * 1000)}m / ${Math.round(sum['requests.memory'] / 1024 ** 2)}Mi requested)`,
    );
  }

  return r.list;
}
