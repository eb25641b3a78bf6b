// The KiNP side of the patch server: a KiServer whose sessions each get one PatchService. It holds no list
// of its own: every reply reads the list the HTTP side serves at that moment (PatchServiceSettings.currentList).
import { KiServer, startServer, type NetMetrics, type ServerAddress, type ServerConfig, type ServerMessage, type SessionOptions } from '../../net/index.js';
import type { MessageRegistry } from '../../protocol/index.js';
import { props, type ActorContext, type ActorRef, type ActorSystem, type Props } from '../../runtime/index.js';
import { PatchService, type PatchServiceSettings } from './patch-service.js';

export interface PatchServerOptions extends PatchServiceSettings {
  /** For logs and ServerInfo. Default "patch". */
  readonly name?: string;
  /** Default 0.0.0.0. */
  readonly host?: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** Message definitions; default the shipped ones. */
  readonly registry?: MessageRegistry;
  readonly session?: Partial<SessionOptions>;
  readonly maxConnections?: number;
  readonly metrics?: NetMetrics;
}

/** The service name of the PatchService in every patch session. */
export const PATCH_SERVICE_NAME = 'patch';

/** The KiServer configuration of a patch server: its options plus its one service. */
export function patchServerConfig(options: PatchServerOptions): ServerConfig {
  const settings: PatchServiceSettings = {
    currentList: options.currentList,
    urls: options.urls,
    ...(options.maxLocaleBytes === undefined ? {} : { maxLocaleBytes: options.maxLocaleBytes }),
  };
  return {
    name: options.name ?? 'patch',
    port: options.port,
    services: [{ name: PATCH_SERVICE_NAME, create: (context, env) => new PatchService(context, env, settings) }],
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.registry === undefined ? {} : { registry: options.registry }),
    ...(options.session === undefined ? {} : { session: options.session }),
    ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
  };
}

export class PatchServer extends KiServer {
  constructor(context: ActorContext<ServerMessage>, options: PatchServerOptions) {
    super(context, patchServerConfig(options));
  }
}

export function patchServerProps(options: PatchServerOptions): Props<ServerMessage> {
  return props((context) => new PatchServer(context, options), { kind: 'PatchServer' });
}

/** Spawns a patch server under /user/<name> and resolves once it listens (rejects with ListenError). */
export function startPatchServer(
  system: ActorSystem,
  options: PatchServerOptions,
  name = 'patch',
): Promise<{ ref: ActorRef<ServerMessage>; address: ServerAddress }> {
  return startServer(system, patchServerProps(options), name);
}
