#!/usr/bin/env node
// `npm run docs`: renders every blueprint with aglio to dist/api-docs/<service>.html (made usable
// offline), copies the blueprint next to it, and generates + validates an OpenAPI 3 document.
// Exits non-zero, printing aglio's own error, when a blueprint is invalid; parser warnings fail too,
// because a warning means part of the document was silently dropped.
//
// Usage: node api-docs/scripts/docs.mjs [--out DIR] [file.apib ...]
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import {
  API_DOCS, DIST, SERVICES, bin, blueprintPath, ensureDeps, formatAnnotations, parseBlueprint, requireFromApiDocs,
} from './lib.mjs';
import { findExternalReferences, makeOffline } from './offline.mjs';

const args = process.argv.slice(2);
let outDir = DIST;
const inputs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--out') outDir = resolve(args[++i]);
  else inputs.push(resolve(args[i]));
}
if (inputs.length === 0) inputs.push(...SERVICES.map(blueprintPath));

ensureDeps();
mkdirSync(outDir, { recursive: true });

const { Validator } = await import(join(API_DOCS, 'node_modules', '@seriousme', 'openapi-schema-validator', 'index.js'));

let failed = 0;
for (const input of inputs) {
  const name = basename(input, '.apib');
  const html = join(outDir, `${name}.html`);
  const rel = input.startsWith(API_DOCS) ? `api-docs${input.slice(API_DOCS.length)}` : input;

  // 1. aglio (its drafter.js 2 parser): its error and warnings, with the line they point at.
  const source = readFileSync(input, 'utf8');
  const rendered0 = await renderWithAglio(source, input);
  if (rendered0.error || rendered0.warnings.length) {
    for (const problem of [rendered0.error, ...rendered0.warnings].filter(Boolean)) {
      console.error(`${rel}:${problem.line}: aglio ${problem.kind}: ${problem.message}${problem.code !== undefined ? ` (${problem.kind} code ${problem.code})` : ''}`);
      if (problem.context) console.error(problem.context);
    }
    console.error(`docs: FAILED ${rel}: ${rendered0.error ? 'aglio could not render it' : 'aglio reported warnings; fix the blueprint'}`);
    failed++;
    continue;
  }
  writeFileSync(html, rendered0.html);

  // 2. dredd's parser (drafter.js 3) must agree that the document is clean.
  const parsed = await parseBlueprint(source, rel);
  if (parsed.annotations.length > 0) {
    for (const line of formatAnnotations(parsed.annotations, rel, source)) console.error(line);
    console.error(`docs: FAILED ${rel}: dredd's parser reported the problems above`);
    failed++;
    continue;
  }

  // 3. Offline: no fonts, stylesheets, scripts or links from other hosts.
  const rendered = makeOffline(rendered0.html);
  writeFileSync(html, rendered);
  const external = findExternalReferences(rendered);
  if (external.length > 0) {
    console.error(`docs: FAILED ${rel}: the rendered HTML still references other hosts:\n  ${external.join('\n  ')}`);
    failed++;
    continue;
  }
  copyFileSync(input, join(outDir, `${name}.apib`));

  // 4. OpenAPI 3, generated from the blueprint (which stays the source of truth), then validated.
  const openapiFile = join(outDir, `${name}.openapi.json`);
  const conv = spawnSync(
    process.execPath,
    [bin('apib2swagger', 'bin/apib2swagger.js'), '-i', input, '-o', openapiFile, '--open-api-3', '--prefer-reference'],
    { encoding: 'utf8' },
  );
  if (conv.status !== 0) {
    process.stderr.write(conv.stdout + conv.stderr);
    console.error(`docs: FAILED ${rel}: apib2swagger could not convert it`);
    failed++;
    continue;
  }
  const openapi = JSON.parse(readFileSync(openapiFile, 'utf8'));
  openapi.info['x-generated-from'] = `api-docs/${name}.apib (API Blueprint, the source of truth)`;
  writeFileSync(openapiFile, JSON.stringify(openapi, null, 2) + '\n');
  const result = await new Validator().validate(openapiFile);
  if (!result.valid) {
    console.error(`docs: FAILED ${rel}: the generated OpenAPI document is invalid:`);
    console.error(JSON.stringify(result.errors, null, 2));
    failed++;
    continue;
  }
  const operations = Object.values(openapi.paths).reduce((n, p) => n + Object.keys(p).length, 0);
  console.log(
    `docs: ${rel} -> ${join('dist/api-docs', `${name}.html`)} (${rendered.length} bytes, offline), ` +
      `${name}.openapi.json (OpenAPI ${openapi.openapi}, ${operations} operations, valid), ` +
      `${parsed.transactions.length} dredd transactions`,
  );
}

/** aglio's render (the same call its CLI makes), with its theme options; error and warnings located. */
function renderWithAglio(source, input) {
  const aglio = requireFromApiDocs('aglio');
  const locate = (location) => {
    const index = location && location[0] ? location[0].index : undefined;
    if (index === undefined) return { line: '?', context: '' };
    const line = source.slice(0, index).split('\n').length;
    const lines = source.split('\n');
    const context = lines
      .slice(Math.max(0, line - 2), line + 1)
      .map((text, i) => `${String(Math.max(1, line - 1) + i).padStart(5)} | ${text}`)
      .join('\n');
    return { line, context };
  };
  const options = {
    themeTemplate: join(API_DOCS, 'theme', 'index.jade'),
    themeVariables: join(API_DOCS, 'theme', 'variables.less'),
    themeCondenseNav: false,
    includePath: dirname(input),
  };
  return new Promise((resolvePromise) => {
    aglio.render(source, options, (err, html, warnings) => {
      if (err) {
        const parserError = err.result && err.result.error;
        resolvePromise({
          error: {
            kind: 'error',
            message: parserError ? parserError.message : err.message,
            code: parserError ? parserError.code : undefined,
            ...locate(parserError ? parserError.location : err.location),
          },
          warnings: [],
        });
        return;
      }
      resolvePromise({
        html,
        warnings: (warnings || []).map((w) => ({ kind: 'warning', message: w.message, code: w.code, ...locate(w.location) })),
      });
    });
  });
}

if (failed > 0) {
  console.error(`docs: ${failed} of ${inputs.length} document(s) failed`);
  process.exit(1);
}
