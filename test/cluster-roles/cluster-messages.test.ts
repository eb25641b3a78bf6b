// The registry of server-to-server messages: every type has a schema that takes the real shape and refuses a
// forged one (the cluster layer drops a refused message before any actor sees it).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ActorRef } from '../../src/runtime/index.js';
import { CLUSTER_MESSAGE_TYPES, clusterMessageTypes } from '../../src/servers/shared/cluster-messages.js';

const ref = { path: 'imlight://n/user/x', tell() {}, ask: () => Promise.reject(new Error('no')), sendSystem() {} } as ActorRef;
const info = { name: 'Game1', realm: 'Realm', address: '10.0.0.21', port: 12333, capacity: 500 };
const health = { name: 'Game1', players: 3, capacity: 500, status: 'open' };

const valid: Record<string, Record<string, unknown>> = {
  'pool.register': { info, server: ref, replyTo: ref },
  'pool.registered': { name: 'Game1' },
  'pool.register-refused': { reason: 'duplicate-name', detail: 'taken' },
  'pool.unregister': { name: 'Game1' },
  'pool.health': { replyTo: ref },
  'pool.grant-login-key': { key: 'abc', accountId: 1n, characterId: 2n, expiresAt: 1_700_000_000_000 },
  'pool.drain': {},
  'pool.kick': { accountId: 1n, reason: 'duplicate login' },
  'pool.kicked': { found: true },
  'cluster.identify': { replyTo: ref },
  'cluster.identity': { node: 'login', role: 'login', hosts: ['pool'], databaseSchema: null },
  'cluster.game-register': { info, link: ref, replyTo: ref },
  'cluster.game-registered': { name: 'Game1', proxy: ref },
  'cluster.game-register-later': { reason: 'no pool yet' },
  'cluster.game-health': { health },
};

// One forgery per type with fields (pool.drain has none; unknown extra fields are ignored, as by a tolerant reader):
// a field of the wrong kind, out of range, or a ref slot holding a plain string.
const forged: Record<string, Record<string, unknown>> = {
  'pool.register': { info: { ...info, port: 70_000 }, server: ref, replyTo: ref },
  'pool.registered': { name: '' },
  'pool.register-refused': { reason: 'because', detail: 'x' },
  'pool.unregister': { name: 'a\u0000b' },
  'pool.health': { replyTo: 'imlight://n/user/x' },
  'pool.grant-login-key': { key: 'abc', accountId: 1, characterId: 2n, expiresAt: 0 },
  'pool.kick': { accountId: 1n, reason: 'x'.repeat(1000) },
  'pool.kicked': { found: 'yes' },
  'cluster.identify': {},
  'cluster.identity': { node: 'login', role: 'login', hosts: 'pool', databaseSchema: null },
  'cluster.game-register': { info: { ...info, name: 'a/b' }, link: ref, replyTo: ref },
  'cluster.game-registered': { name: 'Game1', proxy: { path: 'imlight://n/user/x' } },
  'cluster.game-register-later': {},
  'cluster.game-health': { health: { ...health, players: -1 } },
};

describe('cluster message registry', () => {
  it('takes the real shape of every server-to-server message', () => {
    const types = clusterMessageTypes();
    assert.deepEqual([...CLUSTER_MESSAGE_TYPES].sort(), Object.keys(valid).sort());
    for (const type of CLUSTER_MESSAGE_TYPES) assert.equal(types.check({ type, ...valid[type] }), 'ok', type);
  });

  it('refuses a forged message of every type and any type it does not know', () => {
    const types = clusterMessageTypes();
    assert.deepEqual(Object.keys(forged).sort(), CLUSTER_MESSAGE_TYPES.filter((type) => type !== 'pool.drain').sort());
    for (const type of Object.keys(forged)) assert.equal(types.check({ ...forged[type], type }), 'schema', type);
    assert.equal(types.check({ type: 'pool.spawn-local', name: 'x' }), 'unregistered');
    assert.equal(types.check({ type: 'game.shutdown' }), 'unregistered');
  });
});
