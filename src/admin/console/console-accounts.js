// The console's operator tools beside the live view: the account browser (search, view, lock, unlock, reset
// password, ban, unban), the active bans and the last hour's charts (the server's own samples, /api/history).
// Everything from the server is set as text, never parsed as HTML.
/* global document, fetch, confirm, prompt, setInterval */

const $ = (id) => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node[key] = value;
  }
  for (const child of children) node.append(typeof child === 'object' && child !== null ? child : document.createTextNode(String(child ?? '')));
  return node;
}

const when = (ms) => (ms === null || ms === undefined ? '—' : new Date(ms).toLocaleString());

async function getJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

function say(text, isError) {
  const p = $('accounts-result');
  p.hidden = false;
  p.textContent = text;
  p.className = isError ? 'notice error' : 'notice';
}

async function post(url, body = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.message ?? response.statusText);
  return answer;
}

async function run(question, action) {
  if (question !== undefined && !confirm(question)) return;
  try {
    say(await action(), false);
  } catch (error) {
    say(`Refused: ${error.message}`, true);
  }
  await Promise.all([search(), refreshBans()]);
}

// ---- accounts ---------------------------------------------------------------------------------------------------

async function search() {
  const query = $('accounts-search').value.trim();
  const found = await getJson(`/api/accounts?q=${encodeURIComponent(query)}`).catch(() => undefined);
  const body = $('accounts');
  body.replaceChildren();
  if (found === undefined) return body.append(el('tr', {}, el('td', { colSpan: 5, className: 'muted' }, 'not available')));
  $('accounts-count').textContent = `(${found.total})`;
  for (const a of found.items) {
    const flags = [a.locked ? 'locked' : '', a.banned ? 'banned' : ''].filter(Boolean).join(', ');
    body.append(el('tr', {},
      el('td', {}, a.username), el('td', {}, a.accessLevel), el('td', {}, flags), el('td', {}, when(a.lastLoginAt)),
      el('td', {}, el('button', { type: 'button', className: 'view', onclick: () => view(a.id) }, 'View'))));
  }
  if (found.items.length === 0) body.append(el('tr', {}, el('td', { colSpan: 5, className: 'muted' }, 'no account matches')));
}

async function view(id) {
  const a = await getJson(`/api/accounts/${id}`);
  const pane = $('account-detail');
  pane.hidden = false;
  pane.replaceChildren(
    el('h3', {}, a.username, ' ', el('span', { className: 'muted' }, `#${a.id} · ${a.accessLevel}${a.locked ? ' · locked' : ''}${a.banned ? ' · banned' : ''}`)),
    el('p', { className: 'muted' }, `created ${when(a.createdAt)} · last login ${when(a.lastLoginAt)} · ${a.online.length > 0 ? `online on ${a.online.map((o) => o.server).join(', ')}` : 'offline'}`),
    el('div', { className: 'buttons' },
      a.locked
        ? el('button', { type: 'button', className: 'unlock', onclick: () => run(`Unlock ${a.username}?`, () => post(`/api/accounts/${a.id}/unlock`).then((r) => r.result)).then(() => view(id)) }, 'Unlock')
        : el('button', { type: 'button', className: 'lock', onclick: () => run(`Lock ${a.username}?`, () => post(`/api/accounts/${a.id}/lock`).then((r) => r.result)).then(() => view(id)) }, 'Lock'),
      el('button', { type: 'button', className: 'reset', onclick: () => run(`Reset the password of ${a.username}?`, () => post(`/api/accounts/${a.id}/reset-password`).then((r) => `New password for ${a.username}: ${r.password} (shown once)`)) }, 'Reset password'),
      a.banned
        ? el('button', { type: 'button', className: 'unban', onclick: () => run(`Lift the bans of ${a.username}?`, () => post(`/api/players/${a.id}/unban`).then((r) => r.result)).then(() => view(id)) }, 'Unban')
        : el('button', { type: 'button', className: 'danger ban', onclick: () => banAccount(a).then(() => view(id)) }, 'Ban')),
    el('h4', {}, 'Characters'),
    el('ul', {}, ...(a.characters.length === 0 ? [el('li', { className: 'muted' }, 'none')] : a.characters.map((c) => el('li', {}, `${c.name} — ${c.zone ?? 'start zone'} (saved ${when(c.updatedAt)})`)))),
    el('h4', {}, 'Active bans'),
    el('ul', {}, ...(a.bans.length === 0 ? [el('li', { className: 'muted' }, 'none')] : a.bans.map((b) => el('li', {}, `${b.reason} — ${b.expiresAt === null ? 'permanent' : `until ${when(b.expiresAt)}`}`)))),
  );
}

