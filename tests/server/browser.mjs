// The web chat in a real browser: headless Chromium (Debian's) driven by playwright-core types a
// question into the page r1-server serves, sends it, and reads what the page shows: a thinking
// block above the answer, the \boxed{} answer, the token rate; then a second turn. Saves a
// screenshot when asked.  usage: node browser.mjs URL [SCREENSHOT.png]   (prints "N passed, N failed")
import { chromium } from 'playwright-core';

let passed = 0, failed = 0;
function check(ok, what) {
  if (ok) passed++;
  else { failed++; console.log('  FAIL:', what); }
}
const exe = process.env.CHROMIUM || '/usr/bin/chromium';
let browser;
try {
  browser = await chromium.launch({ executablePath: exe, args: ['--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage({ viewport: { width: 900, height: 640 } });
  const requests = [];
  const posted = [];
  page.on('request', r => { requests.push(r.url()); if (r.method() === 'POST') posted.push(JSON.parse(r.postData())); });
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));
  await page.goto(process.argv[2]);
  await page.waitForFunction(() => document.getElementById('model').textContent.length > 0, null, { timeout: 10000 });
  check(/r1-tiny/.test(await page.textContent('#model')), 'the header names the model');

  await page.fill('#input', 'What is 12 + 35 * 2?');
  await page.press('#input', 'Enter');
  await page.waitForFunction(() => {
    const a = document.querySelectorAll('.msg.assistant .answer');
    return a.length === 1 && a[0].textContent.includes('}') && !document.getElementById('send').disabled;
  }, null, { timeout: 30000 });
  const user = await page.textContent('.msg.user');
  const think = await page.textContent('.msg.assistant details.think');
  const answer = await page.textContent('.msg.assistant .answer');
  const rate = await page.textContent('#rate');
  check(user === 'What is 12 + 35 * 2?', 'the question is shown: ' + user);
  check(/12 \+ 70/.test(think) && /Thought for/.test(think), 'the thinking block, collapsed above the answer: ' + think.slice(0, 80));
  check(await page.$eval('.msg.assistant details.think', d => !d.open && d.nextElementSibling.className === 'answer'),
        'the thinking block closes when the answer starts, and sits above it');
  check(answer.includes('\\boxed{82}'), 'the answer: ' + answer);
  check(/tok\/s/.test(rate), 'the token rate: ' + rate);

  if (process.argv[3]) { // the first turn, its thought opened
    await page.click('.msg.assistant details.think summary');
    await page.screenshot({ path: process.argv[3] });
    await page.click('.msg.assistant details.think summary');
  }

  // a second turn goes with the first in the conversation
  await page.fill('#input', 'What is 7 * 8 - 5?');
  await page.click('#send');
  await page.waitForFunction(() => {
    const a = document.querySelectorAll('.msg.assistant .answer');
    return a.length === 2 && a[1].textContent.includes('}') && !document.getElementById('send').disabled;
  }, null, { timeout: 30000 });
  const second = (await page.$$eval('.msg.assistant .answer', as => as.map(a => a.textContent)))[1];
  // (r1-tiny was trained on single questions: the second answer is checked for its form only)
  check(/\\boxed\{-?\d+\}/.test(second), 'the second answer: ' + second);
  const conv = posted[1] && posted[1].messages.map(m => m.role + ':' + m.content);
  check(conv && conv.length === 3 && conv[0] === 'user:What is 12 + 35 * 2?' && conv[1] === 'assistant:' + answer &&
        conv[2] === 'user:What is 7 * 8 - 5?', 'the second request carries the conversation: ' + JSON.stringify(conv));

  // text from the model is text: markup in a question is shown, not run
  await page.fill('#input', '<img src=x onerror="window.pwned=1"> <b>bold</b>');
  await page.click('#send');
  await page.waitForFunction(() => !document.getElementById('send').disabled && document.querySelectorAll('.msg.user').length === 3,
                             null, { timeout: 30000 });
  check(await page.evaluate(() => !window.pwned && document.querySelectorAll('.msg img, .msg b').length === 0), 'markup stays text');

  const origin = new URL(process.argv[2]).origin;
  check(requests.every(u => u.startsWith(origin)), 'no request leaves the server: ' + requests.filter(u => !u.startsWith(origin)));
  check(errors.length === 0, 'no script errors: ' + errors.join('; '));
} catch (e) {
  failed++;
  console.log('  FAIL: exception', e && e.stack || e);
} finally {
  if (browser) await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
