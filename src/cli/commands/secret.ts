// `imlight secret rotate`: re-seals every stored credential under a new store secret (docs/store.md, "Rotating the
// secret"). Stop every process using the database first: they hold the old secret.
//
// With the key file (no `secret` configured) the new secret is generated (or read from --new-secret-env), written to
// `<keyFile>.new`, the database re-sealed in one transaction, then the new file renamed over the key file. If the
// command stops after the commit and before the rename, the next start (or rotation) sees which key the database
// uses and finishes the rename. With `secret` configured, the new one comes from an environment variable and the
// operator puts it in the configuration afterwards.
import { Command } from 'commander';
import type { ImlightConfig } from '../../config/index.js';
import { discardPendingKey, generateSecret, PENDING_KEY_SUFFIX, promotePendingKey, writeNewKeyFile } from '../../store/index.js';
import { openConfiguredStore } from '../open-store.js';
import { print, remapUsageExit, usageError, userError, withStore } from './store-command-support.js';

export function registerSecretCommands(program: Command, loadConfig: () => ImlightConfig): Command {
  const secret = program.command('secret').description('the store secret that seals credentials at rest');
  remapUsageExit(secret);
  const rotate = secret.command('rotate')
    .description('re-seal every stored credential under a new secret (stop the servers first)')
    .option('--new-secret-env <name>', 'environment variable holding the new secret (16+ characters); required when `secret` is configured')
    .action(async function (this: Command, options: { newSecretEnv?: string }) {
      const config = loadConfig();
      let next: string | undefined;
      if (options.newSecretEnv !== undefined) {
        next = process.env[options.newSecretEnv];
        if (next === undefined || next.length < 16) usageError(this, `${options.newSecretEnv} must hold the new secret (16 or more characters)`);
      }
      if (config.secret !== undefined) {
        if (next === undefined) usageError(this, '`secret` is configured: give the new one with --new-secret-env NAME');
        const newSecret = next;
        await withStore(this, () => openConfiguredStore(config), async (store) => {
          const counts = await store.rotateSecret(newSecret);
          print(this, `re-sealed ${counts.accounts} password hashes and ${counts.sessionKeys} client keys; set \`secret\` to the new value before the next start`);
        });
        return;
      }
      const keyFile = config.security.keyFile;
      const newSecret = next ?? generateSecret();
      await withStore(this, () => openConfiguredStore(config), async (store) => {
        try {
          await writeNewKeyFile(keyFile + PENDING_KEY_SUFFIX, newSecret);
        } catch (error) {
          userError(this, `cannot write ${keyFile}${PENDING_KEY_SUFFIX}: ${(error as Error).message}`);
        }
        let counts: { accounts: number; sessionKeys: number };
        try {
          counts = await store.rotateSecret(newSecret);
        } catch (error) {
          await discardPendingKey(keyFile);
          throw error;
        }
        await promotePendingKey(keyFile);
        print(this, `re-sealed ${counts.accounts} password hashes and ${counts.sessionKeys} client keys; the new secret is in ${keyFile}`);
      });
    });
  remapUsageExit(rotate);
  return secret;
}
