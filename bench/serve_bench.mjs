// Serving benchmark: C concurrent streams against an OpenAI-compatible server (r1-server,
// llama.cpp's llama-server, ...), each sending R streamed chat requests one after another.
// Reports per concurrency level: aggregate generated tokens/s (all streams' tokens over the wall
// time) and time-to-first-token percentiles (request sent -> first streamed token), one JSON line
// each. Node 18+ (fetch), no packages.
//   node bench/serve_bench.mjs --url http://127.0.0.1:8080 [--streams 1,4,8,16] [--requests 2]
//        [--max-tokens 64] [--temperature 0] [--label NAME]
const args = Object.fromEntries(process.argv.slice(2).reduce((a, x, i, all) => {
  if (x.startsWith('--')) a.push([x.slice(2), all[i + 1]]);
  return a;
}, []));
const url = (args.url || 'http://127.0.0.1:8080').replace(/\/$/, '');
const levels = (args.streams || '1,4,8,16').split(',').map(Number);
const perStream = Number(args.requests || 2);
const maxTokens = Number(args['max-tokens'] || 64);
const label = args.label || url;
const temperature = args.temperature === undefined ? 0 : Number(args.temperature);

let serial = 0;
async function one() {
  const k = serial++;
  const body = {
    model: 'm', stream: true, stream_options: { include_usage: true }, temperature, max_tokens: maxTokens,
    messages: [{ role: 'user', content: `Question ${k}: what is ${17 + k} times ${23 + 2 * k}, and why?` }],
  };
  const t0 = performance.now();
  const r = await fetch(url + '/v1/chat/completions', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`HTTP ${r.status}: ${await r.text()}`);
  const dec = new TextDecoder();
  let buf = '', first = 0, deltas = 0, usage = null;
  for await (const part of r.body) {
    buf += dec.decode(part, { stream: true });
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const ev = buf.slice(0, i).trim();
      buf = buf.slice(i + 2);
      if (!ev.startsWith('data: ') || ev === 'data: [DONE]') continue;
      const j = JSON.parse(ev.slice(6));
      if (j.usage) usage = j.usage;
      const d = j.choices && j.choices[0] && j.choices[0].delta;
      if (d && (d.content || d.reasoning_content)) {
        if (!first) first = performance.now();
        deltas++;
      }
    }
  }
  return { ttft: (first || performance.now()) - t0, tokens: usage ? usage.completion_tokens : deltas };
}

function pct(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p / 100 * s.length))];
}

await one(); // warm up (the model's pages, the server's buffers)
const rows = [];
for (const c of levels) {
  const results = [];
  const t0 = performance.now();
  await Promise.all(Array.from({ length: c }, async () => {
    for (let r = 0; r < perStream; r++) results.push(await one());
  }));
  const wall = (performance.now() - t0) / 1000;
  const tokens = results.reduce((a, x) => a + x.tokens, 0);
  const row = {
    server: label, streams: c, requests: results.length, tokens, wall_s: +wall.toFixed(2),
    aggregate_tok_s: +(tokens / wall).toFixed(2),
    ttft_p50_ms: +pct(results.map(x => x.ttft), 50).toFixed(0), ttft_p90_ms: +pct(results.map(x => x.ttft), 90).toFixed(0),
  };
  rows.push(row);
  console.log(JSON.stringify(row));
}
