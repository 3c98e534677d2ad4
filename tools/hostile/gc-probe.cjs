// Preloaded into the services by `hostile.mjs --diagnose-heap` (NODE_OPTIONS=--expose-gc --require …):
// on SIGUSR2, two full GCs, then one line of memory usage (MiB) on stderr. Not used otherwise.
process.on('SIGUSR2', () => {
  if (global.gc) { global.gc(); global.gc(); }
  const m = process.memoryUsage();
  process.stderr.write(`GCPROBE ${JSON.stringify({ rss: (m.rss/1048576).toFixed(1), heapUsed: (m.heapUsed/1048576).toFixed(1), heapTotal: (m.heapTotal/1048576).toFixed(1), external: (m.external/1048576).toFixed(1), arrayBuffers: (m.arrayBuffers/1048576).toFixed(1) })}\n`);
});
