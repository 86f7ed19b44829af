// run.mjs - browser tests of the web interface: Playwright (playwright-core) drives Debian's
// Chromium against the real "nextcall serve" on a fresh demo database.
// Usage: node run.mjs NEXTCALL_BINARY SOURCE_ROOT
// Prints "ok - NAME" / "not ok - NAME" per case and, last, "N passed, M failed"; exits 1 on a
// failure. Screenshots (and the server's log) go to tests/browser/artifacts/ (or
// $NEXTCALL_ARTIFACTS). Run only some cases with $BROWSER_ONLY (a substring of their names).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, readFileSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { checkHtml } from './htmlcheck.mjs';

const [bin, srcRoot] = process.argv.slice(2).map((p) => p && path.resolve(p));
if (!bin || !srcRoot) {
  console.error('usage: node run.mjs NEXTCALL_BINARY SOURCE_ROOT');
  process.exit(2);
}
const artifacts = process.env.NEXTCALL_ARTIFACTS || path.join(srcRoot, 'tests/browser/artifacts');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TZ = 'Europe/Moscow'; // the demo team's zone
const PASSWORD = 'demo1234';
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 740 };
const MAX_PAGE_BYTES = 100 * 1024;
const LOG_FORM = 'form#log, #log form';

/* ---- the server ---- */

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const env = { ...process.env, NEXTCALL_SYNC: 'normal', NEXTCALL_SCAN_S: '2' };
delete env.NEXTCALL_DB;

async function startServer(db) {
  const port = await freePort();
  const log = openSync(path.join(artifacts, 'server.log'), 'w');
  const proc = spawn(bin, ['--db', db, 'serve', '--listen', `127.0.0.1:${port}`],
    { env, stdio: ['ignore', log, log] });
  closeSync(log);
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (proc.exitCode !== null) throw new Error(`the server exited with ${proc.exitCode}: see ${artifacts}/server.log`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) return { proc, base, exited };
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill('SIGKILL');
  throw new Error('the server did not answer /healthz within 20 s');
}

async function stopServer(srv) {
  srv.proc.kill('SIGTERM');
  const timeout = new Promise((r) => setTimeout(() => r(null), 10000));
  const how = await Promise.race([srv.exited, timeout]);
  if (!how) {
    srv.proc.kill('SIGKILL');
    return 'did not stop within 10 s of SIGTERM';
  }
  return how.code === 0 ? null : `stopped with ${how.signal || 'status ' + how.code}`;
}

/* ---- helpers ---- */

let base, token;

