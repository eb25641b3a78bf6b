// Sealing of the stored credentials as a whole (docs/store.md, "Credentials"): at open, whatever was
// written without a secret (an older database, rows written before the secret existed) is sealed;
// a rotation re-seals everything under a new secret in one transaction.
import type { Kysely } from 'kysely';
import type { Backend } from './backend.js';
import { CredentialCipher } from './credential-cipher.js';
import { fromStoredId } from './limits.js';
import type { Database } from './schema.js';

export const CREDENTIAL_CHECK_NAME = 'credential_check';
const credentialCheckText = 'imlight credential key check';
const BATCH = 500;

/** The associated data of a sealed ClientKey2: the key only opens on its own row. */
export function sessionKeyContext(accountId: bigint, machineId: bigint): string {
  return `session:${accountId}:${machineId}`;
}

export function sealedCheckValue(cipher: CredentialCipher): string {
  return cipher.seal(credentialCheckText, CREDENTIAL_CHECK_NAME);
}

export function opensCheckValue(cipher: CredentialCipher, stored: string): boolean {
  return cipher.open(stored, CREDENTIAL_CHECK_NAME) === credentialCheckText;
}

type Recode = (stored: string, context: string) => string | undefined;

async function recodeAccounts(db: Kysely<Database>, onlyPlain: boolean, recode: Recode): Promise<number> {
  let changed = 0;
  let after = -(2n ** 63n);
  for (;;) {
    let query = db.selectFrom('accounts').select(['id', 'username_key', 'password_hash']).where('id', '>', after).orderBy('id').limit(BATCH);
    if (onlyPlain) query = query.where('password_hash', 'not like', 'enc1:%');
    const rows = await query.execute();
    for (const row of rows) {
      const next = recode(row.password_hash, row.username_key);
      if (next === undefined) continue;
      // Only if unchanged meanwhile: a password set concurrently is already sealed.
      await db.updateTable('accounts').set({ password_hash: next }).where('id', '=', row.id).where('password_hash', '=', row.password_hash).execute();
      changed++;
    }
    if (rows.length < BATCH) return changed;
    after = BigInt(rows[rows.length - 1]!.id);
  }
}

async function recodeSessionKeys(db: Kysely<Database>, onlyPlain: boolean, recode: Recode): Promise<number> {
  let query = db.selectFrom('session_keys').select(['account_id', 'machine_id', 'session_key']);
  if (onlyPlain) query = query.where('session_key', 'not like', 'enc1:%');
  // Client keys live an hour: the table holds at most the players of the last hour.
  const rows = await query.execute();
  let changed = 0;
  for (const row of rows) {
    const next = recode(row.session_key, sessionKeyContext(fromStoredId(BigInt(row.account_id)), fromStoredId(BigInt(row.machine_id))));
    if (next === undefined) continue;
    await db.updateTable('session_keys').set({ session_key: next })
      .where('account_id', '=', row.account_id).where('machine_id', '=', row.machine_id).where('session_key', '=', row.session_key).execute();
    changed++;
  }
  return changed;
}

/** Seals every credential still stored in plain text; returns how many rows were sealed. */
export async function sealPlainCredentials(backend: Backend, cipher: CredentialCipher): Promise<{ accounts: number; sessionKeys: number }> {
  const seal: Recode = (stored, context) => (CredentialCipher.isEncrypted(stored) ? undefined : cipher.seal(stored, context));
  return backend.writeTransaction(async (trx) => ({
    accounts: await recodeAccounts(trx, true, seal),
    sessionKeys: await recodeSessionKeys(trx, true, seal),
  }));
}

/** Re-seals every credential and the check value from `from` to `to`, in one transaction. */
export async function resealCredentials(backend: Backend, from: CredentialCipher, to: CredentialCipher): Promise<{ accounts: number; sessionKeys: number }> {
  const reseal: Recode = (stored, context) => to.seal(from.open(stored, context), context);
  return backend.writeTransaction(async (trx) => {
    const check = await trx.selectFrom('store_meta').select('value').where('name', '=', CREDENTIAL_CHECK_NAME).executeTakeFirst();
    if (check !== undefined && !opensCheckValue(from, check.value)) throw new Error('unreachable: the store was opened with this secret');
    const accounts = await recodeAccounts(trx, false, reseal);
    const sessionKeys = await recodeSessionKeys(trx, false, reseal);
    await trx.deleteFrom('store_meta').where('name', '=', CREDENTIAL_CHECK_NAME).execute();
    await trx.insertInto('store_meta').values({ name: CREDENTIAL_CHECK_NAME, value: sealedCheckValue(to) }).execute();
    return { accounts, sessionKeys };
  });
}
