// The baseline: node:http alone, answering with the same bytes and headers as monitor-test's
// /metrics (body passed in by the benchmark), so the ratio measures what the framework costs.
import { createServer } from 'node:http';

const body = Buffer.from(process.env.BODY ?? '{}\n');
createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
}).listen(Number(process.env.PORT), '127.0.0.1');
