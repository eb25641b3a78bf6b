// Parsing what an operator gives the swarm: a --mix string, an accounts file, a HOST:PORT.
import { readFileSync } from 'node:fs';
import type { ActionMix } from './bot.js';
import { AccountsFileError, BotConfigError } from './errors.js';
import type { BotAccount } from './login-steps.js';

/** "move=70,chat=20,zone=10" (any subset; missing weights are 0). */
export function parseMix(text: string): ActionMix {
  const mix = { move: 0, chat: 0, zone: 0 };
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const match = /^(move|chat|zone)\s*[=:]\s*(\d+(?:\.\d+)?)$/.exec(part);
    if (match === null) throw new BotConfigError(`mix entry "${part}" is not move=N, chat=N or zone=N`);
    mix[match[1] as keyof ActionMix] = Number(match[2]);
  }
  if (mix.move + mix.chat + mix.zone <= 0) throw new BotConfigError(`mix "${text}" has no positive weight`);
  return mix;
}

/** "host:port" or ":port" / "port" (127.0.0.1). */
export function parseTarget(text: string): { host: string; port: number } {
  const at = text.lastIndexOf(':');
  const host = at <= 0 ? '127.0.0.1' : text.slice(0, at).replace(/^\[|\]$/g, '');
  const portText = at < 0 ? text : text.slice(at + 1);
  const port = Number(portText);
  if (!/^\d{1,5}$/.test(portText) || port < 1 || port > 65535) throw new BotConfigError(`"${text}" is not HOST:PORT with a port 1..65535`);
  return { host, port };
}

/**
 * Accounts, one per line: `username:password` (or separated by white space). Blank lines and lines
 * starting with # are skipped. The password is everything after the first separator.
 */
export function parseAccounts(text: string, source = 'accounts'): BotAccount[] {
  const accounts: BotAccount[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^([^\s:]+)(?::|\s+)(.+)$/.exec(line);
    if (match === null) throw new AccountsFileError(`${source}:${index + 1}: expected "username:password"`);
    const username = match[1]!;
    if (seen.has(username.toLowerCase())) throw new AccountsFileError(`${source}:${index + 1}: account ${username} is listed twice (one bot per account)`);
    seen.add(username.toLowerCase());
    accounts.push({ username, password: match[2]! });
  });
  return accounts;
}

export function readAccountsFile(path: string): BotAccount[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AccountsFileError(`cannot read accounts file ${path}: ${(error as Error).message}`, { cause: error });
  }
  return parseAccounts(text, path);
}

/** The usernames the swarm creates: prefix + zero-padded index, e.g. bot0001. */
export function botUsernames(prefix: string, count: number): string[] {
  const width = Math.max(4, String(count).length);
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(width, '0')}`);
}
