// A local OpenAI-compatible upstream for the console's end-to-end test: /v1/models, /v1/chat/completions (a
// streamed answer with the real SSE framing and a usage chunk, or one JSON answer) and an article page that the
// extract tester and web_extract read. It cites [1] when Sluice injected sources into the prompt.
import http from 'node:http';

export const ARTICLE_TITLE = 'How sluice gates keep rivers in check';
export const ARTICLE_AUTHOR = 'Ada Lovelace';
export const ARTICLE_DATE = '2026-11-20T10:00:00Z';

const article = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>${ARTICLE_TITLE}</title><meta name="author" content="${ARTICLE_AUTHOR}">
<meta property="article:published_time" content="${ARTICLE_DATE}"></head><body>
<nav><a href="/">Home</a> <a href="/about">About</a></nav>
<article><h1>${ARTICLE_TITLE}</h1>
<p>A sluice gate is a movable barrier that controls how much water flows through a channel. Engineers raise it to let
more water pass and lower it to hold the river back when the flood season arrives.</p>
<p>Modern gates are driven by electric motors and report their position to a control room, where operators watch the
level of the water upstream and downstream and adjust the opening minute by minute.</p>
<p>The oldest known sluices were built in Mesopotamia to irrigate fields; the same principle now protects cities on
every continent from storm surges, and regulates the flow that reaches hydroelectric turbines.</p>
</article><footer>Copyright 2026</footer></body></html>`;

function sse(res, model, text, usage) {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  const id = 'chatcmpl-mock';
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta, finish) => ({ id, object: 'chat.completion.chunk', created, model,
    choices: [{ index: 0, delta, finish_reason: finish || null }] });
  const events = [chunk({ role: 'assistant', content: '' })];
  for (const word of text.split(/(?<= )/)) events.push(chunk({ content: word }));
  events.push(chunk({}, 'stop'));
  events.push({ id, object: 'chat.completion.chunk', created, model, choices: [], usage });
  let i = 0;
  const next = () => {
    if (i < events.length) {
      res.write('data: ' + JSON.stringify(events[i++]) + '\n\n');
      setTimeout(next, 15);
    } else {
      res.end('data: [DONE]\n\n');
    }
  };
  next();
}

export function startMockUpstream() {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/article') {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(article);
      } else if (req.method === 'GET' && req.url === '/v1/models') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'system' }] }));
      } else if (req.method === 'POST' && req.url === '/v1/chat/completions') {
        const r = JSON.parse(body);
        const prompt = JSON.stringify(r.messages);
        const cites = prompt.includes('[1]');
        const text = cites ? 'Sluice gates control the flow of water in a channel [1]. They also protect cities from storm surges [1].'
          : 'Hello from the mock upstream. Sluice relayed this answer as a stream.';
        const usage = { prompt_tokens: Math.max(12, Math.round(prompt.length / 4)), completion_tokens: text.split(' ').length * 2,
          total_tokens: 0 };
        usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
        if (r.stream) {
          sse(res, r.model, text, usage);
        } else {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ id: 'chatcmpl-mock', object: 'chat.completion', created: Math.floor(Date.now() / 1000), model: r.model,
            choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }], usage }));
        }
      } else {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end('{"error":{"message":"not found","type":"invalid_request_error"}}');
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
