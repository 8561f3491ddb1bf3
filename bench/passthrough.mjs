// The floor a Node proxy can reach on this machine: node:http in, undici out, the body passed through, nothing
// else (no routing, no logging, no cache). bench/proxy.mjs measures it in the same run as aigw, so aigw's figures
// can be read against what any Node proxy would cost here.
//   node bench/passthrough.mjs <upstream origin>   prints {"port": N} on stdout, then serves until killed
import { createServer } from 'node:http';
import { Pool } from 'undici';

const upstream = new Pool(process.argv[2], { connections: 64, pipelining: 1, keepAliveTimeout: 60_000 });
const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host']);

const server = createServer(async (req, res) => {
  try {
    const headers = {};
    for (const [name, value] of Object.entries(req.headers)) if (!hopByHop.has(name)) headers[name] = value;
    const answer = await upstream.request({ method: req.method, path: req.url, headers, body: req });
    const out = {};
    for (const [name, value] of Object.entries(answer.headers)) if (!hopByHop.has(name)) out[name] = value;
    res.writeHead(answer.statusCode, out);
    for await (const chunk of answer.body)
      if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
    res.end();
  } catch (err) {
    res.writeHead(502).end(String(err));
  }
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
