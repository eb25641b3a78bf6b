// The message definitions a server speaks: the shipped ones, with a client's own (bring your own data: a folder of
// *Messages.xml or its Root.wad) replacing them per service.
import { MessageRegistry } from '../../protocol/index.js';
import type { Logger } from '../../runtime/index.js';

export async function loadConfiguredRegistry(definitions: string | undefined, log: Logger): Promise<MessageRegistry> {
  const defaults = MessageRegistry.defaults();
  if (definitions === undefined) return defaults;
  const own = definitions.toLowerCase().endsWith('.wad') ? await MessageRegistry.fromRootWad(definitions) : await MessageRegistry.fromFolder(definitions);
  for (const warning of own.warnings) log.warn({ definitions }, warning);
  return defaults.merge(own);
}