async function api(pathname, options = {}) {
  const r = await fetch(base + pathname, {
    ...options,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...(options.headers || {}) },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${options.method || 'GET'} ${pathname}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

// local gives the wall-clock time in the demo's zone, minutes from now, as "YYYY-MM-DDTHH:MM".
function local(minutesFromNow = 0) {
  const d = new Date(Date.now() + minutesFromNow * 60000);
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit',
    minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

// a five-minute boundary at least `minutes` from now
function soon(minutes) {
  const t = local(minutes);
  const m = Math.ceil(Number(t.slice(14, 16)) / 5) * 5;
  if (m < 60) return t.slice(0, 14) + String(m).padStart(2, '0');
  return local(minutes + 60 - Number(t.slice(14, 16))).slice(0, 14) + '00';
}

// poMsgstr gives the translation of msgid in po/LANG.po, or "" when it has none yet.
function poMsgstr(lang, msgid) {
  let po;
  try {
    po = readFileSync(path.join(srcRoot, 'po', `${lang}.po`), 'utf8');
  } catch {
    return '';
  }
  const esc = msgid.replace(/[\\"]/g, (c) => '\\' + c).replace(/[.*+?^${}()|[\]]/g, '\\$&');
  const m = po.match(new RegExp(`^msgid "${esc}"\\nmsgstr "((?:[^"\\\\]|\\\\.)*)"((?:\\n"(?:[^"\\\\]|\\\\.)*")*)`, 'm'));
  if (!m) return '';
  const more = (m[2] || '').split('\n').filter(Boolean).map((l) => l.slice(1, -1)).join('');
  return (m[1] + more).replace(/\\"/g, '"').replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
}

let browser;
const seen = { favicon: 0 };

// open makes a fresh browser context (its own cookies) and a page that records its console
// errors, uncaught exceptions and failed requests in page.problems.
async function open(options = {}) {
  const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', ...options });
  const page = await ctx.newPage();
  page.setDefaultTimeout(15000);
  page.problems = [];
  const documents = new Set(); // pages loaded: their status is the cases' business
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const url = (m.location().url || '').replace(/#.*/, '');
    if (url.endsWith('/favicon.ico')) {
      seen.favicon++;
      return;
    }
    // Chromium logs every page answered 4xx/5xx (a refused form is 422 on purpose)
    if (m.text().startsWith('Failed to load resource: the server responded with a status') &&
        documents.has(url))
      return;
    page.problems.push(`console: ${m.text()} (${url || '?'})`);
  });
  page.on('request', (r) => {
    if (r.resourceType() === 'document') documents.add(r.url().replace(/#.*/, ''));
  });
  page.on('pageerror', (e) => page.problems.push(`exception: ${e.message}`));
  page.on('requestfailed', (r) => {
    // requests the browser cancels itself because the page went away (the event stream, an
    // icon still loading) are not failures
    if (r.failure()?.errorText === 'net::ERR_ABORTED') return;
    page.problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && r.request().resourceType() !== 'document')
      page.problems.push(`request: ${r.url()} answered ${r.status()}`);
  });
  return page;
}

async function close(page) {
  await page.context().close();
}

// login signs in through the login page, as a person would.
async function login(page, who) {
  await page.goto(base + '/login');
  await page.fill('input[name="login"]', who);
  await page.fill('input[name="password"]', PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type="submit"]')]);
}

async function goto(page, pathname) {
  const r = await page.goto(base + pathname);
  return r;
}

function assertClean(page, what) {
  assert.deepEqual(page.problems, [], `${what}: console errors or failed requests`);
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

async function mainText(page) {
  return (await page.textContent('main')) || '';
}

// setField sets a field of a form by name, whatever control the page chose for it.
async function setField(form, name, value) {
  const loc = form.locator(`[name="${name}"]`);
  const n = await loc.count();
  assert.ok(n > 0, `the form has no field "${name}"`);
  const first = loc.first();
  const tag = await first.evaluate((e) => e.tagName.toLowerCase() + ':' + (e.type || ''));
  if (tag.startsWith('select')) await first.selectOption(value);
  else if (tag.endsWith(':radio')) await form.locator(`[name="${name}"][value="${value}"]`).check();
  else if (tag.endsWith(':checkbox')) await (value ? first.check() : first.uncheck());
  else await first.fill(value);
}

async function fieldValue(form, name) {
  return form.locator(`[name="${name}"]`).first().evaluate((e) => {
    if (e.type === 'radio') {
      const c = e.form.querySelector(`[name="${e.name}"]:checked`);
      return c ? c.value : '';
    }
    return e.value;
  });
}

// errorBeside gives the text of the error shown beside a field: the element the field names in
// aria-describedby, or a .field-error / [role=alert] in the field's label or .field container.
async function errorBeside(page, selector) {
  return page.locator(selector).evaluate((f) => {
    const texts = [];
    for (const id of (f.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean)) {
      const e = document.getElementById(id);
      if (e && (e.matches('.field-error, [role="alert"]'))) texts.push(e.textContent.trim());
    }
    const box = f.closest('label, .field, fieldset, p, div');
    if (box) box.querySelectorAll('.field-error, [role="alert"]').forEach((e) => texts.push(e.textContent.trim()));
    return texts.filter(Boolean).join(' | ');
  });
}

/* ---- the demo data the cases use ---- */

const demo = {};

async function loadDemo() {
  const list = await api('/api/v1/clients?owner=anna&limit=500');
  const names = new Map();
  for (const c of list.items) names.set(c.name, (names.get(c.name) || 0) + 1);
  const all = await api('/api/v1/clients?limit=500');
  for (const c of all.items) if (c.owner !== 'anna') names.set(c.name, (names.get(c.name) || 0) + 1);
  // clients of anna, unique by name, with a phone, still in play
  demo.anna = list.items.filter((c) => names.get(c.name) === 1 && c.phones.length &&
    (c.category === 'now' || c.category === 'future'));
  assert.ok(demo.anna.length >= 5, 'the demo gives anna at least five clients in play');
  const today = local().slice(0, 10);
  // the client to log a call for: his next step is on a later day, so today's list changes
  for (const c of demo.anna) {
    const card = await api(`/api/v1/clients/${c.id}`);
    if (card.next_step && card.next_step.due_at.slice(0, 10) > today) {
      demo.logClient = card;
      break;
    }
  }
  assert.ok(demo.logClient, 'a client of anna with a next step on a later day');
  const others = demo.anna.filter((c) => c.id !== demo.logClient.id);
  demo.searchClient = others[0];
  demo.callClient = others[1];
  demo.kbdClient = others[2];
  demo.dueClient = others[3];
}

/* ---- the cases ---- */

const cases = [];
const test = (name, fn) => cases.push({ name, fn });

test('log in as anna through the login page and land on /day', async () => {
  const page = await open();
  await page.goto(base + '/login');
  assert.equal(await page.getAttribute('input[name="login"]', 'autocomplete'), 'username');
  await page.fill('input[name="login"]', 'anna');
  await page.fill('input[name="password"]', PASSWORD);
  const [resp] = await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
  assert.equal(new URL(page.url()).pathname, '/day');
  assert.equal(resp.status(), 200, '/day answers 200');
  assert.equal(await page.getAttribute('body', 'data-user'), 'anna');
  assertClean(page, '/day');
  await close(page);
});

test('a wrong password is refused on the login page, the login kept', async () => {
  const page = await open();
  await page.goto(base + '/login');
  await page.fill('input[name="login"]', 'anna');
  await page.fill('input[name="password"]', 'wrong-password');
  const [resp] = await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
  assert.equal(resp.status(), 401);
  assert.equal(await page.inputValue('input[name="login"]'), 'anna');
  assert.ok(await page.isVisible('[role="alert"]'), 'the refusal is shown');
  await close(page);
});

test('a courtesy purpose is refused beside the field, the text kept; fixed, the agenda changes', async () => {
  const c = demo.logClient;
  const page = await open();
  await login(page, 'anna');
  await goto(page, '/day');
  const before = await mainText(page);
  assert.ok(!before.includes(c.name), `${c.name} is not on anna's day before the call`);

  let r = await goto(page, `/clients/${c.id}#log`);
  assert.equal(r.status(), 200, 'the card answers 200');
  const form = page.locator(LOG_FORM);
  const due = soon(40);
  const typed = { purpose: 'Просто напомнить о себе', next_due: due };
  await setField(form, 'purpose', typed.purpose);
  await setField(form, 'result', 'min');
  await setField(form, 'outcome', 'next');
  await setField(form, 'next_kind', 'call');
  await setField(form, 'next_due', due);
  const goalMax = await fieldValue(form, 'goal_max');
  assert.ok(goalMax.length > 0, 'the maximum goal is prefilled');
  [r] = await Promise.all([page.waitForNavigation(), page.click('#log-submit')]);
  assert.equal(r.status(), 422, 'a refusal answers 422');
  await shot(page, 'log-refused');
  const expected = poMsgstr('ru', "A courtesy call is not a purpose. Say what the client gets from this call, or do not call.") ||
    'A courtesy call is not a purpose. Say what the client gets from this call, or do not call.';
  const err = await errorBeside(page, '#purpose');
  assert.ok(err.includes(expected), `the refusal beside the purpose: want "${expected}", got "${err}"`);
  const form2 = page.locator(LOG_FORM);
  assert.equal(await fieldValue(form2, 'purpose'), typed.purpose, 'the purpose is kept');
  assert.equal(await fieldValue(form2, 'next_due'), typed.next_due, 'the next step time is kept');
  assert.equal(await fieldValue(form2, 'next_kind'), 'call', 'the next step kind is kept');
  assert.equal(await fieldValue(form2, 'outcome'), 'next', 'the outcome is kept');
  assert.equal(await fieldValue(form2, 'result'), 'min', 'the result is kept');
  assert.equal(await fieldValue(form2, 'goal_max'), goalMax, 'the maximum goal is kept');

  const purpose = 'Согласовать смету после замера и записать на монтаж';
  await setField(form2, 'purpose', purpose);
  [r] = await Promise.all([page.waitForNavigation(), page.click('#log-submit')]);
  assert.equal(new URL(page.url()).pathname, `/clients/${c.id}`, 'back on the card (Post/Redirect/Get)');
  assert.equal(r.status(), 200);
  const card = await mainText(page);
  assert.ok(card.includes(purpose), 'the card shows the new call');
  assert.ok(card.includes(due.slice(11, 16)), `the card shows the next step at ${due.slice(11, 16)}`);
  await shot(page, 'log-done');
  assertClean(page, 'the card');

  await goto(page, '/day');
  const after = await mainText(page);
  if (due.slice(0, 10) === local().slice(0, 10))
    assert.ok(after.includes(c.name), `${c.name} is on anna's day after the call (step at ${due})`);
  else console.log(`# the step falls tomorrow (${due}): the day is not expected to change`);
  await close(page);
});

// phone "+7XXXXXXXXXX" typed as "8 (XXX) XXX-XX-XX"
function otherFormat(e164) {
  const d = e164.slice(2);
  return `8 (${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6, 8)}-${d.slice(8, 10)}`;
}

test('search as you type finds a client by a phone typed in another format', async () => {
  const c = demo.searchClient;
  const typed = otherFormat(c.phones[0]);
  const page = await open();
  await login(page, 'anna');
  const r = await goto(page, '/clients');
  assert.equal(r.status(), 200);
  await page.evaluate(() => { window.notReloaded = true; });
  await page.click('#client-search');
  await page.keyboard.type(typed, { delay: 20 });
  // the URL follows the query once the results are in
  await page.waitForFunction((q) => new URL(location.href).searchParams.get('q') === q, typed);
  assert.equal(await page.evaluate(() => window.notReloaded), true, 'no page load: the results came by script');
  const links = await page.locator('#client-results a[href^="/clients/"]').allTextContents();
  assert.ok(links.includes(c.name), `the client is found: ${links.join(', ')}`);
  assert.ok(links.length <= 3, `only the client with that phone is found: ${links.join(', ')}`);
  assertClean(page, '/clients');
  await close(page);
});

test('the plain search form (no JavaScript) finds a client by a phone in another format', async () => {
  const c = demo.searchClient;
  const page = await open({ javaScriptEnabled: false });
  await login(page, 'anna');
  await goto(page, '/clients');
  await page.fill('#client-search', otherFormat(c.phones[0]));
  await Promise.all([page.waitForNavigation(), page.press('#client-search', 'Enter')]);
  assert.equal(new URL(page.url()).searchParams.get('q'), otherFormat(c.phones[0]));
  assert.ok((await page.textContent('#client-results')).includes(c.name), 'the client is found');
  await close(page);
});

test('a rep hands a call of another rep\'s client to the owner from his day; the row leaves', async () => {
  // a client of anna's of his own, so that the other cases' steps stay as they are
  const phone = `+7912${String(Date.now() % 10000000).padStart(7, '0')}`;
  const c = await api('/api/v1/clients', { method: 'POST', body: { name: 'Handover Browser', phones: [phone], owner: 'anna' } });
  const hook = `browser-hook-${Date.now()}`;
  await api('/api/v1/settings', { method: 'PATCH', body: { 'webhook.token': hook } });
  const start = Date.now() - 3600 * 1000;
  const iso = (t) => new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');
  let call;
  try {
    const r = await fetch(base + '/api/v1/telephony/webhook', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Nextcall-Token': hook },
      body: JSON.stringify({ event: 'end', call_id: `browser-handover-${Date.now()}`, from: c.phones[0],
        extension: '202', direction: 'in', started_at: iso(start), answered_at: iso(start + 6000),
        ended_at: iso(start + 96000) }),
    });
    assert.equal(r.status, 200, 'the exchange reports the call');
    call = (await r.json()).stored_call_id;
  } finally {
    await api('/api/v1/settings', { method: 'PATCH', body: { 'webhook.token': '' } });
  }
  const page = await open();
  await login(page, 'oleg');
  await goto(page, '/day');
  const row = page.locator(`section.unlogged li[data-call="${call}"]`);
  assert.equal(await row.count(), 1, 'oleg\'s day lists the call to be logged');
  assert.ok(!(await row.textContent()).includes(c.name), 'the row does not name anna\'s client');
  const note = `wants a ceiling in the hall, browser ${Date.now()}`;
  await row.locator('input[name="note"]').fill(note);
  await Promise.all([page.waitForNavigation(), row.locator('button[type="submit"]').click()]);
  assert.equal(new URL(page.url()).pathname, '/day');
  assert.equal(await page.locator(`li[data-call="${call}"]`).count(), 0, 'the handed call left the day');
  assertClean(page, 'the handover');
  await close(page);
  const steps = await api(`/api/v1/next-steps?client_id=${c.id}&limit=500`);
  assert.ok(steps.items.some((s) => s.kind === 'callback' && s.rep === 'anna' && (s.note || '').includes(note)),
    'anna has the callback step with the note');
});

async function ring(from, callId) {
  return api('/api/v1/telephony/events', { method: 'POST', body: { type: 'ringing', call_id: callId, from, rep: 'anna' } });
}

test('an incoming call pops the panel with the client; Enter opens the card at the log form', async () => {
  const c = demo.callClient;
  const page = await open();
  await login(page, 'anna');
  await goto(page, '/clients');
  await page.waitForSelector('body[data-live="open"]', { state: 'attached' });
  assert.ok(await page.locator('#call-panel').isHidden(), 'no panel before the call');
  const out = await ring(c.phones[0], 'b1');
  assert.equal(out.client_id, c.id);
  const panel = page.locator('#call-panel');
  await panel.waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.querySelectorAll('#call-panel .call-summary li').length > 0);
  const text = await panel.textContent();
  assert.ok(text.includes(c.name), 'the panel names the client');
  assert.ok(text.includes(c.phones[0]), 'the panel shows the phone');
  assert.ok(text.includes('anna'), 'the panel shows the card summary (the owner)');
  await shot(page, 'call-panel');
  const focused = await page.evaluate(() => document.activeElement.getAttribute('href'));
  assert.equal(focused, `/clients/${c.id}#log`, 'the card link has the focus');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  const u = new URL(page.url());
  assert.equal(u.pathname + u.hash, `/clients/${c.id}#log`);
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'purpose');
  assertClean(page, 'the panel');
  await close(page);
});

test('an unknown caller pops "new client" with the phone filled in; Escape dismisses', async () => {
  const phone = '+79990001122';
  const found = await api(`/api/v1/clients?phone=${encodeURIComponent(phone)}`);
  assert.equal(found.items.length, 0, 'the phone is nobody\'s');
  const page = await open({ viewport: PHONE });
  await login(page, 'anna');
  await page.waitForSelector('body[data-live="open"]', { state: 'attached' });
  await page.focus('header.top nav a');
  await ring(phone, 'b2');
  const panel = page.locator('#call-panel');
  await panel.waitFor({ state: 'visible' });
  const label = await panel.getAttribute('data-new-client');
  assert.ok((await panel.textContent()).includes(label), `the panel says "${label}"`);
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')),
    `/clients/new?phone=${encodeURIComponent(phone)}`);
  await shot(page, 'call-panel-360');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.closest('#call-panel') !== null &&
    document.activeElement.tagName), 'BUTTON', 'Tab reaches Dismiss');
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'hidden' });
  assert.equal(await page.evaluate(() => document.activeElement.matches('header.top nav a')), true,
    'the focus goes back where it was');
  // it rings again: Enter opens the new client's form with the phone filled in
  await ring(phone, 'b3');
  await panel.waitFor({ state: 'visible' });
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(new URL(page.url()).pathname, '/clients/new');
  assert.equal(await page.inputValue('input[name="phone"] >> nth=0'), phone, 'the phone is filled in');
  assertClean(page, 'the panel');
  await close(page);
});

