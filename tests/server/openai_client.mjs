// r1-server against the official OpenAI client (the `openai` npm package): non-streaming,
// streaming, n = 4, a stop string, reasoning_content, an error, the models list and completions.
// usage: node openai_client.mjs BASE_URL   (BASE_URL like http://127.0.0.1:8080/v1); prints "N passed, N failed"
import OpenAI from 'openai';

const client = new OpenAI({ baseURL: process.argv[2], apiKey: 'none', maxRetries: 0, timeout: 60000 });
let passed = 0, failed = 0;
function check(ok, what) {
  if (ok) passed++;
  else { failed++; console.log('  FAIL:', what); }
}
const question = [{ role: 'user', content: 'What is 12 + 35 * 2?' }];

try {
  const models = await client.models.list();
  check(models.data.length === 1 && models.data[0].id === 'r1-tiny', 'models.list: ' + JSON.stringify(models.data));

  const r = await client.chat.completions.create({ model: 'r1-tiny', messages: question, temperature: 0 });
  const m = r.choices[0].message;
  check(m.content.includes('\\boxed{82}'), 'non-streaming answer: ' + m.content);
  check(typeof m.reasoning_content === 'string' && m.reasoning_content.length > 10, 'message.reasoning_content: ' + m.reasoning_content);
  check(r.choices[0].finish_reason === 'stop' && r.usage.completion_tokens_details.reasoning_tokens > 0, 'finish_reason and usage');

  let thinking = '', answer = '', finish = null, usage = null, first = null;
  const stream = await client.chat.completions.create({ model: 'r1-tiny', messages: question, temperature: 0, stream: true,
                                                        stream_options: { include_usage: true } });
  for await (const chunk of stream) {
    if (chunk.usage) usage = chunk.usage;
    if (!chunk.choices.length) continue;
    const d = chunk.choices[0].delta;
    if (first === null) first = d.role;
    thinking += d.reasoning_content || '';
    answer += d.content || '';
    if (chunk.choices[0].finish_reason) finish = chunk.choices[0].finish_reason;
  }
  check(first === 'assistant', 'the stream opens with the role');
  check(thinking === m.reasoning_content && answer === m.content, 'streamed deltas equal the non-streaming message');
  check(finish === 'stop' && usage && usage.total_tokens === r.usage.total_tokens, 'stream: finish_reason and usage');

  const four = await client.chat.completions.create({ model: 'r1-tiny', messages: question, n: 4, temperature: 0.8, seed: 3 });
  check(four.choices.length === 4 && four.choices.every((c, i) => c.index === i && c.message.content.length > 0), 'n = 4');

  const stopped = await client.chat.completions.create({ model: 'r1-tiny', messages: question, temperature: 0, stop: ['boxed'] });
  check(!stopped.choices[0].message.content.includes('boxed') && stopped.choices[0].finish_reason === 'stop',
        'stop string: ' + stopped.choices[0].message.content);

  const effort = await client.chat.completions.create({ model: 'r1-tiny', messages: question, temperature: 0, reasoning_effort: 'low' });
  check(effort.choices[0].message.content.length > 0, 'reasoning_effort low');

  const done = await client.completions.create({ model: 'r1-tiny', prompt: '12 + 35', max_tokens: 6, temperature: 0 });
  check(typeof done.choices[0].text === 'string' && done.usage.completion_tokens <= 6, 'completions');

  try {
    await client.chat.completions.create({ model: 'r1-tiny', messages: question, temperature: 7 });
    check(false, 'an out-of-range temperature must fail');
  } catch (e) {
    check(e instanceof OpenAI.APIError && e.status === 400 && /temperature/.test(e.message), 'a 400 the client reads: ' + e.message);
  }
  try {
    await client.chat.completions.create({ model: 'r1-tiny', messages: [{ role: 'user', content: '1 '.repeat(20000) }] });
    check(false, 'a prompt over the context must fail');
  } catch (e) {
    check(e instanceof OpenAI.BadRequestError && /maximum context length/.test(e.message), 'context length error: ' + e.message);
  }
} catch (e) {
  failed++;
  console.log('  FAIL: exception', e && e.stack || e);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
