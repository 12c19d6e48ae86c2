// End-to-end test of the Sluice console in headless Chromium, against the packaged jar and a local mock upstream.
// Run by .ci/console-e2e.sh (from .ci/run): node src/test/e2e/console.e2e.mjs. Screenshots and the measured page
// sizes and first paints go to target/console-e2e/.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startMockUpstream, ARTICLE_TITLE, ARTICLE_AUTHOR } from './mock-upstream.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const out = path.join(root, 'target/console-e2e');
fs.mkdirSync(out, { recursive: true });
const MASTER = 'sk-e2e-master-key-0123456789abcdef';
const MODEL = 'openai/gpt-4o-mini';
const micros = (usd) => Math.round(Number(usd) * 1e6);
const step = (s) => console.log('  - ' + s);

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

async function waitFor(url, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try { if ((await fetch(url)).ok) return; } catch (e) { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('Sluice did not answer ' + url + ' within ' + ms + ' ms');
}

const upstream = await startMockUpstream();
const mock = 'http://127.0.0.1:' + upstream.address().port;
const port = await freePort();
const base = 'http://127.0.0.1:' + port;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-console-e2e-'));
const routing = path.join(dataDir, 'models.yaml');
fs.writeFileSync(routing, `groups:
  assistant:
    aliases: [chat]
    fallbacks: []
    deployments:
      - {id: mini-primary, provider: openai, model: gpt-4o-mini, rpm: 600}
      - {id: mini-backup, provider: openai, model: gpt-4o-mini, base-url: "http://127.0.0.1:9/v1", priority: 1}
`);
const jar = path.join(root, 'target/quarkus-app/quarkus-run.jar');
assert.ok(fs.existsSync(jar), 'package Sluice first (./mvnw package): ' + jar);
const log = fs.openSync(path.join(out, 'sluice.log'), 'w');
const sluice = spawn('java', [
  '-Dquarkus.http.port=' + port, '-Dquarkus.http.host=127.0.0.1', '-Dsluice.master-key=' + MASTER,
  '-Dsluice.data-dir=' + dataDir, '-Dsluice.providers.openai.base-url=' + mock + '/v1',
  '-Dsluice.providers.openai.api-key=sk-mock-upstream-0123456789', '-Dsluice.routing.config-file=' + routing,
  '-Dsluice.extract.allowed-cidrs=127.0.0.1/32', '-Dsluice.request-log.enabled=true', '-jar', jar], { stdio: ['ignore', log, log] });

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
let failed = false;
try {
  await waitFor(base + '/console/login', 60_000);
  const viewport = { width: 1360, height: 900 };

  async function signIn(context, key) {
    const page = await context.newPage();
    await page.goto(base + '/console');
    assert.match(page.url(), /\/console\/login$/);
    await page.fill('#key', key);
    await Promise.all([page.waitForURL(/\/console\/overview$/), page.click('#sign-in')]);
    await page.waitForSelector('body[data-ready]');
    return page;
  }
  async function open(page, name) {
    const res = await page.goto(base + '/console/' + name);
    if (res.status() === 200 && !page.url().includes('/login')) await page.waitForSelector('body[data-ready]');
    return res;
  }
  const usdOf = async (page, selector) => (await page.getAttribute(selector, 'data-usd'));

  // --- the operator signs in and creates a key with $1 -----------------------------------------------------------
  step('master signs in and creates a key with $1 of credit');
  const admin = await browser.newContext({ viewport });
  await admin.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const a = await signIn(admin, MASTER);
  await open(a, 'keys');
  await a.click('#new-key');
  await a.fill('#key-form input[name=name]', 'playground-e2e');
  await a.fill('#key-form input[name=models]', 'openai/*');
  await a.fill('#key-form input[name=rpm]', '120');
  await a.fill('#key-form input[name=credit_usd]', '1');
  await a.click('#key-submit');
  await a.waitForSelector('#secret-dialog[open]');
  const secret = (await a.textContent('#secret-value')).trim();
  assert.match(secret, /^sk-sluice-/);
  await a.click('#copy-secret');
  // the button says so once the clipboard write has completed (asynchronously)
  await a.waitForFunction(() => document.querySelector('#copy-secret').textContent.trim() === 'Copied',
    null, { timeout: 5000 });
  assert.equal(await a.evaluate(() => navigator.clipboard.readText()), secret, 'the copy button copies the key');
  await a.click('#secret-done');
  const row = a.locator('#keys-table tbody tr', { hasText: 'playground-e2e' });
  const keyId = await row.getAttribute('data-key-id');
  assert.equal(micros(await row.locator('td[data-usd]').getAttribute('data-usd')), 1_000_000);
  assert.ok(!(await a.content()).includes(secret), 'the key is shown once, then never rendered again');

  // --- the key's holder signs in elsewhere and uses the playground -------------------------------------------------
  step('the key signs in in a second context and sends a playground chat');
  const holder = await browser.newContext({ viewport });
  const b = await signIn(holder, secret);
  const before = micros(await usdOf(b, '#card-balance'));
  assert.equal(before, 1_000_000);
  await open(b, 'playground');
  await b.selectOption('#model', MODEL);
  await b.fill('#prompt', 'Say hello.');
  await b.click('#send');
  await b.waitForSelector('.msg-assistant .cost');
  const answer = await b.textContent('.msg-assistant .text');
  assert.match(answer, /Hello from the mock upstream/);
  const cost = micros(await usdOf(b, '.msg-assistant .cost'));
  assert.ok(cost > 0, 'the answer shows its cost');
  await b.waitForFunction((expected) => document.querySelector('#balance-line').dataset.usd !== undefined
    && Math.round(Number(document.querySelector('#balance-line').dataset.usd) * 1e6) === expected, before - cost);

  step('its cost appears in its usage, and the balance dropped by exactly that cost');
  await open(b, 'usage');
  assert.equal(micros(await usdOf(b, '#usage-total-cost')), cost);
  await open(b, 'overview');
  assert.equal(micros(await usdOf(b, '#card-balance')), before - cost);
  assert.equal(micros(await usdOf(b, '#card-today')), cost);

  step('web_extract: sources and [n] citations as links; the extract tester');
  await open(b, 'playground');
  await b.selectOption('#model', MODEL);
  await b.fill('#urls', mock + '/article');
  await b.fill('#prompt', 'What does a sluice gate do?');
  await b.click('#send');
  await b.waitForSelector('.msg-assistant:nth-of-type(2) .cost, .msg-assistant >> nth=0 >> .cost');
  await b.waitForSelector('.msg-assistant sup a');
  assert.equal(await b.getAttribute('.msg-assistant sup a', 'href'), mock + '/article');
  assert.equal(await b.textContent('.msg-assistant .sources a'), ARTICLE_TITLE);
  await b.fill('#extract-url', mock + '/article');
  await b.click('#extract-form button');
  await b.waitForSelector('#extract-md:not([hidden])');
  assert.equal(await b.textContent('#extract-title'), ARTICLE_TITLE);
  assert.equal(await b.textContent('#extract-author'), ARTICLE_AUTHOR);
  assert.match(await b.textContent('#extract-date'), /^2026-11-20/);
  assert.match(await b.textContent('#extract-md'), /movable barrier/);
  await b.screenshot({ path: path.join(out, 'playground.png'), fullPage: true });

  step('a virtual key cannot open the keys or routing pages (403, no data)');
  for (const name of ['keys', 'routing']) {
    const res = await b.goto(base + '/console/' + name);
    assert.equal(res.status(), 403, name);
    const html = await b.content();
    for (const leak of [keyId, 'playground-e2e', 'mini-primary', 'balance']) assert.ok(!html.includes(leak), name + ' shows ' + leak);
  }
  const adminApi = await b.evaluate(async () => (await fetch('/admin/keys', { headers: { 'X-Sluice-CSRF': document.querySelector('meta[name=csrf]')?.content || '' } })).status);
  assert.ok(adminApi === 401 || adminApi === 403, 'the admin API refuses the key (got ' + adminApi + ')');
  await open(b, 'invoices');
  await b.screenshot({ path: path.join(out, 'invoices-virtual-key.png'), fullPage: true });

  // --- the operator's pages, with traffic in them ----------------------------------------------------------------
  step('operator pages: overview, keys, usage, invoices, routing (screenshots), with some traffic of the master key');
  for (let i = 0; i < 6; i++) {
    const r = await fetch(base + '/v1/chat/completions', { method: 'POST', headers: { Authorization: 'Bearer ' + MASTER,
      'Content-Type': 'application/json' }, body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'Ping ' + i }] }) });
    assert.equal(r.status, 200, await r.text());
  }
  for (const name of ['overview', 'keys', 'usage', 'invoices', 'routing']) {
    await open(a, name);
    if (name === 'overview') await a.waitForFunction(() => document.querySelectorAll('#cards .card').length >= 6);
    if (name === 'usage') {
      await a.selectOption('#usage-filters select[name=group_by]', 'model');
      await a.click('#usage-filters button[type=submit]');
      await a.waitForSelector('#usage-table tbody tr');
    }
    await a.screenshot({ path: path.join(out, name + '.png'), fullPage: true });
  }
  assert.ok(await a.locator('tr[data-deployment="mini-primary"] .badge', { hasText: 'healthy' }).count() === 1);
  await a.click('tr[data-deployment="mini-backup"] button');
  await a.click('#reload');
  await a.waitForFunction(() => document.querySelector('#routing-meta').textContent.includes('reloaded'));

  step('logs page: the master key\'s requests are listed (rows are written asynchronously), a row opens its detail');
  for (let i = 0; ; i++) {
    await open(a, 'logs');
    if (await a.locator('#logs-table tbody tr').count() > 0) break;
    assert.ok(i < 40, 'no request-log rows appeared');
    await a.waitForTimeout(250);
  }
  await a.click('#logs-table tbody tr');
  await a.waitForSelector('#log-dialog[open]');
  assert.match(await a.textContent('#log-fields'), /chat/);
  await a.screenshot({ path: path.join(out, 'logs.png'), fullPage: true });
  await a.click('#log-dialog [data-close]');

  step('CSV export: the same rows as the API');
  await open(a, 'usage');
  const [csv] = await Promise.all([a.waitForEvent('download'), a.click('#usage-csv')]);
  const text = fs.readFileSync(await csv.path(), 'utf8');
  assert.match(text, /^group,requests,failed_requests,prompt_tokens,completion_tokens/);

  step('the operator tops the key up and edits its limits');
  await open(a, 'keys');
  const keyRow = () => a.locator('#keys-table tbody tr', { hasText: 'playground-e2e' });
  const balanceBefore = micros(await keyRow().locator('td[data-usd]').getAttribute('data-usd'));
  await keyRow().locator('button[data-action=credit]').click();
  await a.fill('#credit-form input[name=amount_usd]', '0.5');
  await a.fill('#credit-form input[name=note]', 'e2e top-up');
  await a.click('#credit-form button[type=submit]');
  await a.waitForFunction(([expected]) => {
    const cell = [...document.querySelectorAll('#keys-table tbody tr')].find((r) => r.textContent.includes('playground-e2e'));
    return cell && Math.round(Number(cell.querySelector('td[data-usd]').dataset.usd) * 1e6) === expected;
  }, [balanceBefore + 500_000]);
  await keyRow().locator('button[data-action=edit]').click();
  assert.equal(await a.inputValue('#key-form input[name=rpm]'), '120');
  await a.fill('#key-form input[name=rpm]', '240');
  await a.fill('#key-form input[name=tpm]', '50000');
  await a.click('#key-submit');
  await a.waitForSelector('#keys-table tbody tr:has-text("playground-e2e") :text("240 rpm · 50,000 tpm")');

  // --- revocation -------------------------------------------------------------------------------------------------
  step('the operator revokes the key; the second context is refused');
  await open(a, 'keys');
  await a.locator('#keys-table tbody tr', { hasText: 'playground-e2e' }).locator('button[data-action=revoke]').click();
  await a.click('#confirm-ok');
  await a.waitForSelector('#keys-table tbody tr:has-text("playground-e2e") .badge.status-revoked');
  const refused = await b.evaluate(async () => (await fetch('/v1/balance', { headers: { 'X-Sluice-CSRF': 'x' } })).status);
  assert.equal(refused, 401);
  await b.goto(base + '/console/usage');
  await b.waitForURL(/\/console\/login/);
  assert.match(await b.textContent('#login-error'), /session ended/);

  // --- figures: page sizes and first paint, each page loaded cold ------------------------------------------------
  step('page sizes and first paint (HTTP cache disabled, localhost; each page loaded 6 times, the first discarded, medians)');
  const figures = [];
  const cold = await browser.newContext({ viewport });
  await (await signIn(cold, MASTER)).close();
  for (const name of ['login', 'overview', 'keys', 'usage', 'invoices', 'routing', 'playground']) {
    const ctx = name === 'login' ? await browser.newContext({ viewport }) : cold;
    const page = await ctx.newPage();
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    let bytes = 0;
    cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
    await page.goto(base + '/console/' + name, { waitUntil: 'networkidle' });
    const runs = [];
    for (let i = 0; i < 5; i++) {
      bytes = 0;
      await page.goto(base + '/console/' + name, { waitUntil: 'networkidle' });
      runs.push(await page.evaluate(() => {
        const fcp = performance.getEntriesByName('first-contentful-paint')[0];
        const nav = performance.getEntriesByType('navigation')[0];
        return { fcp: fcp ? fcp.startTime : NaN, ttfb: nav.responseStart - nav.requestStart };
      }));
    }
    const median = (xs) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    figures.push({ page: name, transferred_kb: +(bytes / 1024).toFixed(1),
      server_ttfb_ms: +median(runs.map((r) => r.ttfb)).toFixed(1),
      first_contentful_paint_ms: +median(runs.map((r) => r.fcp)).toFixed(0),
      fcp_min_ms: +Math.min(...runs.map((r) => r.fcp)).toFixed(0) });
    assert.ok(bytes < 300 * 1024, name + ' transfers ' + bytes + ' bytes');
    await page.close();
  }
  console.table(figures);
  fs.writeFileSync(path.join(out, 'figures.json'), JSON.stringify(figures, null, 2));
  console.log('Console end-to-end test passed; screenshots in ' + out);
} catch (e) {
  failed = true;
  console.error(e);
  console.error('Sluice log: ' + path.join(out, 'sluice.log'));
} finally {
  await browser.close();
  sluice.kill('SIGTERM');
  upstream.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