test('a call ringing while the rep types in the log form does not take the focus', async () => {
  const page = await open();
  await login(page, 'anna');
  await goto(page, `/clients/${demo.kbdClient.id}#log`);
  await page.waitForSelector('body[data-live="open"]', { state: 'attached' });
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'purpose');
  await page.keyboard.type('Согласовать дату замера');
  await ring(demo.callClient.phones[0], 'b4');
  await page.locator('#call-panel').waitFor({ state: 'visible' });
  await page.keyboard.type(' на субботу');
  assert.equal(await page.inputValue('#purpose'), 'Согласовать дату замера на субботу', 'the typing went on');
  await page.keyboard.press('Escape');
  await page.locator('#call-panel').waitFor({ state: 'hidden' });
  assertClean(page, 'the card');
  await close(page);
});

test('a step falling due shows a notice', async () => {
  const c = demo.dueClient;
  const page = await open({ timezoneId: TZ });
  await login(page, 'anna');
  await page.waitForSelector('body[data-live="open"]', { state: 'attached' });
  const due = local(3);
  await api('/api/v1/next-steps', { method: 'POST', body: { client_id: c.id, kind: 'call', due_at: due, rep: 'anna' } });
  await page.waitForFunction((name) => [...document.querySelectorAll('.notices .notice')]
    .some((n) => n.textContent.includes(name)), c.name, { timeout: 20000 });
  const text = await page.textContent('.notices');
  assert.ok(text.includes(due.replace('T', ' ')), `the notice shows the time in the rep's zone: ${due} in "${text}"`);
  assertClean(page, 'the notice');
  await close(page);
});

