// A minimal OpenAI-shaped upstream for benchmarks: answers chat/completions with a fixed JSON body,
// or an SSE stream (`"stream": true`: two events, 2 ms apart), or a long stream of N bytes
// (`x-bench-stream-bytes`); `x-bench-delay-ms` delays the answer, and spaces a stream's two events as much.
// Prints its port on stdout, then serves until killed.
import { createServer } from 'node:http';

const completion = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1700000000,
  model: 'gpt-4o-mini',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Hello from the benchmark upstream.' },
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 12, completion_tokens: 8, total_tokens: 20 },
});

const chunk = (text) =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`;

const server = createServer((req, res) => {
  // Only the start of a body is kept: enough to see `"stream":true`, not 20 MB bodies by the dozen.
  const parts = [];
  let kept = 0;
  req.on('data', (d) => {
    if (kept >= 64 * 1024) return;
    parts.push(d);
    kept += d.length;
  });
  const delay = Number(req.headers['x-bench-delay-ms'] ?? 0);
  req.on('end', () => {
    if (delay > 0) setTimeout(answer, delay);
    else answer();
  });
  const answer = () => {
    const streamBytes = Number(req.headers['x-bench-stream-bytes'] ?? 0);
    if (streamBytes > 0) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const piece = Buffer.from(chunk('x'.repeat(16 * 1024)));
      let sent = 0;
      const pump = () => {
        while (sent < streamBytes) {
          sent += piece.length;
          if (!res.write(piece)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end('data: [DONE]\n\n');
      };
      pump();
      return;
    }
    const body = Buffer.concat(parts).toString();
    if (body.includes('"stream":true')) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk('Hello'));
      setTimeout(() => {
        res.write(chunk(' world'));
        res.end('data: [DONE]\n\n');
      }, delay || 2);
      return;
    }
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(completion),
    });
    res.end(completion);
  };
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
