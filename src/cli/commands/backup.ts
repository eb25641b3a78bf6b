// `imlight backup` and `imlight restore`: an online copy of the SQLite database (SQLite's backup API, safe while the
// server runs) together with the store's key file when there is one; for PostgreSQL, the commands to run instead.
import { copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Command } from 'commander';
import { maskedConfig, type ImlightConfig } from '../../config/index.js';
import { NoDatabaseError } from '../errors.js';
import { print, remapUsageExit, userError } from './store-command-support.js';

/** The store's key file: `security.keyFile` where the configuration has it, else `<dataDir>/imlight.key`. */
export function keyFileOf(config: ImlightConfig): string {
  const configured = (config as { security?: { keyFile?: unknown } }).security?.keyFile;
  return typeof configured === 'string' ? configured : join(config.dataDir, 'imlight.key');
}

function timestamp(now = new Date()): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

function postgresAdvice(command: Command, config: ImlightConfig, verb: 'backup' | 'restore'): void {
  const url = (maskedConfig(config) as { database: { url: string } }).database.url;
  const schema = config.database.schema === undefined ? '' : ` --schema=${config.database.schema}`;
  print(command, `The database is PostgreSQL (${url}): ${verb === 'backup' ? 'back it up' : 'restore it'} with PostgreSQL's own tools, e.g.`);
  print(command, verb === 'backup'
    ? `  pg_dump --format=custom${schema} --file=imlight-${timestamp()}.dump "$IMLIGHT_DATABASE_URL"`
    : `  pg_restore --clean --if-exists${schema} --dbname="$IMLIGHT_DATABASE_URL" imlight-<time>.dump   # with every Imlight process stopped`);
  print(command, `and keep the key file (${keyFileOf(config)}) or IMLIGHT_SECRET with it: stored credentials cannot be read without it.`);
}

export function registerBackupCommands(program: Command, loadConfig: () => ImlightConfig): void {
  const backup = program.command('backup')
    .description('copy the SQLite database (online, safe while the server runs) and the key file; for PostgreSQL, print what to run')
    .option('-o, --out <file>', 'the backup file (default: imlight-backup-<time>.db in the current folder)')
    .action(async function (this: Command, options: { out?: string }) {
      const config = loadConfig();
      if (config.database.url !== undefined) return postgresAdvice(this, config, 'backup');
      const source = config.database.sqliteFile;
      if (!existsSync(source)) throw new NoDatabaseError(source);
      const out = resolve(options.out ?? `imlight-backup-${timestamp()}.db`);
      if (existsSync(out)) userError(this, `${out} exists already; choose another --out`, 'ERR_BACKUP_EXISTS');
      const db = new Database(source, { readonly: true, fileMustExist: true });
      try {
        await db.backup(out);
      } finally {
        db.close();
      }
      print(this, `database: ${source} -> ${out} (${statSync(out).size} bytes)`);
      const keyFile = keyFileOf(config);
      if (existsSync(keyFile)) {
        copyFileSync(keyFile, `${out}.key`);
        print(this, `key file: ${keyFile} -> ${out}.key (keep it as secret as the key file itself)`);
      }
    });
  remapUsageExit(backup);

  const restore = program.command('restore')
    .description('put a backup made by "imlight backup" in place of the SQLite database (with the server stopped)')
    .argument('<file>', 'the backup file')
    .option('--force', 'restore even though the database looks in use (a write-ahead log is present)')
    .action(async function (this: Command, file: string, options: { force?: boolean }) {
      const config = loadConfig();
      if (config.database.url !== undefined) return postgresAdvice(this, config, 'restore');
      const backupFile = resolve(file);
      if (!existsSync(backupFile)) userError(this, `no backup at ${backupFile}`, 'ERR_RESTORE_MISSING');
      const check = new Database(backupFile, { readonly: true, fileMustExist: true });
      try {
        const result = check.pragma('quick_check', { simple: true });
        if (result !== 'ok') userError(this, `${backupFile} is damaged: ${String(result)}`, 'ERR_RESTORE_DAMAGED');
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_NOTADB') userError(this, `${backupFile} is not an SQLite database`, 'ERR_RESTORE_DAMAGED');
        throw error;
      } finally {
        check.close();
      }
      const target = config.database.sqliteFile;
      const wal = `${target}-wal`;
      if (!options.force && existsSync(wal) && statSync(wal).size > 0) {
        userError(this, `${target} looks in use (${basename(wal)} is not empty): stop the server first, or pass --force`, 'ERR_RESTORE_IN_USE');
      }
      const aside = `${target}.before-restore-${timestamp()}`;
      if (existsSync(target)) {
        renameSync(target, aside);
        print(this, `previous database kept as ${aside}`);
      }
      for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
      copyFileSync(backupFile, target);
      print(this, `restored ${backupFile} -> ${target}`);
      const keyBackup = `${backupFile}.key`;
      if (existsSync(keyBackup)) {
        const keyFile = keyFileOf(config);
        if (existsSync(keyFile)) renameSync(keyFile, `${keyFile}.before-restore-${timestamp()}`);
        copyFileSync(keyBackup, keyFile);
        print(this, `key file restored to ${keyFile} (in ${dirname(keyFile)})`);
      }
    });
  remapUsageExit(restore);
}