test('a Russian-language user sees Russian labels', async () => {
  const page = await open({ locale: 'ru-RU' });
  await page.goto(base + '/login');
  assert.equal(await page.getAttribute('html', 'lang'), 'ru', 'the login page follows Accept-Language');
  await login(page, 'anna');
  assert.equal(await page.getAttribute('html', 'lang'), 'ru', '<html lang="ru"> for anna');
  const nav = (await page.textContent('header.top nav')) || '';
  const missing = [];
  for (const [msgid, want] of [['My day', 'Мой день'], ['Clients', 'Клиенты']])
    if (!nav.includes(want)) missing.push(`"${want}" (${msgid}; po/ru.po has "${poMsgstr('ru', msgid)}")`);
  for (const msgid of ['Log out']) {
    const want = poMsgstr('ru', msgid);
    if (!want || !nav.includes(want)) missing.push(`a translation of "${msgid}" (po/ru.po has "${want}")`);
  }
  const panelLabel = await page.getAttribute('#call-panel', 'data-incoming');
  if (panelLabel === 'Incoming call' || !/[а-я]/i.test(panelLabel || ''))
    missing.push(`the call panel's "Incoming call" (got "${panelLabel}")`);
  assert.deepEqual(missing, [], 'Russian labels missing: ' + missing.join(', '));
  await close(page);
});

test('keyboard: Tab goes from the purpose to the submit button; Ctrl+Enter sends the log form', async () => {
  const c = demo.kbdClient;
  const page = await open();
  await login(page, 'anna');
  await goto(page, `/clients/${c.id}#log`);
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'purpose');
  const order = [];
  for (let i = 0; i < 60; i++) {
    const f = await page.evaluate(() => {
      const e = document.activeElement;
      return { id: e.id, name: e.getAttribute('name'), inLog: !!e.closest('#log form, form#log') };
    });
    assert.ok(f.inLog, `Tab stays in the log form (left it after ${order.join(', ')})`);
    order.push(f.name || f.id);
    if (f.id === 'log-submit') break;
    await page.keyboard.press('Tab');
  }
  assert.equal(order[order.length - 1], 'log-submit', `Tab reaches #log-submit: ${order.join(', ')}`);
  for (const name of ['purpose', 'goal_max', 'goal_min', 'outcome', 'next_due'])
    assert.ok(order.includes(name), `Tab passes ${name}: ${order.join(', ')}`);
  // type a purpose and send with Ctrl+Enter (refused: a courtesy call; nothing is stored)
  await page.focus('#purpose');
  await page.keyboard.type('just checking in');
  const [resp] = await Promise.all([page.waitForNavigation(), page.keyboard.press('Control+Enter')]);
  assert.equal(resp.status(), 422, 'the form was sent and refused');
  assert.equal(await page.inputValue('#purpose'), 'just checking in');
  // shortcuts: "/" focuses the search box, "g c" opens the clients
  await goto(page, '/clients');
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'client-search', '"/" focuses the search');
  await page.keyboard.press('Escape');
  await page.evaluate(() => document.activeElement.blur());
  await Promise.all([page.waitForURL(/\/day$/), page.keyboard.press('g').then(() => page.keyboard.press('d'))]);
  assertClean(page, 'keyboard');
  await close(page);
});

// the main pages: who opens them, and which get a phone-sized screenshot too
const pages = [
  { name: 'login', path: '/login', who: null },
  { name: 'day', path: '/day', who: 'anna', phone: true },
  { name: 'clients', path: '/clients', who: 'anna' },
  { name: 'client', path: () => `/clients/${demo.logClient.id}`, who: 'anna', phone: true },
  { name: 'client-new', path: '/clients/new', who: 'anna' },
  { name: 'profile', path: '/profile', who: 'anna' },
  { name: 'team', path: '/team', who: 'elena' },
  { name: 'lost', path: '/lost', who: 'elena' },
  { name: 'settings', path: '/settings', who: 'elena' },
  { name: 'scripts', path: '/scripts', who: 'anna' },
  { name: 'script-new', path: '/scripts/new', who: 'elena' },
];

