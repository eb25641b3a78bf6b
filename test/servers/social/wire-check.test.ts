// The check social messages from another process pass: well-formed ones of every shape pass, bad ones do not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkSocialMessage } from '../../../src/servers/social/index.js';

const ref = { path: 'imlight://game1/user/x' };
const presence = { characterId: 1n, name: 'Ada', server: 'S1', zone: 'Start', realm: 'R', level: 1, school: 0, inbox: ref };

test('well-formed social messages pass the wire check', () => {
  assert.ok(checkSocialMessage({ type: 'social.online', presence, friendIds: [2n, 3n] }));
  assert.ok(checkSocialMessage({
    type: 'social.route', targetName: 'bo', failTo: ref, failEvent: { type: 'social.friend-error', entryId: 2n, error: 2 },
    event: { type: 'social.friend-request-in', fromId: 1n, fromName: 'Ada', level: 1, school: Buffer.from('Fire'), fromInbox: ref },
  }));
  assert.ok(checkSocialMessage({ type: 'social.group-state', group: { partyId: 1n, channelId: 2n, leaderId: 1n, members: [{ characterId: 1n, name: 'Ada', zone: 'Z', level: 1, school: 0, online: true }] }, joinedId: 1n }));
  assert.ok(checkSocialMessage({ type: 'social.presences', online: [presence] }));
});

test('malformed social messages fail the wire check', () => {
  assert.equal(checkSocialMessage({ type: 'social.online', presence: { ...presence, characterId: 1 }, friendIds: [] }), false);
  assert.equal(checkSocialMessage({ type: 'social.group-chat', characterId: 1n, channelId: 2n, text: 'not bytes' }), false);
  assert.equal(checkSocialMessage({ type: 'social.lookup', ids: Array.from({ length: 10_001 }, () => 1n), replyTo: ref }), false);
  assert.equal(checkSocialMessage({ type: 'social.route', targetName: 'x'.repeat(300), event: {}, failTo: ref, failEvent: {} }), false);
  assert.equal(checkSocialMessage({ type: 'social.offline', characterId: 1n, inbox: 'not a ref' }), false);
});
