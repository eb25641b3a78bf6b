// What protects the admin listener beyond credentials (docs/admin.md, "Protections"): the Host header must name the
// console (its bound address, localhost when it listens there, or a configured name), and a generated token goes to
// a file only its owner can read, never to the log.
import { open } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';

const WILDCARDS = new Set(['0.0.0.0', '::', '']);
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The host names (lower case, IPv6 without brackets) the console answers to. */
export function allowedHostNames(boundHost: string, configured: readonly string[]): ReadonlySet<string> {
  const names = new Set<string>([boundHost.toLowerCase()]);
  if (WILDCARDS.has(boundHost) || isLoopback(boundHost)) for (const name of LOOPBACK_NAMES) names.add(name);
  if (WILDCARDS.has(boundHost)) {
    for (const addresses of Object.values(networkInterfaces())) for (const a of addresses ?? []) names.add(a.address.toLowerCase());
  }
  for (const name of configured) {
    const trimmed = name.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
    if (trimmed !== '') names.add(trimmed);
  }
  return names;
}

/** The host part of a Host header ("name:port", "[v6]:port"), lower case; undefined when malformed. */
export function hostNameOf(header: string): string | undefined {
  const value = header.trim().toLowerCase();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    if (end < 0) return undefined;
    const rest = value.slice(end + 1);
    return rest === '' || /^:\d{1,5}$/.test(rest) ? value.slice(1, end) : undefined;
  }
  const colon = value.indexOf(':');
  if (colon < 0) return value;
  return /^\d{1,5}$/.test(value.slice(colon + 1)) ? value.slice(0, colon) : undefined;
}

/** The port does not matter (an SSH tunnel may forward another local port); the name does. */
export function hostAllowed(header: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (header === undefined || header.length > 300) return false;
  const name = hostNameOf(header);
  return name !== undefined && allowed.has(name);
}

/** Writes the generated token (first line) and the sign-in URL (second) to a file readable by its owner only. */
export async function writeTokenFile(path: string, token: string, consoleUrl: string): Promise<void> {
  const handle = await open(path, 'w', 0o600);
  try {
    // An existing file keeps its mode on open: tighten it before writing the new token.
    if (process.platform !== 'win32') await handle.chmod(0o600);
    await handle.writeFile(`${token}\n${consoleUrl}\n`, 'utf8');
  } finally {
    await handle.close();
  }
}
