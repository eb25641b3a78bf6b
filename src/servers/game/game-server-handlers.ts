// The handlers of the GameServer's own messages: the pool's commands, the roster's queries and changes, and the
// steps of its registration and shutdown. The roster's are done here; registration and shutdown are steps of the
// server's life, so their handlers call back into the server (GameServerSteps).
import type { ActorRef, Handlers, Logger } from '../../runtime/index.js';
import type { GameServerCommand, GameServerHealth } from '../shared/pool-protocol.js';
import type { GameDeps } from './game-deps.js';
import type { GameRoster } from './game-roster.js';
import type { GameServerOwnMessage, MuteChanged, OnlineEntry, RegisterPlayerReply, RegistrationResult, ShutdownReport, ServerEndpoint } from './messages.js';

export type GameServerMessage = GameServerOwnMessage | GameServerCommand;

/** What the handlers ask of the server itself. */
export interface GameServerSteps {
  readonly deps: GameDeps;
  readonly roster: GameRoster;
  readonly log: Logger;
  health(): GameServerHealth;
  drain(): void;
  listening(ok: boolean, port: number, error: string): void | Promise<void>;
  registerAttempt(): void;
  registerReply(reply: { type: string; reason?: string; detail?: string } | undefined, error: string | undefined): void;
  whenRegistered(replyTo: ActorRef<RegistrationResult>): void;
  registerPlayer(entry: OnlineEntry, replyTo: ActorRef<RegisterPlayerReply>): void;
  olderEnded(sid: number): void;
  endpoint(): ServerEndpoint | undefined;
  shutdown(replyTo: ActorRef<ShutdownReport>): void;
  finishShutdown(timedOut: boolean): void | Promise<void>;
}

export function gameServerHandlers(server: GameServerSteps): Handlers<GameServerMessage> {
  const { deps, roster, log } = server;
  return {
    'pool.health': ({ replyTo }) => replyTo.tell(server.health()),
    'pool.grant-login-key': (grant) => deps.loginKeys.tell(grant),
    'pool.drain': () => server.drain(),
    'pool.kick': ({ accountId, reason, replyTo }) => {
      const session = roster.sessionOf(accountId);
      if (session !== undefined) {
        log.info({ account: accountId, reason }, 'player kicked at the pool\'s request');
        session.tell({ type: 'net.close', reason: `kicked: ${reason}` });
      }
      replyTo?.tell({ type: 'pool.kicked', found: session !== undefined });
    },
    'game.listening': ({ ok, port, error }) => server.listening(ok, port, error),
    'game.register-attempt': () => server.registerAttempt(),
    'game.register-reply': ({ reply, error }) => server.registerReply(reply, error),
    'game.when-registered': ({ replyTo }) => server.whenRegistered(replyTo),
    'game.register-player': ({ entry, replyTo }) => server.registerPlayer(entry, replyTo),
    'game.older-ended': ({ sid }) => server.olderEnded(sid),
    'game.player-zone': ({ sid, zone }) => roster.setZone(sid, zone),
    'game.list-players': ({ replyTo }) => replyTo.tell(roster.list()),
    'game.find-player': ({ name, replyTo }) => replyTo.tell(roster.find(name)),
    'game.set-muted': ({ accountId, until, replyTo }) => {
      roster.setMuted(accountId, until);
      const session = roster.sessionOf(accountId);
      const changed: MuteChanged = { type: 'game.mute-changed', mutedUntil: roster.mutedUntil(accountId) };
      session?.tell({ type: 'net.tell-services', message: changed });
      replyTo?.tell(session !== undefined);
    },
    'game.broadcast': ({ frame }) => {
      const message = { type: 'net.send-frame' as const, frame };
      for (const session of roster.sessions()) session.tell(message);
    },
    'game.world-info': ({ replyTo }) => deps.world.tell({ type: 'world.info', replyTo }),
    'game.shutdown': ({ replyTo }) => server.shutdown(replyTo),
    'game.shutdown-timeout': () => server.finishShutdown(true),
    'game.endpoint': ({ replyTo }) => replyTo.tell(server.endpoint()),
  };
}
