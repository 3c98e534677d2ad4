// Makes aglio's HTML readable without a network, and finds what would still need one.
//
// aglio-theme-olio always compiles its variables-default.less first, which starts with
// `@import url('https://fonts.googleapis.com/...')`; our theme (api-docs/theme) already replaces the
// fonts with system fonts and drops Font Awesome, so here only that import is removed. The JSON
// Schema tabs also carry `"$schema": "http://json-schema.org/..."`, an identifier that no browser
// fetches but that still names another host: it is dropped from the displayed schemas too, so that
// the check below can be strict: no http(s) URL of any host but localhost may remain.

const GOOGLE_FONTS_IMPORT = /@import\s+url\(\s*['"]?https?:\/\/fonts\.googleapis\.com[^)]*\)\s*;?/g;
// One displayed line of a highlighted schema: `  "$schema": "http://json-schema.org/draft-04/schema#",`
const SCHEMA_LINE = /^[ \t]*"<span class="hljs-attribute">\$schema<\/span>":[^\n]*json-schema\.org[^\n]*\n/gm;

export function makeOffline(html) {
  return html.replace(GOOGLE_FONTS_IMPORT, '').replace(SCHEMA_LINE, '');
}

/**
 * Hosts a rendered document may name in its text: the services themselves, as the examples show
 * them (loopback, and their Kubernetes Service names inside the cluster). A `$VARIABLE` stands for
 * a configured host. Links and resources (`href`, `src`) may only point at loopback.
 */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const PROJECT_HOSTS = new Set(['k8s-app-monitor-test', 'k8s-app-monitor-agent']);

/**
 * Every http(s) URL (in attributes, CSS, scripts or text) and every protocol-relative resource
 * (`src="//host/..."`, `url(//host/...)`) whose host is not local. Empty means the page needs no
 * network and sends the reader to no other site.
 */
export function findExternalReferences(html) {
  const found = new Set();
  for (const match of html.matchAll(/https?:\/\/([^/\s"'<>)`\\]+)/gi)) {
    const host = match[1].replace(/:\d+$/, '').toLowerCase();
    if (!LOCAL_HOSTS.has(host) && !PROJECT_HOSTS.has(host) && !host.startsWith('$')) found.add(match[0]);
  }
  for (const match of html.matchAll(/(?:src|href|action)\s*=\s*["']?https?:\/\/([^/\s"'>]+)/gi)) {
    const host = match[1].replace(/:\d+$/, '').toLowerCase();
    if (!LOCAL_HOSTS.has(host)) found.add(match[0]);
  }
  for (const match of html.matchAll(/(?:src|href|action)\s*=\s*["']?\/\/([^/\s"'>]+)/gi)) found.add(match[0]);
  for (const match of html.matchAll(/url\(\s*["']?\/\/([^/\s"')]+)/gi)) found.add(match[0]);
  for (const match of html.matchAll(/@import\s+(?:url\()?\s*["']?(?!data:)[^;"')]+/gi)) found.add(match[0]);
  return [...found];
}
