// The CommandDispatcher: chat commands (after the configured prefix) from accounts with rights.
// Each command names the lowest access level that may run it; the answer goes back to the issuer
// as a server message. Arguments are split on spaces; "double quotes" keep a name with spaces.
import { Actor, props, type ActorContext, type ActorRef, type Handlers } from '../../runtime/index.js';
import { EXTENDEDBASE, encodeDmlFrame } from '../../protocol/index.js';
import { AccessLevel } from '../../store/index.js';
import type { GameContext } from './game-context.js';
import { MUTED_FOREVER, type GameServerOwnMessage, type OnlineEntry, type PlayerSummary, type RunCommand, type TeleportResult } from './messages.js';
import { parseZonePath } from './zone-path.js';
import { rankOf, tellPlayer } from './services/feedback.js';

type Issuer = RunCommand['issuer'];

interface CommandDef {
  readonly level: AccessLevel;
  readonly usage: string;
  run(args: readonly string[], issuer: Issuer): Promise<string>;
}

const MAX_COMMAND_LENGTH = 512;

/** Splits on whitespace; a double-quoted part is one argument. */
export function splitArguments(text: string): string[] {
  const args: string[] = [];
  const pattern = /"([^"]*)"|(\S+)/g;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) args.push(match[1] ?? match[2]!);
  return args;
}

export class CommandDispatcher extends Actor<RunCommand> {
  readonly #game: GameContext;
  readonly #server: ActorRef<GameServerOwnMessage>;
  readonly #commands: ReadonlyMap<string, CommandDef>;

