// The one-time key of a server transfer (docs/game-server.md, "Zone change"). MSG_SERVERTRANSFER carries Key
// as an INT while login keys are text: the key is a random positive int32 stored in its decimal form, and the
// client attaches at the target with that text as LoginKey. It is bound to the account, the character and the
// target server, used once, and expires after the reconnect wait.
import { randomInt } from 'node:crypto';
import type { Store } from '../../../store/index.js';

const KEY_ATTEMPTS = 3;

export interface TransferKeyRequest {
  readonly accountId: bigint;
  readonly characterId: bigint;
  /** The server the client will attach at. */
  readonly server: string;
  readonly expiresAt: Date;
}

/** The key, or undefined when none could be stored (a store failure, or repeated collisions). */
export async function createTransferKey(store: Store, request: TransferKeyRequest): Promise<number | { readonly error: unknown }> {
  for (let attempt = 1; ; attempt++) {
    const candidate = randomInt(1, 0x7fff_ffff);
    try {
      await store.loginKeys.create({ key: String(candidate), ...request });
      return candidate;
    } catch (error) {
      if ((error as { code?: string }).code !== 'ERR_KEY_EXISTS' || attempt >= KEY_ATTEMPTS) return { error };
    }
  }
}
