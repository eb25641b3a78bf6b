// The check every social message from another process passes before any actor sees it (docs/cluster.md: input
// from another process is untrusted). One check for all of them, by field name: ids are bigints, texts Buffers,
// refs refs, names short strings, lists bounded, nested events and presences checked the same way.
const ID_FIELDS = new Set(['characterId', 'friendId', 'fromId', 'targetId', 'byId', 'inviterId', 'partyId', 'channelId', 'entryId', 'a', 'b', 'newLeaderId', 'leaderId', 'joinedId', 'changedId']);
const BYTES_FIELDS = new Set(['text']);
const REF_FIELDS = new Set(['inbox', 'fromInbox', 'failTo', 'replyTo', 'inviterInbox']);
const NAME_FIELDS = new Set(['name', 'fromName', 'targetName', 'zone', 'realm', 'server', 'inviterName', 'kind']);
const NESTED_FIELDS = new Set(['event', 'failEvent', 'presence', 'player', 'group']);
const MAX_TEXT_BYTES = 4096;
const MAX_NAME_CHARS = 256;
const MAX_LIST = 10_000;

function isRef(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { path?: unknown }).path === 'string';
}

function checkFields(message: Record<string, unknown>, depth: number): boolean {
  if (depth > 4) return false;
  for (const [key, value] of Object.entries(message)) {
    if (value === undefined) continue;
    if (ID_FIELDS.has(key)) {
      if (typeof value !== 'bigint') return false;
    } else if (key === 'byName') {
      // A whisper's flag, or the accepting friend's name.
      if (typeof value !== 'boolean' && !(typeof value === 'string' && value.length <= MAX_NAME_CHARS)) return false;
    } else if (key === 'school') {
      // A school id in a presence, the requester's school text in a friend request.
      if (typeof value !== 'number' && !(value instanceof Uint8Array && value.length <= MAX_NAME_CHARS)) return false;
    } else if (BYTES_FIELDS.has(key)) {
      if (!(value instanceof Uint8Array) || value.length > MAX_TEXT_BYTES) return false;
    } else if (REF_FIELDS.has(key)) {
      if (!isRef(value)) return false;
    } else if (NAME_FIELDS.has(key)) {
      if (typeof value !== 'string' || value.length > MAX_NAME_CHARS) return false;
    } else if (key === 'ids' || key === 'friendIds') {
      if (!Array.isArray(value) || value.length > MAX_LIST || !value.every((id) => typeof id === 'bigint')) return false;
    } else if (key === 'online' || key === 'members') {
      if (typeof value === 'boolean') continue;
      if (!Array.isArray(value) || value.length > MAX_LIST || !value.every((v) => typeof v === 'object' && v !== null && checkFields(v as Record<string, unknown>, depth + 1))) return false;
    } else if (NESTED_FIELDS.has(key)) {
      if (typeof value !== 'object' || value === null || !checkFields(value as Record<string, unknown>, depth + 1)) return false;
    }
  }
  return true;
}

/** True when a message of one of the social types is well formed. */
export function checkSocialMessage(message: Record<string, unknown>): boolean {
  return typeof message['type'] === 'string' && checkFields(message, 0);
}