for (const p of pages) {
  test(`page ${p.name}: 200, under 100 KB, well formed, no console errors, screenshot`, async () => {
    const page = await open();
    if (p.who) await login(page, p.who);
    page.problems.length = 0;
    const where = typeof p.path === 'function' ? p.path() : p.path;
    const r = await goto(page, where);
    const body = await r.body();
    await page.waitForLoadState('load');
    await shot(page, p.name);
    await page.setViewportSize(PHONE);
    if (p.phone) await shot(page, `${p.name}-360`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.equal(r.status(), 200, `${where} answers 200`);
    assert.ok(body.length < MAX_PAGE_BYTES, `${where} weighs ${body.length} bytes`);
    const problems = checkHtml(body.toString('utf8'));
    assert.deepEqual(problems, [], `${where} is well formed`);
    assert.ok(await page.locator('main h1').count() >= 1, `${where} has an <h1>`);
    // nothing wider than the phone's screen but the tables' scrolling boxes
    assert.ok(wide <= PHONE.width, `${where} fits ${PHONE.width} px (scrollWidth ${wide})`);
    await page.waitForTimeout(300);
    assertClean(page, where);
    await close(page);
  });
}

/* ---- call scripts: the editor, the live panel beside the card, the statistics ---- */

const SCRIPT_FILE = 'examples/scripts/inbound_ceilings_en.yaml';
const scriptRun = {}; // what the script cases pass on: the script's id, the client

// press sends a key that presses a button of the script panel, and waits for the page it loads.
async function press(page, key) {
  const [r] = await Promise.all([page.waitForNavigation(), page.keyboard.press(key)]);
  return r;
}

async function clickAndWait(page, selector) {
  const [r] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
  return r;
}

// ru gives msgid as anna and elena see it (both use Russian), with {1}, {2} filled in.
function ru(msgid, a1 = '', a2 = '') {
  return (poMsgstr('ru', msgid) || msgid).replace('{1}', a1).replace('{2}', a2);
}

// page_rule_ru gives the sentence the card shows for a rule refusal, in Russian.
function page_rule_ru(rule) {
  const en = {
    refusal_reason_missing: 'Write why the client refused: what value did we fail to convey?',
    next_step_vague: 'The next step needs a concrete date and time.',
    next_step_missing: 'End the contact with a next step at a concrete date and time, a sale, or file the client as never. A refusal also needs the next planned contact.',
  }[rule] || rule;
  return poMsgstr('ru', en) || en;
}

async function panelText(page) {
  return (await page.textContent('section.script-panel')) || '';
}

test('scripts: a head uploads a script through the editor; an invalid edit shows findings with lines', async () => {
  const page = await open();
  await login(page, 'elena');
  let r = await goto(page, '/scripts/new');
  assert.equal(r.status(), 200);
  assert.ok(await page.isVisible('#script-file'), 'app.js shows the file chooser');
  await page.setInputFiles('#script-file', path.join(srcRoot, SCRIPT_FILE));
  await page.waitForFunction(() => document.getElementById('script-source').value.includes('stretch ceilings'));
  r = await clickAndWait(page, '#script-check');
  assert.equal(r.status(), 200);
  const verdict = await page.textContent('#findings');
  assert.equal(await page.locator('#findings li.finding.error').count(), 0, `the validator accepts the example: ${verdict}`);
  assert.ok(verdict.includes(ru('The script is valid.')), `the validator says so: ${verdict}`);
  r = await clickAndWait(page, '#script-save');
  const u = new URL(page.url());
  assert.match(u.pathname, /^\/scripts\/\d+$/, `saved, then shown: ${page.url()}`);
  assert.equal(u.searchParams.get('saved'), '1');
  scriptRun.id = Number(u.pathname.split('/')[2]);
  const version = Number(u.searchParams.get('version'));
  assert.ok((await mainText(page)).includes('Inbound call, stretch ceilings'));
  await shot(page, 'script-saved');

  // an edit that names a line that does not exist: refused with the finding's line and column
  await goto(page, `/scripts/${scriptRun.id}/edit`);
  const text = await page.inputValue('#script-source');
  assert.ok(text.includes('goto: intro'), 'the editor loads the latest version');
  const broken = text.replace('goto: intro', 'goto: nowhere');
  const badLine = broken.split('\n').findIndex((l) => l.includes('goto: nowhere')) + 1;
  await page.fill('#script-source', broken);
  r = await clickAndWait(page, '#script-save');
  assert.equal(r.status(), 422, 'an invalid script is refused');
  assert.equal(await page.inputValue('#script-source'), broken.replace(/\r\n/g, '\n'), 'the text is kept');
  const errors = page.locator('#findings li.finding.error');
  assert.ok(await errors.count() >= 1, 'the findings are listed');
  const places = await page.locator('#findings li.finding.error a.at').allTextContents();
  assert.ok(places.every((p) => /^\d+:\d+$/.test(p)), `each finding names line:column: ${places.join(', ')}`);
  const target = page.locator(`#findings li.finding.error a.at[data-line="${badLine}"]`);
  assert.ok(await target.count() >= 1, `a finding on line ${badLine} (the unknown target): ${places.join(', ')}`);
  assert.ok((await target.first().locator('xpath=..').textContent()).includes('unknown_target'));
  const color = await page.locator('#findings li.finding.error').first().evaluate((e) => getComputedStyle(e).borderLeftColor);
  assert.notEqual(color, 'rgba(0, 0, 0, 0)', 'errors are marked in colour');
  await target.first().click();
  const cursorLine = await page.evaluate(() => {
    const t = document.getElementById('script-source');
    return document.activeElement === t ? t.value.slice(0, t.selectionStart).split('\n').length : -1;
  });
  assert.equal(cursorLine, badLine, 'clicking the finding puts the cursor on its line');
  await shot(page, 'script-findings');
  // nothing was stored
  await goto(page, `/scripts/${scriptRun.id}`);
  assert.ok((await mainText(page)).includes(ru('version {1} of {2}', version, version)), 'no new version was stored');
  assertClean(page, 'the editor');
  await close(page);
});

test('scripts: a rep takes an inbound call in the script panel to a booked measurement visit', async () => {
  assert.ok(scriptRun.id, 'the script was uploaded by the previous case');
  const phone = '+79990004455';
  const client = await api('/api/v1/clients', { method: 'POST', body: { name: 'Покупатель потолка', phones: [phone], owner: 'anna' } });
  scriptRun.client = client.id;
  const page = await open({ timezoneId: TZ });
  await login(page, 'anna');
  await goto(page, '/scripts');
  assert.ok((await mainText(page)).includes('Inbound call, stretch ceilings'), 'the rep sees the script in the list');
  await goto(page, `/clients/${client.id}`);
  await page.selectOption('#run-script', { label: 'Inbound call, stretch ceilings' });
  let r = await clickAndWait(page, '#run-start');
  assert.equal(r.status(), 200);
  assert.match(page.url(), /\?run=\d+#script$/);
  const body = (await r.body()).toString('utf8');
  assert.deepEqual(checkHtml(body), [], 'the card with the panel is well formed');
  assert.ok(body.length < MAX_PAGE_BYTES, `the card with the panel weighs ${body.length} bytes`);
  assert.ok((await panelText(page)).includes('stretch ceilings'), 'the first line is shown');
  // the panel sits beside the card on a wide screen
  const [pb, cb] = await Promise.all([page.locator('section.script-panel').boundingBox(), page.locator('article.card').boundingBox()]);
  assert.ok(pb.x + pb.width <= cb.x + 1, `the panel is beside the card (${pb.x}+${pb.width} vs ${cb.x})`);
  await shot(page, 'script-panel');

  await press(page, '1'); // greeting -> the client's question
  await press(page, '1'); // -> name
  await page.fill('#run-answer', 'Мария');
  await press(page, 'Enter'); // the answer alone
  assert.equal(await page.inputValue('#run-answer'), 'Мария', 'the captured name is shown');
  await press(page, '1'); // -> intro, which says the name
  assert.ok((await page.textContent('#run-line')).includes('Мария'), 'the line is rendered with the name');

  // the price asked three times: two deflections, then the price
  await press(page, 'p');
  assert.ok((await page.textContent('#run-price-line')).includes('It depends on the material'), 'first deflection');
  assert.equal((await page.textContent('#run-price-count')).trim(), ru('{1} of {2}', 1, 3));
  await press(page, 'p');
  assert.ok((await page.textContent('#run-price-line')).includes('I will name it in a minute'), 'second deflection');
  await press(page, 'p');
  assert.ok((await page.textContent('#run-price-line')).includes('For your room it comes to'), 'the price at the third question');
  assert.equal((await page.textContent('#run-price-count')).trim(), ru('{1} of {2}', 3, 3));

  // an objection opened by its letter, then back to the script with Esc
  const letter = (await page.locator('button[value="objection.expensive"] kbd').textContent()).trim();
  assert.equal(letter, 'E');
  await press(page, letter.toLowerCase());
  assert.ok((await page.textContent('#run-objection')).includes('Expensive compared with what?'), 'the objection is open');
  await press(page, 'Escape');
  assert.equal(await page.locator('#run-objection').count(), 0, 'the objection is closed');
  assert.ok((await page.textContent('#run-line')).includes('Мария'), 'back where the rep was');

  // hold: the timer counts up and turns red after 30 s (the page's clock is moved on)
  await page.clock.install();
  await press(page, 'h');
  const hold = page.locator('.run-hold');
  assert.ok(!(await hold.getAttribute('class')).includes('over'), 'not red at first');
  await page.clock.fastForward(31000);
  await page.waitForSelector('.run-hold.over');
  const red = await hold.evaluate((e) => getComputedStyle(e).color);
  assert.match(red, /^rgb\((1[4-9]\d|2\d\d), \d{1,2}, \d{1,2}\)$/, `the hold line is red: ${red}`);
  await shot(page, 'script-panel-hold');
  await press(page, 'h'); // off hold
  assert.equal(await page.locator('.run-hold').count(), 0, 'off hold');

  // the needs questions, with buttons and keys: an option sends the typed answer with it
  await press(page, '1'); // intro -> area
  await page.fill('#run-answer', '42');
  await clickAndWait(page, 'button[value="option.0"]'); // -> material
  await page.selectOption('#run-answer', 'matte');
  await clickAndWait(page, 'button[value="option.0"]'); // -> walls
  await page.selectOption('#run-answer', 'concrete');
  await clickAndWait(page, 'button[value="option.0"]'); // -> lighting
  await page.fill('#run-answer', 'spotlights');
  await press(page, 'Enter');
  await press(page, '1'); // -> deadline
  const deadline = local(30 * 24 * 60).slice(0, 11) + '18:00';
  await page.fill('#run-answer', deadline);
  await clickAndWait(page, 'button[value="option.0"]'); // -> for whom
  await page.fill('#run-answer', "the children's room");
  await clickAndWait(page, 'button[value="option.0"]'); // -> summary
  assert.equal((await page.textContent('#run-questions')).trim(), ru('{1} of {2}', 6, 7), 'six needs questions asked');
  assert.ok((await page.textContent('#run-line')).includes('42'), 'the summary repeats the area');

  // a step sent out of order is refused clearly, and nothing moves
  await page.$eval('#run-steps input[name="seq"]', (e) => { e.value = '0'; });
  r = await clickAndWait(page, 'button[value="option.0"]');
  assert.equal(r.status(), 409);
  assert.ok((await page.textContent('section.script-panel [role="alert"]')).includes(ru('This step was sent out of order (twice, or from another window): nothing was changed. This is where the call is now.')), 'the refusal says why');
  assert.ok((await page.textContent('#run-line')).includes('42'), 'still at the summary');

  await press(page, '1'); // -> phone
  await page.fill('#run-answer', phone);
  await clickAndWait(page, 'button[value="option.0"]'); // -> presentation
  await press(page, '1'); // -> side question
  await press(page, '1'); // -> closing
  await page.setViewportSize(PHONE);
  await shot(page, 'script-panel-360');
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= PHONE.width, `the panel fits ${PHONE.width} px (scrollWidth ${wide})`);
  const [pp, cp] = await Promise.all([page.locator('section.script-panel').boundingBox(), page.locator('article.card').boundingBox()]);
  assert.ok(pp.y < cp.y, 'on a phone the panel comes first');
  await page.setViewportSize(DESKTOP);
  await press(page, '1'); // -> the visit booked: an end node

  const due = local(24 * 60).slice(0, 11) + '10:00';
  await page.selectOption('#run-next-kind', 'visit');
  await page.fill('#run-next-due', due);
  r = await clickAndWait(page, '#run-finish-submit');
  assert.equal(r.status(), 200);
  assert.equal(await page.locator('section.script-panel').count(), 0, 'the run is over');
  const card = await mainText(page);
  assert.ok(card.includes(ru('Maximum goal reached')), 'the result is told');
  const answers = await page.locator('#answers dd').evaluateAll((ds) => Object.fromEntries(ds.map((d) => [d.dataset.field, d.textContent])));
  for (const [field, want] of [['area_m2', '42'], ['material', 'matte'], ['walls', 'concrete'], ['lighting', 'spotlights'],
    ['deadline', deadline.replace('T', ' ')], ['for_whom', "the children's room"]])
    assert.equal(answers[field], want, `the card holds ${field}: ${JSON.stringify(answers)}`);
  assert.equal(await page.textContent('.card-head h1'), 'Мария', 'the name is written into the card');
  const next = await page.textContent('#next');
  assert.ok(next.includes(ru('Visit or measurement')) && next.includes(due.replace('T', ' ')), `the visit is planned at ${due}: ${next}`);
  const history = await page.textContent('#history');
  assert.ok(history.includes(ru('Inbound call')) && history.includes(ru('Maximum goal reached')), 'the history holds the logged call');
  await shot(page, 'script-card-done');
  assertClean(page, 'the script panel');
  await close(page);
});

test('scripts: without JavaScript the panel works by its buttons; a refusal at the end keeps the run', async () => {
  assert.ok(scriptRun.id, 'the script was uploaded');
  const client = await api('/api/v1/clients', { method: 'POST', body: { name: 'Без скриптов', phones: ['+79990005566'], owner: 'anna' } });
  const page = await open({ javaScriptEnabled: false });
  await login(page, 'anna');
  await goto(page, `/clients/${client.id}`);
  await page.selectOption('#run-script', { label: 'Inbound call, stretch ceilings' });
  await clickAndWait(page, '#run-start');
  for (let i = 0; i < 30 && !(await page.locator('#run-finish').count()); i++) {
    const closing = (await page.textContent('#run-line')).includes('which suits you better');
    await clickAndWait(page, closing ? 'button[value="option.2"]' : 'button[value="option.0"]');
  }
  assert.ok((await page.textContent('#run-line')).includes('Thank you for calling'), 'at the refusal end');
  // finishing a refusal without its reason and next contact is refused by the sales rules
  let r = await clickAndWait(page, '#run-finish-submit');
  assert.equal(r.status(), 422);
  const rules = await page.locator('#run-finish [data-rule]').evaluateAll((es) => es.map((e) => e.dataset.rule));
  assert.ok(rules.length > 0, 'the rules\' refusal is shown in the finish form');
  for (const rule of rules)
    assert.ok((await page.textContent('#run-finish')).includes(page_rule_ru(rule)), `the sentence of ${rule} is shown`);
  assert.ok(await page.locator('section.script-panel').count(), 'the run stays open');
  await page.fill('#run-refused', 'Дорого по сравнению с соседом');
  await page.selectOption('#run-next-kind', 'call');
  await page.fill('#run-next-due', local(3 * 24 * 60).slice(0, 11) + '11:00');
  r = await clickAndWait(page, '#run-finish-submit');
  assert.equal(r.status(), 200);
  assert.equal(await page.locator('section.script-panel').count(), 0, 'the run is over');
  assert.ok((await mainText(page)).includes('Дорого по сравнению с соседом'), 'the refusal reason is in the card');
  await close(page);
});

test('scripts: the head sees per-node and per-wording conversion', async () => {
  assert.ok(scriptRun.id, 'the script was uploaded');
  const page = await open();
  await login(page, 'elena');
  const r = await goto(page, `/scripts/${scriptRun.id}/stats`);
  assert.equal(r.status(), 200);
  assert.deepEqual(checkHtml((await r.body()).toString('utf8')), [], 'the statistics page is well formed');
  const yaml = readFileSync(path.join(srcRoot, SCRIPT_FILE), 'utf8');
  const nodes = yaml.slice(yaml.indexOf('\nnodes:'), yaml.indexOf('\nobjections:')).match(/^  [a-z_]+:\s*$/gm).length;
  const rows = await page.locator('#nodes tbody tr').count();
  assert.equal(rows, nodes, 'a row per node of the script');
  const runs = (await page.locator('.stats-summary dd').first().textContent()).trim();
  const first = await page.locator('#nodes tbody tr').first().locator('td').allTextContents();
  assert.equal(first[1], 'greeting');
  assert.equal(first[2], runs, `every run reached the greeting: ${first.join(' | ')}`);
  assert.match(first[3], /\d+%/, 'its share of maximum goals is shown');
  const intro = page.locator('#variants .variant-group', { hasText: 'intro' });
  assert.equal(await intro.locator('tbody tr').count(), 2, 'the two wordings of the introductory answer');
  const verdict = await intro.locator('.verdict').textContent();
  // one of the three sentences, whatever numbers it holds
  const sentence = (id) => new RegExp((poMsgstr('ru', id) || id).replace(/[.*+?^$()|[\]\\]/g, '\\$&')
    .replace(/\{[12]\}/g, '.+'));
  const said = ['Not enough evidence yet: keep testing.', 'Not enough evidence yet: about {1} more runs needed.',
    'Wording {1} is better with {2} probability.'].map(sentence);
  assert.ok(said.some((re) => re.test(verdict)), `a plain verdict: ${verdict}`);
  await shot(page, 'script-stats');
  // a rep may not see the statistics
  const rep = await open();
  await login(rep, 'anna');
  const denied = await goto(rep, `/scripts/${scriptRun.id}/stats`);
  assert.equal(denied.status(), 403);
  await close(rep);
  assertClean(page, 'the statistics');
  await close(page);
});

// fakeAmi is a loopback Asterisk Manager that speaks what click-to-call needs (PROTOCOL.md §1):
// the MD5 challenge login, CoreShowChannels, Ping, and Originate answered by OriginateResponse.
function fakeAmi(secret) {
  const originates = [];
  const server = net.createServer((sock) => {
    sock.write('Asterisk Call Manager/11.0.0\r\n');
    let buf = '';
    const nonce = String(100000000 + Math.floor(Math.random() * 1e8));
    sock.on('data', (d) => {
      buf += d.toString('utf8');
      let i;
      while ((i = buf.indexOf('\r\n\r\n')) >= 0) {
        const a = {};
        for (const line of buf.slice(0, i).split('\r\n')) {
          const k = line.indexOf(': ');
          if (k > 0) a[line.slice(0, k).toLowerCase()] = line.slice(k + 2);
        }
        buf = buf.slice(i + 4);
        const id = a.actionid || '';
        const act = (a.action || '').toLowerCase();
        if (act === 'challenge') sock.write(`Response: Success\r\nActionID: ${id}\r\nChallenge: ${nonce}\r\n\r\n`);
        else if (act === 'login') {
          const want = createHash('md5').update(nonce + secret).digest('hex');
          sock.write(`Response: ${a.key === want ? 'Success' : 'Error'}\r\nActionID: ${id}\r\nMessage: x\r\n\r\n`);
        } else if (act === 'coreshowchannels') {
          sock.write(`Response: Success\r\nActionID: ${id}\r\nEventList: start\r\n\r\n` +
            `Event: CoreShowChannelsComplete\r\nActionID: ${id}\r\nEventList: Complete\r\nListItems: 0\r\n\r\n`);
        } else if (act === 'ping') sock.write(`Response: Success\r\nActionID: ${id}\r\nPing: Pong\r\n\r\n`);
        else if (act === 'originate') {
          originates.push(a);
          sock.write(`Response: Success\r\nActionID: ${id}\r\nMessage: Originate successfully queued\r\n\r\n`);
          setTimeout(() => sock.write(`Event: OriginateResponse\r\nPrivilege: call,all\r\nActionID: ${id}\r\n` +
            `Response: Success\r\nChannel: ${a.channel}\r\nReason: 4\r\nUniqueid: <unknown>\r\n\r\n`), 300);
        }
      }
    });
    sock.on('error', () => {});
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, originates, port: server.address().port })));
}

