// The admin console page: signs in, follows the live feed (/api/events) and renders it. Everything that comes from
// the server is set as text (textContent, text nodes), never parsed as HTML.
/* global document, window, fetch, EventSource, localStorage, history, location, confirm, prompt, URLSearchParams */

const DEFAULT_OPEN_DEPTH = 2;
const EXPANDED_KEY = 'imlight.console.expanded';

const $ = (id) => document.getElementById(id);

/** Creates an element; `props` are properties (className, title, dataset...), children are nodes or text. */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node[key] = value;
  }
  for (const child of children) node.append(child instanceof window.Node ? child : document.createTextNode(String(child ?? '')));
  return node;
}

const number = new Intl.NumberFormat();
const time = (ms) => new Date(ms).toLocaleTimeString();
function duration(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

// ---- expand and collapse, kept across refreshes and reloads ----------------------------------------------------

const expandedChoices = new Map(loadChoices());

function loadChoices() {
  try {
    const parsed = JSON.parse(localStorage.getItem(EXPANDED_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((e) => Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'boolean') : [];
  } catch {
    return [];
  }
}

function isExpanded(path, depth) {
  return expandedChoices.get(path) ?? depth < DEFAULT_OPEN_DEPTH;
}

function toggle(path, depth) {
  expandedChoices.set(path, !isExpanded(path, depth));
  // Keep the stored choices bounded: actors come and go (sessions), their paths with them.
  while (expandedChoices.size > 2000) expandedChoices.delete(expandedChoices.keys().next().value);
  localStorage.setItem(EXPANDED_KEY, JSON.stringify([...expandedChoices]));
  if (lastState !== undefined) renderTree(lastState.tree);
}

// ---- rendering ------------------------------------------------------------------------------------------------

let lastState;

function renderTree(tree) {
  $('tree-summary').textContent =
    `${number.format(tree.totalActors)} actors · mailboxes: ${number.format(tree.mailboxTotal)} waiting, fullest ${number.format(tree.mailboxMax)}`;
  const cap = $('tree-cap');
  cap.hidden = !tree.truncated;
  cap.textContent = tree.truncated
    ? `Showing the first ${number.format(tree.shownActors)} of ${number.format(tree.totalActors)} actors (breadth first; the console sends at most ${number.format(tree.maxNodes)}).`
    : '';
  const rows = [];
  const visit = (node, path, depth) => {
    const open = node.childCount > 0 && isExpanded(path, depth);
    const indent = `${depth * 1.1}rem`;
    const handle = node.childCount > 0
      ? el('button', { className: 'toggle', type: 'button', title: open ? 'collapse' : 'expand', onclick: () => toggle(path, depth) }, open ? '▾' : '▸')
      : el('span', { className: 'leaf' });
    const label = el('span', { className: 'label', title: path }, handle, node.name, node.childCount > 0 ? el('span', { className: 'muted' }, ` (${number.format(node.childCount)})`) : '');
    label.style.paddingLeft = indent;
    rows.push(el('div', { className: node.mailbox > 100 ? 'node busy' : 'node', role: 'treeitem', dataset: { path } },
      label,
      el('span', { className: 'kind', title: node.kind }, node.kind),
      el('span', { className: 'num mailbox' }, number.format(node.mailbox)),
      el('span', { className: 'num rate' }, node.rate === null ? '–' : number.format(node.rate)),
      el('span', { className: 'num' }, number.format(node.processed)),
    ));
    if (!open) return;
    for (const child of node.children) visit(child, `${path}/${child.name}`, depth + 1);
    const hidden = node.childCount - node.children.length;
    if (hidden > 0) {
      const more = el('div', { className: 'more' }, `… ${number.format(hidden)} more not shown (cap reached)`);
      more.style.paddingLeft = `${(depth + 1) * 1.1 + 1.2}rem`;
      rows.push(more);
    }
  };
  visit(tree.root, tree.rootPath, 0);
  $('tree').replaceChildren(...rows);
}

function emptyRow(columns, text) {
  return el('tr', {}, el('td', { className: 'empty', colSpan: columns }, text));
}

function note(id, section, what) {
  const p = $(id);
  const text = !section.available ? `${what} are not available in this process.` : section.error !== undefined ? `Could not read ${what}: ${section.error}` : '';
  p.hidden = text === '';
  p.textContent = text;
  p.className = section.error !== undefined ? 'error' : 'muted';
}

function renderServers(state) {
  note('servers-note', state.servers, 'game servers');
  const rows = state.servers.items.map((s) => el('tr', { dataset: { server: s.name } },
    el('td', {}, s.name),
    el('td', {}, s.address ?? '–'),
    el('td', { className: 'num' }, `${number.format(s.players)} / ${number.format(s.capacity)}`),
    el('td', { className: `status-${s.status}` }, s.status),
    el('td', { className: 'actions' }, el('button', {
      type: 'button', disabled: !state.available.drain || s.status !== 'open', title: 'stop sending new players to this server',
      onclick: () => act(`Drain ${s.name}? It keeps its players but takes no new ones.`, `/api/servers/${encodeURIComponent(s.name)}/drain`, {}),
    }, 'Drain')),
  ));
  $('servers').replaceChildren(...(rows.length > 0 ? rows : [emptyRow(5, state.servers.available ? 'no game servers' : '–')]));
}

function renderPlayers(state) {
  const players = state.players;
  note('players-note', players, 'online players');
  $('players-count').textContent = players.total > players.items.length
    ? `(${number.format(players.total)}, showing ${number.format(players.items.length)})`
    : `(${number.format(players.total)})`;
  const filter = $('players-filter').value.trim().toLowerCase();
  const matches = (p) => filter === '' || [p.username, p.character ?? '', p.server, p.zone ?? ''].some((t) => t.toLowerCase().includes(filter));
  const now = Date.now();
  const rows = players.items.filter(matches).map((p) => {
    const muted = p.mutedUntil !== undefined && p.mutedUntil > now ? ` (muted ${duration(p.mutedUntil - now)})` : '';
    return el('tr', { dataset: { account: p.accountId } },
      el('td', { className: 'username', title: `account ${p.accountId}` }, p.username, muted),
      el('td', {}, p.character ?? '–'),
      el('td', {}, p.server),
      el('td', { className: 'num' }, p.sessionId),
      el('td', {}, p.zone ?? '–'),
      el('td', {}, duration(now - p.since)),
      el('td', { className: 'actions' },
        el('button', { className: 'kick', type: 'button', disabled: !state.available.kick, onclick: () => kick(p) }, 'Kick'),
        el('button', { className: 'mute', type: 'button', disabled: !state.available.mute, onclick: () => mute(p) }, 'Mute'),
        el('button', { className: 'ban danger', type: 'button', disabled: !state.available.ban, onclick: () => ban(p) }, 'Ban'),
      ),
    );
  });
  const none = !players.available ? '–' : filter === '' ? 'nobody is online' : 'no player matches the filter';
  $('players').replaceChildren(...(rows.length > 0 ? rows : [emptyRow(7, none)]));
}

function renderZones(state) {
  note('zones-note', state.zones, 'zones');
  const rows = state.zones.items.map((z) => el('tr', {},
    el('td', {}, z.server), el('td', {}, z.zone), el('td', {}, z.kind), el('td', {}, z.owner ?? '–'),
    el('td', { className: 'num' }, number.format(z.players)),
  ));
  $('zones').replaceChildren(...(rows.length > 0 ? rows : [emptyRow(5, state.zones.available ? 'no zones loaded' : '–')]));
}

function renderRecent(state) {
  $('errors-count').textContent = `(${number.format(state.errors.total)} since start)`;
  const errors = state.errors.items.map((e) => el('tr', {},
    el('td', {}, time(e.at)), el('td', { title: e.path }, e.path),
    el('td', {}, `${e.error}${e.code === undefined ? '' : ` [${e.code}]`}: ${e.message}`), el('td', {}, e.directive),
  ));
  $('errors').replaceChildren(...(errors.length > 0 ? errors : [emptyRow(4, 'no failures')]));

  $('dead-letters-count').textContent = `(${number.format(state.deadLetters.total)} since start)`;
  const letters = state.deadLetters.items.map((d) => el('tr', {},
    el('td', {}, time(d.at)), el('td', { title: d.recipient }, d.recipient), el('td', {}, d.messageType), el('td', {}, d.reason),
  ));
  $('dead-letters').replaceChildren(...(letters.length > 0 ? letters : [emptyRow(4, 'no dead letters')]));

  const actions = state.actions.map((a) => el('tr', { dataset: { action: a.action } },
    el('td', {}, time(a.at)), el('td', {}, a.who), el('td', {}, a.action), el('td', {}, a.target),
    el('td', { className: a.done ? '' : 'muted' }, a.result),
  ));
  $('actions').replaceChildren(...(actions.length > 0 ? actions : [emptyRow(5, 'no actions yet')]));
}

function render(state) {
  lastState = state;
  renderTree(state.tree);
  renderServers(state);
  renderPlayers(state);
  renderZones(state);
  renderRecent(state);
  setStatus(`live · ${state.system} · updated ${time(state.at)}`, 'live');
}

function setStatus(text, kind) {
  const status = $('status');
  status.textContent = text;
  status.className = `status ${kind}`;
}

// ---- actions ----------------------------------------------------------------------------------------------------

function showResult(text, isError) {
  const p = $('action-result');
  p.hidden = false;
  p.textContent = text;
  p.className = isError ? 'notice error' : 'notice';
}

async function act(question, url, body) {
  if (!confirm(question)) return;
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = await response.json().catch(() => ({}));
  if (response.status === 401) return showSignIn('Your console session has ended: sign in again.');
  showResult(response.ok ? `${answer.result}` : `Refused: ${answer.message ?? response.statusText}`, !response.ok);
}

const kick = (p) => act(`Kick ${p.username}?`, `/api/players/${p.accountId}/kick`, {});

function mute(p) {
  const minutes = Number(prompt(`Mute ${p.username} for how many minutes?`, '10'));
  if (!Number.isInteger(minutes) || minutes < 1) return;
  act(`Mute ${p.username} for ${minutes} min?`, `/api/players/${p.accountId}/mute`, { minutes });
}

function ban(p) {
  const answer = prompt(`Ban ${p.username} for how many minutes? (empty: permanently)`, '');
  if (answer === null) return;
  const minutes = answer.trim() === '' ? undefined : Number(answer);
  if (minutes !== undefined && (!Number.isInteger(minutes) || minutes < 1)) return showResult('The ban length must be a whole number of minutes.', true);
  const reason = prompt('Reason (kept with the ban):', '') ?? '';
  act(`Ban ${p.username} ${minutes === undefined ? 'permanently' : `for ${minutes} min`}?`, `/api/players/${p.accountId}/ban`, { minutes, reason });
}

// ---- signing in and the live feed -------------------------------------------------------------------------------

let feed;

function showSignIn(message) {
  feed?.close();
  feed = undefined;
  $('console').hidden = true;
  $('identity').hidden = true;
  $('sign-in').hidden = false;
  const error = $('sign-in-error');
  error.hidden = message === undefined;
  error.textContent = message ?? '';
  setStatus('signed out', 'down');
}

function showConsole(whoami) {
  $('sign-in').hidden = true;
  $('console').hidden = false;
  $('identity').hidden = false;
  $('who').textContent = `signed in as ${whoami.who}`;
  feed?.close();
  const source = new EventSource('/api/events');
  feed = source;
  source.addEventListener('state', (event) => render(JSON.parse(event.data)));
  source.addEventListener('error', () => {
    if (feed !== source) return;
    setStatus('reconnecting…', 'down');
    // The browser retries by itself unless the server refused the stream (signed out, too many consoles).
    if (source.readyState === EventSource.CLOSED) {
      feed = undefined;
      window.setTimeout(start, 2000);
    }
  });
}

async function signIn(body) {
  const response = await fetch('/api/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) {
    const answer = await response.json().catch(() => ({}));
    showSignIn(answer.message ?? 'The credential was refused.');
    return false;
  }
  return true;
}

async function start() {
  const response = await fetch('/api/whoami').catch(() => undefined);
  if (response === undefined) {
    setStatus('server unreachable; retrying…', 'down');
    window.setTimeout(start, 2000);
    return;
  }
  if (response.status === 401) return showSignIn();
  showConsole(await response.json());
}

$('token-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (await signIn({ token: $('token').value })) await start();
});
$('account-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (await signIn({ username: $('username').value, password: $('password').value })) await start();
});
$('sign-out').addEventListener('click', async () => {
  await fetch('/api/sign-out', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  showSignIn();
});
$('players-filter').addEventListener('input', () => lastState !== undefined && renderPlayers(lastState));

// A console URL printed at start carries the token in its fragment (never sent to the server, never logged by a
// proxy): trade it for a console session, then drop it from the address bar.
const fragment = new URLSearchParams(location.hash.slice(1));
if (fragment.has('token')) {
  const token = fragment.get('token');
  history.replaceState(null, '', location.pathname);
  if (await signIn({ token })) await start();
} else {
  await start();
}
