// Starting a game server from outside the actor system and waiting until it is registered (or listens), and the
// handle its starter keeps to shut it down.
import { stopAndWait, stopGracefully, type ActorRef, type ActorSystem } from '../../runtime/index.js';
import type { ListenResult, ServerMessage } from '../../net/index.js';
import { RegistrationRefusedError, RegistrationTimeoutError } from './errors.js';
import { gameServerProps, type GameServerMessage, type GameServerOptions } from './game-server.js';
import type { RegistrationResult, ShutdownReport } from './messages.js';

export interface GameServerHandle {
  readonly ref: ActorRef<ServerMessage | GameServerMessage>;
  readonly name: string;
  /** The bound TCP port. */
  readonly port: number;
  /** False when the wait ended before the pool answered (the server goes on retrying). */
  readonly registered: boolean;
  /** Tells every player, saves everyone, leaves the pool; then stops the actor. */
  shutdown(timeoutMs?: number): Promise<ShutdownReport>;
}

/**
 * Waits until a game server (spawned anywhere: by the pool, or with startGameServer) is registered.
 * Rejects with RegistrationRefusedError when the pool refused it, RegistrationTimeoutError past the limit,
 * unless `allowUnregistered`: then it resolves once the server listens, with `registered: false`, and the
 * server keeps retrying (a game process started before the login server of its cluster).
 */
export async function awaitGameServer(
  system: ActorSystem,
  ref: ActorRef<ServerMessage | GameServerMessage>,
  name: string,
  timeoutMs = 30_000,
  options: { allowUnregistered?: boolean } = {},
): Promise<GameServerHandle> {
  let result: RegistrationResult;
  try {
    result = await ref.ask<RegistrationResult>((replyTo) => ({ type: 'game.when-registered', replyTo }), timeoutMs);
  } catch (error) {
    if (options.allowUnregistered === true) {
      const listening = await ref.ask<ListenResult>((replyTo) => ({ type: 'net.when-listening', replyTo }), timeoutMs);
      if (listening.ok) return handleOf(system, ref, name, listening.address.port, false);
    }
    throw Object.assign(new RegistrationTimeoutError(name, timeoutMs), { cause: error });
  }
  if (!result.ok) {
    stopGracefully(ref);
    if (result.code === 'ERR_GAME_REGISTER_REFUSED') throw new RegistrationRefusedError(name, result.reason, result.detail);
    throw new RegistrationTimeoutError(name, timeoutMs);
  }
  return handleOf(system, ref, name, result.port, true);
}

function handleOf(system: ActorSystem, ref: ActorRef<ServerMessage | GameServerMessage>, name: string, port: number, registered: boolean): GameServerHandle {
  return {
    ref,
    name,
    port,
    registered,
    async shutdown(limitMs = 15_000) {
      const report = await ref.ask<ShutdownReport>((replyTo) => ({ type: 'game.shutdown', replyTo }), limitMs);
      await stopAndWait(system, ref, limitMs);
      return report;
    },
  };
}

/** Spawns a game server at the top of the system (its pool given in the options) and waits for its registration. */
export async function startGameServer(system: ActorSystem, options: GameServerOptions, actorName = `game-${options.name}`, timeoutMs = 30_000): Promise<GameServerHandle> {
  const ref = system.spawn(gameServerProps(options), actorName);
  return awaitGameServer(system, ref, options.name, timeoutMs);
}