  constructor(context: ActorContext<RunCommand>, game: GameContext) {
    super(context);
    this.#game = game;
    this.#server = context.parent as ActorRef<GameServerOwnMessage>;
    this.#commands = new Map<string, CommandDef>([
      ['help', { level: AccessLevel.Moderator, usage: 'help', run: (_a, issuer) => Promise.resolve(this.#help(issuer)) }],
      ['who', { level: AccessLevel.Moderator, usage: 'who', run: () => this.#who() }],
      ['kick', { level: AccessLevel.Moderator, usage: 'kick <name>', run: (a) => this.#kick(a) }],
      ['teleport', { level: AccessLevel.Moderator, usage: 'teleport <name> <zone>', run: (a) => this.#teleport(a) }],
      ['mute', { level: AccessLevel.Moderator, usage: 'mute <name>', run: (a) => this.#mute(a, true) }],
      ['unmute', { level: AccessLevel.Moderator, usage: 'unmute <name>', run: (a) => this.#mute(a, false) }],
      ['broadcast', { level: AccessLevel.Administrator, usage: 'broadcast <text>', run: (a) => this.#broadcast(a) }],
      ['transfer', { level: AccessLevel.Administrator, usage: 'transfer <name> <server>', run: (a) => this.#transfer(a) }],
    ]);
  }

  readonly receive: Handlers<RunCommand> = {
    'commands.run': async ({ text, issuer }) => {
      const args = splitArguments(text.slice(0, MAX_COMMAND_LENGTH));
      const name = (args.shift() ?? '').toLowerCase();
      const command = this.#commands.get(name);
      let answer: string;
      if (command === undefined) {
        answer = `Unknown command "${name.slice(0, 32)}". Try ${this.#game.commandPrefix}help.`;
      } else if (rankOf(issuer.accessLevel) < rankOf(command.level)) {
        this.context.log.info({ accountId: String(issuer.accountId), character: issuer.name, command: name }, 'command refused: access level too low');
        answer = `You are not allowed to use ${this.#game.commandPrefix}${name}.`;
      } else {
        try {
          answer = await command.run(args, issuer);
          this.context.log.info({ accountId: String(issuer.accountId), character: issuer.name, command: name, args }, 'command run');
        } catch (error) {
          this.context.log.error({ err: error, command: name }, 'command failed');
          answer = `${this.#game.commandPrefix}${name} failed: ${(error as Error).message}`;
        }
      }
      tellPlayer(issuer.session, answer);
    },
  };

  #ask<R>(build: (replyTo: ActorRef<R>) => GameServerOwnMessage): Promise<R> {
    return this.#server.ask<R>(build, this.#game.timings.askTimeoutMs);
  }

  async #find(name: string | undefined): Promise<OnlineEntry> {
    if (name === undefined || name === '') throw new Error('a player name is required');
    const entry = await this.#ask<OnlineEntry | undefined>((replyTo) => ({ type: 'game.find-player', name, replyTo }));
    if (entry === undefined) throw new Error(`no player named "${name.slice(0, 32)}" is online here`);
    return entry;
  }

  #help(issuer: Issuer): string {
    const rank = rankOf(issuer.accessLevel);
    const usable = [...this.#commands.values()].filter((c) => rankOf(c.level) <= rank).map((c) => `${this.#game.commandPrefix}${c.usage}`);
    return `Commands: ${usable.join(', ')}`;
  }

  async #who(): Promise<string> {
    const players = await this.#ask<readonly PlayerSummary[]>((replyTo) => ({ type: 'game.list-players', replyTo }));
    const names = players.map((p) => `${p.name} (${p.zone})`).sort();
    return `${players.length} online on ${this.#game.name}: ${names.join(', ')}`;
  }

  async #kick(args: readonly string[]): Promise<string> {
    const target = await this.#find(args[0]);
    tellPlayer(target.session, 'You were disconnected by a moderator.');
    target.session.tell({ type: 'net.close', reason: 'kicked by a command' });
    return `Kicked ${target.name}.`;
  }

  async #teleport(args: readonly string[]): Promise<string> {
    const target = await this.#find(args[0]);
    const path = parseZonePath(args[1] ?? '');
    if (path === undefined) throw new Error('a valid zone path is required');
    const result = await target.session.ask<TeleportResult>(
      (replyTo) => ({ type: 'net.tell-services', message: { type: 'game.teleport', path, replyTo } }),
      this.#game.timings.zoneLoadTimeoutMs + this.#game.timings.askTimeoutMs,
    );
    return result.ok ? `Teleported ${target.name} to ${result.zone}.` : `Cannot teleport ${target.name}: ${result.detail}`;
  }

  async #mute(args: readonly string[], muted: boolean): Promise<string> {
    const target = await this.#find(args[0]);
    this.#server.tell({ type: 'game.set-muted', accountId: target.accountId, until: muted ? MUTED_FOREVER : 0 });
    return `${muted ? 'Muted' : 'Unmuted'} ${target.name}.`;
  }

  #broadcast(args: readonly string[]): Promise<string> {
    const text = args.join(' ');
    if (text === '') throw new Error('a message is required');
    const frame = encodeDmlFrame(this.#game.registry, EXTENDEDBASE.MSG_SERVERMESSAGE, { Modal: 0, Message: text });
    this.#server.tell({ type: 'game.broadcast', frame });
    return Promise.resolve('Broadcast sent.');
  }

  async #transfer(args: readonly string[]): Promise<string> {
    const target = await this.#find(args[0]);
    const serverName = args[1];
    if (serverName === undefined || this.#game.directory === undefined) throw new Error('a known game server name is required');
    const server = await this.#game.directory.resolve(serverName);
    if (server === undefined || server.name === this.#game.name) throw new Error(`no other game server named "${serverName.slice(0, 64)}"`);
    const result = await target.session.ask<TeleportResult>(
      (replyTo) => ({ type: 'net.tell-services', message: { type: 'game.server-transfer', target: server, replyTo } }),
      this.#game.timings.askTimeoutMs * 2,
    );
    return result.ok ? `Sent ${target.name} to ${server.name}.` : `Cannot transfer ${target.name}: ${result.detail}`;
  }
}

export function commandDispatcherProps(game: GameContext) {
  return props<RunCommand>((context) => new CommandDispatcher(context, game), { kind: 'CommandDispatcher' });
}
