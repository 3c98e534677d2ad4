// The baseline: node:http alone, answering with the same bytes as monitor-test's /metrics: the
// same body and the same headers (passed in by the benchmark), so that the client's work per
// response is identical and the ratio measures what the framework costs on the server.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

const body = Buffer.from(process.env.BODY ?? '{}\n');
const headers = JSON.parse(process.env.HEADERS ?? '{"content-type":"application/json"}');
createServer((req, res) => {
  res.writeHead(200, { ...headers, 'x-request-id': randomUUID(), 'content-length': body.length });
  res.end(body);
}).listen(Number(process.env.PORT), '127.0.0.1');