test('click-to-call: the card\'s Call button rings the rep\'s phone, the exchange\'s answer is shown', async () => {
  const ami = await fakeAmi('browser-ami-secret');
  try {
    await api('/api/v1/settings', { method: 'PATCH', body: { 'ami.host': '127.0.0.1', 'ami.port': String(ami.port),
      'ami.user': 'nextcall', 'ami.secret': 'browser-ami-secret', 'ami.enabled': 'true' } });
    for (let i = 0; i < 100; i++) {
      if ((await api('/api/v1/telephony/status')).connected) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok((await api('/api/v1/telephony/status')).connected, 'the AMI link connected');
    const c = demo.logClient;
    const page = await open();
    await login(page, 'anna');
    await goto(page, `/clients/${c.id}`);
    await page.waitForSelector('body[data-live="open"]', { state: 'attached' });
    const button = page.locator('form.c2c button').first();
    assert.ok(await button.isVisible(), 'a Call button beside the phone (anna has an extension)');
    await Promise.all([page.waitForNavigation(), button.click()]);
    assert.equal(new URL(page.url()).searchParams.get('called'), '1');
    await page.waitForSelector('[data-originate="ringing_client"]');
    assert.equal(ami.originates.length, 1, 'one Originate reached the exchange');
    assert.equal(ami.originates[0].channel, 'PJSIP/201');
    assert.equal(ami.originates[0].exten, c.phones[0]);
    await shot(page, 'click-to-call');
    assertClean(page, 'click-to-call');
    await close(page);
  } finally {
    await api('/api/v1/settings', { method: 'PATCH', body: { 'ami.enabled': 'false' } });
    ami.server.close();
  }
});

test('no page asks for a missing /favicon.ico', async () => {
  assert.equal(seen.favicon, 0, `${seen.favicon} pages logged a 404 for /favicon.ico`);
});

/* ---- reports: the head's page with its three charts ---- */

test('reports: elena sees the statistics and the three SVG charts, reps below the level marked', async () => {
  const page = await open();
  await login(page, 'elena');
  page.problems.length = 0;
  const r = await goto(page, '/reports?preset=this_month');
  assert.equal(r.status(), 200, '/reports answers 200');
  const body = await r.body();
  assert.ok(body.length < MAX_PAGE_BYTES, `/reports weighs ${body.length} bytes`);
  assert.deepEqual(checkHtml(body.toString('utf8')), [], '/reports is well formed');
  for (const id of ['chart-calls', 'chart-funnel', 'chart-reps']) {
    const svg = page.locator(`#${id} svg`);
    assert.equal(await svg.count(), 1, `#${id} holds one chart`);
    assert.ok(await svg.isVisible(), `#${id} is visible`);
    const box = await svg.boundingBox();
    assert.ok(box && box.width >= 300 && box.height >= 150, `#${id} is drawn at ${JSON.stringify(box)}`);
    assert.ok(await svg.getAttribute('aria-label'), `#${id} has an accessible name`);
  }
  assert.ok(await page.locator('#chart-calls polyline').count() === 3, 'calls per day: three lines');
  assert.ok(await page.locator('#chart-reps line.mark').count() === 1, 'conversion by rep: the allowed level');
  const rows = await page.locator('.report-summary tbody.method tr').count();
  assert.equal(rows, 9, 'the method six come first (nine rows)');
  for (const fmt of ['csv', 'xlsx'])
    assert.ok(await page.locator(`a[href*="/api/v1/reports/stats?"][href$="format=${fmt}"]`).count() === 1,
      `an export link ${fmt}`);
  await page.locator('#chart-reps').scrollIntoViewIfNeeded();
  await shot(page, 'reports');
  const rep = await open();
  await login(rep, 'anna');
  const denied = await goto(rep, '/reports');
  assert.equal(denied.status(), 403, 'a rep may not open /reports');
  await close(rep);
  assertClean(page, '/reports');
  await close(page);
});

/* ---- quality control: a review and a mystery shopper campaign from the head's pages ---- */

test('qa: the head reviews a call and runs a mystery shopper campaign to the alarm on his team day', async () => {
  const text = readFileSync(path.join(srcRoot, 'examples/scripts/mystery_shopper.yaml'), 'utf8');
  const script = await api('/api/v1/scripts', { method: 'POST', body: { source: text } });
  const page = await open({ timezoneId: TZ });
  await login(page, 'elena');
  let r = await goto(page, '/qa');
  assert.equal(r.status(), 200);
  assert.deepEqual(checkHtml((await r.body()).toString('utf8')), [], '/qa is well formed');
  assert.ok(await page.locator('nav a[href="/qa"]').count() === 1, 'the head has a Quality link');

  // a review: the first call of the list, every item the data cannot answer answered yes
  r = await clickAndWait(page, 'table.qa-calls a[href^="/qa/calls/"]');
  assert.equal(r.status(), 200);
  assert.deepEqual(checkHtml((await r.body()).toString('utf8')), [], 'the review form is well formed');
  const ru = (id) => poMsgstr('ru', id) || id; // elena reads Russian
  assert.ok((await mainText(page)).includes(ru('from data')), 'items data answers are marked');
  for (const fs of await page.locator('fieldset.qa-item').all())
    if (!(await fs.locator('input:checked').count())) await fs.locator('input[value="yes"]').check();
  r = await clickAndWait(page, 'form.qa-review button[type="submit"]');
  assert.equal(r.status(), 200);
  assert.match(page.url(), /\/qa\/reviews\/\d+$/);
  assert.match(await page.textContent('.qa-score'), /\d+%/, 'the review shows its score');

  // plan: first two calls in the same hour (refused beside the field), then five good ones
  await goto(page, '/qa/campaigns/new');
  await page.fill('input[name="name"]', 'Тайный покупатель, ноябрь');
  await page.selectOption('select[name="scenario"]', { label: script.name });
  const reps = ['anna', 'oleg', 'mike', 'anna', 'oleg'];
  for (let i = 0; i < 5; i++) {
    await page.selectOption(`select[name="calls[${i}].rep"]`, reps[i]);
    await page.fill(`input[name="calls[${i}].at"]`, local(2 * 24 * 60 + 120 * i));
  }
  await page.fill('input[name="calls[1].at"]', local(2 * 24 * 60).slice(0, 14) + '59');
  r = await clickAndWait(page, 'main form button[type="submit"]');
  assert.equal(r.status(), 400, 'a plan with two calls in one hour is refused');
  const why = await errorBeside(page, 'input[name="calls[1].at"]');
  assert.match(why, /same hour/, `the message beside the time says why: ${why}`);
  assert.equal(await page.inputValue('input[name="name"]'), 'Тайный покупатель, ноябрь', 'the typed name is kept');
  await page.fill('input[name="calls[1].at"]', local(2 * 24 * 60 + 120));
  r = await clickAndWait(page, 'main form button[type="submit"]');
  assert.equal(r.status(), 200);
  assert.match(page.url(), /\/qa\/campaigns\/\d+$/);
  const campaign = page.url();

  // the shopper's form for each call: calls 2 and 5 end without a next step
  for (let n = 1; n <= 5; n++) {
    await clickAndWait(page, `a[href$="/calls/${n}"]`);
    for (const fs of await page.locator('fieldset.qa-item').all()) await fs.locator('input[value="yes"]').check();
    if (n === 2 || n === 5) {
      await page.check('input[name="next_step"][value="no"]');
      await page.check('input[name="think"][value="no"]');
    }
    r = await clickAndWait(page, 'form.qa-review button[type="submit"]');
    assert.equal(r.status(), 200);
    assert.equal(page.url(), campaign);
  }
  assert.match(await page.textContent('.qa-leak'), /40%/, 'the leak rate is 2 of 5');
  assert.equal(await page.locator('tr[data-leak="1"]').count(), 2);
  const alarm = await page.textContent('section.qa-alarm');
  assert.ok(alarm.includes(ru('Write or fix the scripts for the moves that failed most:')), alarm);
  assert.ok(alarm.includes(ru('Pushed to a next step at a concrete time')), alarm);
  assert.ok(alarm.includes(ru('Train the reps:') + ' oleg'), alarm);
  await shot(page, 'qa-campaign');

  // the alarm is on the head's dashboard and says what to do
  r = await goto(page, '/team');
  assert.deepEqual(checkHtml((await r.body()).toString('utf8')), [], '/team with the alarm is well formed');
  const team = await page.textContent('section.qa-alarm');
  assert.ok(team.includes(ru('Mystery shopper: %.0f%% of test calls ended without a next step').replace('%.0f%%', '40%')), team);
  assert.ok(team.includes(ru('Pushed to a next step at a concrete time') + ' (2)'), team);
  await shot(page, 'qa-alarm-team');
  // every quality page is well formed
  for (const where of ['/qa/scores', '/qa/forms/1', '/qa/campaigns/new', `${new URL(campaign).pathname}/calls/1`]) {
    const res = await goto(page, where);
    assert.equal(res.status(), 200, where);
    assert.deepEqual(checkHtml((await res.body()).toString('utf8')), [], `${where} is well formed`);
  }
  // editing the form stores a new version
  await goto(page, '/qa/forms/1');
  await page.fill('input[name="weight_0"]', '2');
  await page.fill('input[name="text_9"]', 'Thanked the client');
  r = await clickAndWait(page, 'main form button[type="submit"]');
  assert.equal(r.status(), 200);
  const form = await api('/api/v1/qa/forms/1');
  assert.equal(form.version, 2, 'a new version');
  assert.equal(form.items[0].weight, 2);
  assert.equal(form.items[9].text, 'Thanked the client');
  await goto(page, '/qa/scores');
  assert.ok((await page.locator('table.qa-scores tbody tr').count()) >= 1, 'the scores table has a row');
  assert.equal(await page.locator('#qa-chart svg').count(), 1, 'the scores are charted');
  await shot(page, 'qa-scores');
  assertClean(page, 'quality control');
  await close(page);

  const rep = await open();
  await login(rep, 'anna');
  assert.equal((await goto(rep, '/qa')).status(), 403, 'a rep may not open /qa');
  assert.equal(await rep.locator('nav a[href="/qa"]').count(), 0, 'a rep has no Quality link');
  await close(rep);
});

/* ---- main ---- */

async function main() {
  mkdirSync(artifacts, { recursive: true });
  const dir = mkdtempSync(path.join(tmpdir(), 'nextcall-browser-'));
  const db = path.join(dir, 'nextcall.db');
  let srv = null;
  let passed = 0;
  let failed = 0;
  try {
    execFileSync(bin, ['--db', db, 'init', '--demo'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    token = execFileSync(bin, ['--db', db, 'token', 'create', 'admin'], { env, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString().trim().split('\n')[0];
    srv = await startServer(db);
    base = srv.base;
    await loadDemo();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const only = process.env.BROWSER_ONLY;
    for (const c of cases) {
      if (only && !c.name.includes(only)) continue;
      try {
        await c.fn();
        passed++;
        console.log(`ok - ${c.name}`);
      } catch (e) {
        failed++;
        console.log(`not ok - ${c.name}`);
        for (const l of String(e && e.message ? e.message : e).split('\n').slice(0, 20)) console.log(`#   ${l}`);
      }
    }
  } catch (e) {
    failed++;
    console.log(`not ok - setting up: ${e && e.stack ? e.stack : e}`);
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (srv) {
      const bad = await stopServer(srv);
      if (bad) {
        failed++;
        console.log(`not ok - the server stops cleanly on SIGTERM: it ${bad} (see ${artifacts}/server.log)`);
      } else {
        passed++;
        console.log('ok - the server stops cleanly on SIGTERM');
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