function banAccount(a) {
  const answer = prompt(`Ban ${a.username} for how many minutes? (empty: permanently)`, '');
  if (answer === null) return Promise.resolve();
  const minutes = answer.trim() === '' ? undefined : Number(answer);
  if (minutes !== undefined && (!Number.isInteger(minutes) || minutes < 1)) return Promise.resolve(say('The ban length must be a whole number of minutes.', true));
  const reason = prompt('Reason (kept with the ban):', '') ?? '';
  return run(undefined, () => post(`/api/players/${a.id}/ban`, { minutes, reason }).then((r) => r.result));
}

// ---- bans -------------------------------------------------------------------------------------------------------

async function refreshBans() {
  const bans = await getJson('/api/bans').catch(() => undefined);
  const body = $('bans');
  body.replaceChildren();
  if (bans === undefined || !bans.available) return body.append(el('tr', {}, el('td', { colSpan: 4, className: 'muted' }, 'not available')));
  for (const b of bans.items) {
    const target = b.accountId !== null ? `account ${b.accountId}` : b.machineId !== null ? `machine ${b.machineId}` : `address ${b.address}`;
    body.append(el('tr', {}, el('td', {}, target), el('td', {}, b.reason), el('td', {}, when(b.createdAt)), el('td', {}, b.expiresAt === null ? 'permanent' : when(b.expiresAt))));
  }
  if (bans.items.length === 0) body.append(el('tr', {}, el('td', { colSpan: 4, className: 'muted' }, 'no active ban')));
}

// ---- charts -----------------------------------------------------------------------------------------------------

const CHARTS = [
  ['playersOnline', 'players online', (v) => String(Math.round(v))],
  ['loginsPerMinute', 'logins per minute', (v) => v.toFixed(1)],
  ['loginP99', 'login p99', (v) => `${(v * 1000).toFixed(0)} ms`],
  ['eventLoopLagP99', 'event-loop lag p99', (v) => `${(v * 1000).toFixed(1)} ms`],
  ['messagesPerSecond', 'messages per second', (v) => v.toFixed(0)],
];

function chart(samples, key, label, format) {
  const width = 260;
  const height = 60;
  const points = samples.filter((s) => s[key] !== null);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('class', 'chart');
  if (points.length > 1) {
    const max = Math.max(...points.map((s) => s[key]), 1e-9);
    const first = samples[0].at;
    const span = Math.max(samples[samples.length - 1].at - first, 1);
    const line = document.createElementNS(SVG, 'polyline');
    line.setAttribute('points', points.map((s) => `${(((s.at - first) / span) * width).toFixed(1)},${(height - (s[key] / max) * (height - 4) - 2).toFixed(1)}`).join(' '));
    svg.append(line);
  }
  const last = points.length > 0 ? format(points[points.length - 1][key]) : 'no data yet';
  return el('figure', { className: 'chart-box' }, svg, el('figcaption', {}, `${label}: ${last}`));
}

async function refreshCharts() {
  const history = await getJson('/api/history').catch(() => undefined);
  const box = $('charts');
  box.replaceChildren();
  if (history === undefined || !history.available) return box.append(el('p', { className: 'muted' }, 'not available (metrics are off)'));
  for (const [key, label, format] of CHARTS) box.append(chart(history.items, key, label, format));
  $('charts-note').textContent = `${history.items.length} samples, one every 10 s`;
}

// ---- start ------------------------------------------------------------------------------------------------------

let started = false;
function startWhenVisible() {
  if (started || $('console').hidden) return;
  started = true;
  $('accounts-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void search();
  });
  void Promise.all([search(), refreshBans(), refreshCharts()]);
  setInterval(() => { if (!$('console').hidden) void Promise.all([refreshBans(), refreshCharts()]); }, 10_000);
}
setInterval(startWhenVisible, 250);
