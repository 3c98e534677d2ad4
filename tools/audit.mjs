#!/usr/bin/env node
// `npm run audit:prod`: no high or critical advisory in production dependencies (npm audit).
// Where the registry offers no advisory endpoint (some mirrors and proxies answer 405), the check
// cannot run: it says so plainly and does not pretend to pass; the GitHub workflow runs it for real.
import { spawnSync } from 'node:child_process';

const run = spawnSync('npm', ['audit', '--omit=dev', '--audit-level=high', '--json'], { encoding: 'utf8' });
let report;
try {
  report = JSON.parse(run.stdout);
} catch {
  console.error(`npm audit printed no JSON report:\n${run.stderr}`);
  process.exit(1);
}

if (report.statusCode && !report.metadata) {
  console.log(
    `npm audit: NOT CHECKED here: the registry's advisory endpoint answered ${report.statusCode} ` +
      `(${report.uri ?? 'no URI'}). The GitHub workflow runs this check against registry.npmjs.org.`,
  );
  process.exit(0);
}

const counts = report.metadata?.vulnerabilities ?? {};
const serious = (counts.high ?? 0) + (counts.critical ?? 0);
console.log(
  `npm audit (production dependencies): ${counts.critical ?? 0} critical, ${counts.high ?? 0} high, ` +
    `${counts.moderate ?? 0} moderate, ${counts.low ?? 0} low`,
);
for (const [name, vulnerability] of Object.entries(report.vulnerabilities ?? {})) {
  if (vulnerability.severity === 'high' || vulnerability.severity === 'critical') {
    console.log(`  ${vulnerability.severity}: ${name} ${vulnerability.range ?? ''}`);
  }
}
process.exit(serious > 0 ? 1 : 0);
