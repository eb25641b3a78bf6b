import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Actor, props, stopGracefully, type ActorContext } from '../../src/runtime/index.js';
import type { TreeNodeView, TreeView } from '../../src/admin/index.js';
import { ADMIN_PASSWORD, basic, eventually, PLAYER_PASSWORD, startAdminKit, TOKEN } from './admin-kit.js';

type WorkerMessage = { readonly type: 'work' } | { readonly type: 'explode' };

class Worker extends Actor<WorkerMessage> {
  constructor(context: ActorContext<WorkerMessage>) {
    super(context);
  }
  readonly receive = {
    work: () => {},
    explode: () => {
      throw new Error('the worker exploded');
    },
  };
}

const workerProps = props<WorkerMessage>((c) => new Worker(c), { kind: 'Worker' });

function find(tree: TreeView, path: string): TreeNodeView | undefined {
  const stack: Array<{ node: TreeNodeView; path: string }> = [{ node: tree.root, path: tree.rootPath }];
  while (stack.length > 0) {
    const { node, path: at } = stack.pop()!;
    if (at === path) return node;
    for (const child of node.children) stack.push({ node: child, path: `${at}/${child.name}` });
  }
  return undefined;
}

test('every API endpoint refuses a request without the credential with 401', async () => {
  const kit = await startAdminKit();
  try {
    const paths = ['/api/whoami', '/api/state', '/api/tree', '/api/servers', '/api/zones', '/api/players', '/api/errors', '/api/dead-letters', '/api/actions', '/api/bans', '/api/events'];
    for (const path of paths) {
      const response = await kit.api(path, { auth: null });
      assert.equal(response.status, 401, path);
      assert.equal((await response.json() as { error: string }).error, 'ERR_ADMIN_UNAUTHORIZED');
    }
    for (const action of ['kick', 'ban', 'unban', 'mute']) {
      const response = await kit.api(`/api/players/${kit.player.id}/${action}`, { auth: null, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(response.status, 401, action);
    }
    assert.equal((await kit.api('/api/servers/Game/drain', { auth: null, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status, 401);
    // A wrong token, a forged cookie and an unknown scheme are refused the same way.
    assert.equal((await kit.api('/api/whoami', { auth: 'Bearer not-the-token' })).status, 401);
    assert.equal((await kit.api('/api/whoami', { auth: null, headers: { cookie: 'imlight_admin=forged' } })).status, 401);
    assert.equal((await kit.api('/api/whoami', { auth: `Digest ${TOKEN}` })).status, 401);
    // The page itself holds no data and is served to anyone; the bans stayed untouched.
    const page = await kit.api('/', { auth: null });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Imlight/);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.deepEqual(await kit.store.bans.list(), []);
    assert.ok(kit.logs.some((l) => l['msg'] === 'admin console: credential refused'), 'a refused credential is logged');
  } finally {
    await kit.close();
  }
});

test('the API accepts the token and an administrator account, and refuses a player account', async () => {
  const kit = await startAdminKit();
  try {
    const byToken = await kit.api('/api/whoami');
    assert.equal(byToken.status, 200);
    assert.deepEqual(await byToken.json().then((b: any) => [b.who, b.via]), ['token', 'token']);

    const byAccount = await kit.api('/api/whoami', { auth: basic('alice', ADMIN_PASSWORD) });
    assert.equal(byAccount.status, 200);
    assert.deepEqual(await byAccount.json().then((b: any) => [b.who, b.via]), ['alice', 'account']);
    // Usernames are case-insensitive in the store, passwords are not.
    assert.equal((await kit.api('/api/whoami', { auth: basic('ALICE', ADMIN_PASSWORD) })).status, 200);
    assert.equal((await kit.api('/api/whoami', { auth: basic('alice', ADMIN_PASSWORD.toUpperCase()) })).status, 401);

    assert.equal((await kit.api('/api/whoami', { auth: basic('bob', PLAYER_PASSWORD) })).status, 401, 'a player account with its right password is refused');
    assert.ok(kit.logs.some((l) => l['msg'] === 'admin console: account without administrator rights refused' && l['username'] === 'bob'));
    assert.equal((await kit.api('/api/whoami', { auth: basic('nobody', 'whatever') })).status, 401);

    // The page's sign-in: the account opens a session held in an HttpOnly cookie.
    const refused = await kit.api('/api/sign-in', { auth: null, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bob', password: PLAYER_PASSWORD }) });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('set-cookie'), null);
    const signIn = await kit.api('/api/sign-in', { auth: null, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'alice', password: ADMIN_PASSWORD }) });
    assert.equal(signIn.status, 200);
    const cookie = signIn.headers.get('set-cookie')!;
    assert.match(cookie, /^imlight_admin=[\w-]{40,};.*HttpOnly.*SameSite=Strict/);
    const session = cookie.split(';', 1)[0]!;
    const whoami = await kit.api('/api/whoami', { auth: null, headers: { cookie: session } });
    assert.equal((await whoami.json() as { who: string }).who, 'alice');
    // A POST from another origin with the cookie is refused; signing out ends the session.
    const crossSite = await kit.api(`/api/players/${kit.player.id}/unban`, { auth: null, method: 'POST', headers: { cookie: session, origin: 'http://evil.example', 'content-type': 'application/json' }, body: '{}' });
    assert.equal(crossSite.status, 403);
    await kit.api('/api/sign-out', { auth: null, method: 'POST', headers: { cookie: session, 'content-type': 'application/json' }, body: '{}' });
    assert.equal((await kit.api('/api/whoami', { auth: null, headers: { cookie: session } })).status, 401);
  } finally {
    await kit.close();
  }
});

test('an address that keeps presenting wrong credentials is refused with 429, even with the right one', async () => {
  const kit = await startAdminKit({ signInLimits: { firstSpacingMs: 60_000 } });
  try {
    for (let i = 0; i < 20; i++) assert.equal((await kit.api('/api/whoami', { auth: `Bearer wrong-token-${i}` })).status, 401);
    const throttled = await kit.api('/api/whoami');
    assert.equal(throttled.status, 429);
    assert.equal((await throttled.json() as { error: string }).error, 'ERR_ADMIN_TOO_MANY_ATTEMPTS');
    const signIn = await kit.api('/api/sign-in', { auth: null, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'alice', password: ADMIN_PASSWORD }) });
    assert.equal(signIn.status, 429);
  } finally {
    await kit.close();
  }
});

test('actions are logged with who did them and listed as recent actions', async () => {
  const kicked: Array<{ accountId: bigint; by: string; reason: string }> = [];
  const kit = await startAdminKit({
    providers: {
      kick: async (accountId, by, reason) => {
        kicked.push({ accountId, by, reason });
        return true;
      },
    },
  });
  try {
    const post = (path: string, body: object, auth?: string) =>
      kit.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), ...(auth === undefined ? {} : { auth }) });
    const id = kit.player.id;

    const kick = await post(`/api/players/${id}/kick`, { reason: 'testing' });
    assert.equal(kick.status, 200);
    assert.deepEqual(await kick.json(), { done: true, result: 'disconnected' });
    assert.deepEqual(kicked, [{ accountId: id, by: 'token', reason: 'testing' }]);

    const ban = await post(`/api/players/${id}/ban`, { minutes: 60, reason: 'spam' }, basic('alice', ADMIN_PASSWORD));
    assert.equal(ban.status, 200);
    const bans = await kit.store.bans.activeBansFor({ accountId: id }, new Date());
    assert.equal(bans.length, 1);
    assert.match(bans[0]!.reason, /spam \(by alice\)/);
    assert.equal(kicked.length, 2, 'a ban also disconnects the player');

    assert.equal((await post(`/api/players/${id}/unban`, {})).status, 200);
    assert.deepEqual(await kit.store.bans.activeBansFor({ accountId: id }, new Date()), []);

    // No mute provider and no drain provider in this process: refused, not pretended.
    const mute = await post(`/api/players/${id}/mute`, { minutes: 5 });
    assert.equal(mute.status, 501);
    assert.equal((await post('/api/servers/Game/drain', {})).status, 501);
    // Bad input never reaches a provider.
    assert.equal((await post('/api/players/12abc/kick', {})).status, 400);
    assert.equal((await post(`/api/players/${id}/ban`, { minutes: -5 })).status, 400);
    assert.equal((await post('/api/players/999999/kick', {})).status, 404);
    assert.equal((await post('/api/servers/%E0%A4%A/drain', {})).status, 400);
    assert.equal((await kit.api(`/api/players/${id}/kick`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"reason":' })).status, 400);
    assert.equal(kicked.length, 2);

    const lines = kit.logs.filter((l) => l['msg'] === 'admin action');
    assert.deepEqual(lines.map((l) => [l['admin'], l['action'], l['accountId']]), [
      ['token', 'kick', String(id)],
      ['alice', 'ban', String(id)],
      ['token', 'unban', String(id)],
    ]);
    assert.equal(lines[1]!['minutes'], 60);

    const recent = await (await kit.api('/api/actions')).json() as { items: Array<{ who: string; action: string; target: string; done: boolean }> };
    assert.deepEqual(recent.items.map((a) => [a.who, a.action, a.target, a.done]), [
      ['token', 'unban', `account ${id} (bob)`, true],
      ['alice', 'ban', `account ${id} (bob)`, true],
      ['token', 'kick', `account ${id} (bob)`, true],
    ]);
  } finally {
    await kit.close();
  }
});

test('the tree endpoint reflects a spawned actor, its mailbox and its processed messages, and forgets it when it stops', async () => {
  const kit = await startAdminKit();
  try {
    const tree = async () => (await (await kit.api('/api/tree')).json()) as TreeView;
    const before = await tree();
    const ref = kit.system.spawn(workerProps, 'worker-7');
    assert.equal(find(before, ref.path), undefined);

    for (let i = 0; i < 25; i++) ref.tell({ type: 'work' });
    await eventually(async () => find(await tree(), ref.path)?.processed === 25, 'the worker processed 25 messages');
    const after = await tree();
    const node = find(after, ref.path)!;
    assert.equal(node.kind, 'Worker');
    assert.equal(node.mailbox, 0);
    assert.equal(node.name, 'worker-7');
    assert.equal(after.totalActors, before.totalActors + 1);
    assert.equal(after.truncated, false);

    stopGracefully(ref);
    await eventually(async () => find(await tree(), ref.path) === undefined, 'the stopped worker left the tree');
  } finally {
    await kit.close();
  }
});

test('a large tree is cut at the node cap, breadth first, and says so', async () => {
  const kit = await startAdminKit({ treeMaxNodes: 10 });
  try {
    const before = (await (await kit.api('/api/tree')).json()) as TreeView;
    assert.equal(before.truncated, false);
    for (let i = 0; i < 30; i++) kit.system.spawn(workerProps, `w${i}`);
    const tree = (await (await kit.api('/api/tree')).json()) as TreeView;
    assert.equal(tree.truncated, true);
    assert.equal(tree.shownActors, 10);
    assert.equal(tree.totalActors, before.totalActors + 30);
    let shown = 0;
    const count = (node: TreeNodeView): void => {
      shown++;
      node.children.forEach(count);
    };
    count(tree.root);
    assert.equal(shown, 10);
    const user = tree.root;
    assert.equal(tree.rootPath, 'imlight://imlight/user');
    assert.equal(user.childCount, 30, 'the cut node still tells how many children it has');
    assert.ok(user.children.length < 30);
  } finally {
    await kit.close();
  }
});

test('failures and dead letters are kept as recent errors, without message contents', async () => {
  const kit = await startAdminKit();
  try {
    const ref = kit.system.spawn(workerProps, 'fragile');
    ref.tell({ type: 'explode' });
    await eventually(async () => ((await (await kit.api('/api/errors')).json()) as { total: number }).total === 1, 'the failure recorded');
    const errors = (await (await kit.api('/api/errors')).json()) as { items: Array<{ path: string; message: string; error: string }> };
    assert.equal(errors.items[0]!.path, ref.path);
    assert.equal(errors.items[0]!.message, 'the worker exploded');

    stopGracefully(ref);
    await eventually(() => kit.system.lookup(ref.path) === undefined, 'the worker stopped');
    ref.tell({ type: 'work', secret: 'never shown' } as never);
    await eventually(async () => ((await (await kit.api('/api/dead-letters')).json()) as { total: number }).total >= 1, 'the dead letter recorded');
    const body = await (await kit.api('/api/dead-letters')).text();
    const letters = JSON.parse(body) as { items: Array<{ recipient: string; messageType: string }> };
    assert.ok(letters.items.some((d) => d.recipient === ref.path && d.messageType === 'work'), body);
    assert.ok(!body.includes('never shown'));
  } finally {
    await kit.close();
  }
});

test('the live feed streams the whole console state as server-sent events', async () => {
  const kit = await startAdminKit({ liveIntervalMs: 50 });
  try {
    const ref = kit.system.spawn(workerProps, 'streamed');
    await kit.store.onlinePlayers.put({ server: 'Game', sessionId: 9n, accountId: kit.player.id, characterId: null, since: new Date() });
    const controller = new AbortController();
    const response = await kit.api('/api/events', { signal: controller.signal });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('\n\n', text.indexOf('event: state'))) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString('utf8');
    }
    controller.abort();
    const data = text.slice(text.indexOf('event: state')).split('\n').find((l) => l.startsWith('data: '))!.slice(6);
    const state = JSON.parse(data) as { tree: TreeView; players: { total: number; items: Array<{ username: string; server: string }> }; servers: { available: boolean } };
    assert.ok(find(state.tree, ref.path) !== undefined);
    assert.equal(state.players.total, 1);
    assert.deepEqual(state.players.items.map((p) => [p.username, p.server]), [['bob', 'Game']]);
    assert.equal(state.servers.available, false, 'no game server provider in this process');
  } finally {
    await kit.close();
  }
});

test('/metrics serves the registry when the console is given one', async () => {
  const { Metrics } = await import('../../src/admin/index.js');
  const metrics = new Metrics({ defaultMetrics: false });
  const kit = await startAdminKit({ metrics });
  try {
    metrics.loginFailed('bad-password');
    const response = await kit.api('/metrics', { auth: null });
    assert.equal(response.status, 200);
    assert.match(await response.text(), /^imlight_logins_failed_total\{reason="bad-password"\} 1$/m);
    assert.equal(kit.server.metricsUrl, `${kit.server.url}metrics`);
  } finally {
    await kit.close();
    metrics.close();
  }
});
