/**
 * Offline validation of rendered objects against the Kubernetes OpenAPI schemas shipped by
 * `kubernetes-models` (`@kubernetes-models/traefik` for Traefik's CRDs, `@kubernetes-models/prometheus-operator`
 * for the ServiceMonitor of the monitoring component).
 *
 * The generated validators accept unknown properties (the schemas have no additionalProperties:
 * false), while the API server, with `kubectl apply --validate=strict` (the default since 1.25 for
 * server-side field validation), rejects them. To reject unknown fields here as well, the object is
 * wrapped in a Proxy that records which properties the validator reads: a validator reads every
 * property its schema defines, and enumerates the keys of maps (labels, data, ...). A key of an
 * object that the validator neither read nor enumerated is not in the schema, i.e. unknown.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** API versions removed from Kubernetes by 1.29 (and later by 1.32): an object using one fails. */
const REMOVED_API_VERSIONS = new Set([
  'extensions/v1beta1',
  'apps/v1beta1',
  'apps/v1beta2',
  'networking.k8s.io/v1beta1',
  'policy/v1beta1',
  'autoscaling/v2beta1',
  'autoscaling/v2beta2',
  'batch/v1beta1',
  'discovery.k8s.io/v1beta1',
  'events.k8s.io/v1beta1',
  'rbac.authorization.k8s.io/v1beta1',
  'storage.k8s.io/v1beta1',
  'flowcontrol.apiserver.k8s.io/v1beta1',
  'flowcontrol.apiserver.k8s.io/v1beta2',
  'traefik.containo.us/v1alpha1', // Traefik v2 CRD group, gone in Traefik v3
]);

function modelModule(apiVersion) {
  if (apiVersion === 'v1') return 'kubernetes-models/v1';
  const [group, version] = apiVersion.split('/');
  if (group.endsWith('traefik.io'))
    return `@kubernetes-models/traefik/${group}/${version}`;
  if (group === 'monitoring.coreos.com')
    return `@kubernetes-models/prometheus-operator/${group}/${version}`;
  return `kubernetes-models/${group}/${version}`;
}

function findModel(apiVersion, kind) {
  try {
    const Model = require(modelModule(apiVersion))[kind];
    return typeof Model === 'function' ? Model : null;
  } catch {
    return null;
  }
}

function track(obj) {
  // One record and one Proxy per underlying object: validators read the same property several
  // times (`void 0 === data.spec`, then `validate(data.spec)`), and every read must count.
  const records = new Map();
  const wrap = (value, path) => {
    if (value === null || typeof value !== 'object') return value;
    const known = records.get(value);
    if (known) return known.proxy;
    const rec = {
      path,
      value,
      read: new Set(),
      enumerated: false,
      proxy: null,
    };
    rec.proxy = new Proxy(value, {
      get(target, key, receiver) {
        if (typeof key !== 'string') return Reflect.get(target, key, receiver);
        rec.read.add(key);
        const child = Reflect.get(target, key, receiver);
        return Object.prototype.hasOwnProperty.call(target, key)
          ? wrap(child, `${path}/${key}`)
          : child;
      },
      has(target, key) {
        if (typeof key === 'string') rec.read.add(key);
        return Reflect.has(target, key);
      },
      getOwnPropertyDescriptor(target, key) {
        if (typeof key === 'string') rec.read.add(key);
        return Reflect.getOwnPropertyDescriptor(target, key);
      },
      ownKeys(target) {
        rec.enumerated = true;
        return Reflect.ownKeys(target);
      },
    });
    records.set(value, rec);
    return rec.proxy;
  };
  const proxy = wrap(obj, '');
  return { proxy, info: records };
}

/**
 * @returns {{check: string, ok: boolean, message: string}[]} results for the checks
 *   `api-version`, `schema` and `unknown-field`.
 */
export function validateObject(obj) {
  const { apiVersion, kind } = obj ?? {};
  if (REMOVED_API_VERSIONS.has(apiVersion)) {
    return [
      {
        check: 'api-version',
        ok: false,
        message: `${apiVersion} ${kind} is removed from current Kubernetes/Traefik`,
      },
    ];
  }
  const results = [
    {
      check: 'api-version',
      ok: true,
      message: `${apiVersion} is served by Kubernetes 1.29+`,
    },
  ];
  const Model = findModel(apiVersion, kind);
  if (!Model) {
    results.push({
      check: 'schema',
      ok: false,
      message: `no schema for ${apiVersion} ${kind}`,
    });
    return results;
  }
  // Validate a plain copy: the validators must only see JSON data.
  const data = JSON.parse(JSON.stringify(obj));
  const { proxy, info } = track(data);
  try {
    Model.prototype.validate.call(proxy);
    results.push({
      check: 'schema',
      ok: true,
      message: `valid ${apiVersion} ${kind}`,
    });
  } catch (error) {
    results.push({ check: 'schema', ok: false, message: error.message });
    return results; // unknown-field detection is only meaningful on an otherwise valid object
  }
  const unknown = [];
  for (const rec of info.values()) {
    if (Array.isArray(rec.value) || rec.enumerated) continue;
    for (const key of Object.keys(rec.value))
      if (!rec.read.has(key)) unknown.push(`${rec.path}/${key}`);
  }
  results.push(
    unknown.length
      ? {
          check: 'unknown-field',
          ok: false,
          message: `unknown field(s) ${unknown.join(', ')}`,
        }
      : { check: 'unknown-field', ok: true, message: 'no unknown fields' },
  );
  return results;
}
