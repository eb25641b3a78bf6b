// The few facts an operator looks for when a process starts (what it serves, where its data is, which database),
// in place of the whole configuration, which is logged at debug level and shown by `imlight config print`.
import { maskedConfig, type ImlightConfig, type Role } from '../config/index.js';

export interface StartSummary {
  readonly role: Role;
  readonly dataDir: string;
  /** `sqlite:<file>` or the PostgreSQL URL with its password masked; absent for the patch role. */
  readonly database?: string;
  readonly cluster?: string;
  /** The configured ports of the servers this role runs (0: picked by the system, logged by each server). */
  readonly ports: Readonly<Record<string, number>>;
}

export function startSummary(config: ImlightConfig, role: Role): StartSummary {
  const ports: Record<string, number> = {};
  if (role === 'all' || role === 'login') ports.login = config.login.port;
  if (role === 'all' || role === 'game') ports.game = config.game.port;
  if (role === 'all' || role === 'patch') {
    ports.patch = config.patch.port;
    ports.patchHttp = config.patch.httpPort;
  }
  if (config.admin.enabled) ports.admin = config.admin.port;
  const masked = maskedConfig(config) as { database?: { url?: string }; cluster?: { natsUrl?: string } };
  return {
    role,
    dataDir: config.dataDir,
    ...(role === 'patch' ? {} : { database: masked.database?.url ?? `sqlite:${config.database.sqliteFile}` }),
    ...(masked.cluster?.natsUrl === undefined ? {} : { cluster: `${config.cluster.name} via ${masked.cluster.natsUrl}` }),
    ports,
  };
}
