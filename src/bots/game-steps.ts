// The game server's side of a journey (flows.md section 3): attach with the one-time key, then
// what a player does in a zone. Moves have no reply to the mover; chat and zone changes do.
import { ClientTimeoutError, type KiClient } from '../net/index.js';
import { GAME, WIZARD2, type MessageKind } from '../protocol/index.js';
import { BotStepError } from './errors.js';
import { step, type Selected } from './login-steps.js';

export interface Attached {
  readonly zoneName: string;
  readonly zoneId: bigint;
}

/**
 * MSG_ATTACH -> MSG_LOGINCOMPLETE, or MSG_ATTACHFAILED (a refused or spent key); then WIZARD2 MSG_CLIENTZONED,
 * what a client sends once its zone has loaded: only then does the server show it the world.
 */
export async function attach(client: KiClient, selected: Selected, machineId: bigint, timeoutMs: number): Promise<Attached> {
  return step('game.attach', async () => {
    client.send(GAME.MSG_ATTACH, {
      GameObjectID: 0n, LoginKey: selected.key, UserID: selected.userId, CharID: selected.characterId,
      ZoneName: selected.zoneName, Location: selected.location, TargetPlayerID: 0n, ZoneID: selected.zoneId,
      Slot: 0, SessionID: 0n, SessionSlot: 0, PassKey: '', Reattach: 0, Retry: 0, Locale: 'English', MachineID: machineId,
    });
    const outcome = await replyOrRefusal(client, GAME.MSG_LOGINCOMPLETE, GAME.MSG_ATTACHFAILED, timeoutMs);
    if (!outcome.ok) {
      const { Error: error, Rejected: rejected } = outcome.refusal;
      throw new BotStepError('game.attach', `attach-failed:${error}`, `attach refused (Error ${error}, Rejected ${rejected})`);
    }
    client.send(WIZARD2.MSG_CLIENTZONED, { ZoneNameID: 0 });
    return { zoneName: outcome.reply.ZoneName.toString('utf8'), zoneId: outcome.reply.ZoneID };
  });
}

/** How long one wait for the reply lasts before the refusal's queue is looked at again. */
const REFUSAL_POLL_MS = 25;

/**
 * Waits for `reply`, unless `refusal` comes first. The client library has one queue per kind, so this
 * waits on the reply in short slices and looks at the refusal's queue between them: a waiter left
 * armed on the kind that did not come would take that kind's next message, meant for a later request.
 */
export async function replyOrRefusal<R, F>(
  client: KiClient,
  reply: MessageKind<R>,
  refusal: MessageKind<F>,
  timeoutMs: number,
): Promise<{ ok: true; reply: R } | { ok: false; refusal: F }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (client.queued(refusal) > 0) return { ok: false, refusal: await client.next(refusal, 0) };
    const left = deadline - Date.now();
    if (left <= 0) throw new ClientTimeoutError(`${reply.protocol}.${reply.name}`, timeoutMs);
    try {
      return { ok: true, reply: await client.next(reply, Math.min(REFUSAL_POLL_MS, left)) };
    } catch (error) {
      // A refusal is often followed by the server closing: the refusal is the answer, not the close.
      if (client.queued(refusal) > 0) return { ok: false, refusal: await client.next(refusal, 0) };
      if (!(error instanceof ClientTimeoutError)) throw error;
    }
  }
}

export interface Position {
  x: number;
  y: number;
  z: number;
  direction: number;
}

/** One MSG_CLIENTMOVE; USHRT fields carry signed 16-bit values (messages.md "Movement units"). */
export function sendMove(client: KiClient, position: Position, zoneCounter: number): void {
  client.send(GAME.MSG_CLIENTMOVE, {
    LocationX: position.x & 0xffff, LocationY: position.y & 0xffff, LocationZ: position.z & 0xffff,
    Direction: position.direction & 0xff, ZoneCounter: zoneCounter & 0xff,
  });
}

/**
 * MSG_REQUESTRADIALCHAT, then waits for the zone's MSG_RADIALCHAT carrying this text (the speaker is
 * in its own zone's audience). Other players' chat arriving meanwhile is passed over.
 */
export async function chat(client: KiClient, text: string, timeoutMs: number): Promise<void> {
  return step('game.chat', async () => {
    client.send(GAME.MSG_REQUESTRADIALCHAT, { Message: text });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const heard = await client.next(GAME.MSG_RADIALCHAT, Math.max(1, deadline - Date.now()));
      if (heard.Message.toString('utf8') === text) return;
    }
  });
}

/** Where a zone change sends the client: the server to reconnect to and the one-time key to attach with. */
export interface ZoneChange {
  readonly zoneName: string;
  readonly host: string;
  readonly port: number;
  readonly selected: Selected;
}

/**
 * Asks for a zone with MSG_ZONETRANSFER_REQUEST (the real client never does: the server decides; bots ask
 * to exercise the same handshake). The server asks back (MSG_ZONETRANSFER_REQUEST), the bot acknowledges,
 * and MSG_SERVERTRANSFER names the server and key to attach with (reconnectAfterZoneChange does that).
 * MSG_ZONETRANSFER_NACK: the server refused.
 */
export async function changeZone(client: KiClient, zoneName: string, selected: Selected, timeoutMs: number): Promise<ZoneChange> {
  return step('game.zone', async () => {
    client.send(GAME.MSG_ZONETRANSFER_REQUEST, { ZoneName: zoneName, SendAck: 1 });
    const outcome = await replyOrRefusal(client, GAME.MSG_ZONETRANSFER_REQUEST, GAME.MSG_ZONETRANSFER_NACK, timeoutMs);
    if (!outcome.ok) throw new BotStepError('game.zone', 'zone-refused', `the server refused the transfer to ${zoneName}`);
    client.send(GAME.MSG_ZONETRANSFER_ACK, {});
    const transfer = await client.next(GAME.MSG_SERVERTRANSFER, timeoutMs);
    const landed = transfer.ZoneName.toString('utf8');
    if (landed !== zoneName) throw new BotStepError('game.zone', 'zone-mismatch', `asked for zone ${zoneName}, was sent to ${landed}`);
    return {
      zoneName: landed, host: transfer.IP.toString('utf8'), port: transfer.TCPPort,
      selected: { ...selected, host: transfer.IP.toString('utf8'), port: transfer.TCPPort, key: Buffer.from(String(transfer.Key), 'utf8'), zoneName: landed, zoneId: transfer.ZoneID, location: transfer.Location.toString('utf8') },
    };
  });
}

/** MSG_CLIENT_DISCONNECT, then the connection's end: the server saves the character as it leaves. */
export async function logout(client: KiClient, timeoutMs: number): Promise<void> {
  return step('game.logout', async () => {
    client.send(GAME.MSG_CLIENT_DISCONNECT, {});
    const closedByServer = await Promise.race([
      client.closed.then(() => true),
      new Promise<false>((resolve) => setTimeout(resolve, timeoutMs, false).unref()),
    ]);
    if (!closedByServer) await client.close();
  });
}
