// What every repository shares: the backend, the credential cipher, options and the timing hook.
import type { Backend } from './backend.js';
import type { CredentialCipher } from './credential-cipher.js';
import type { QueryObserver } from './types.js';

export interface StoreContext {
  readonly backend: Backend;
  /** Replaced by a secret rotation; read at every use. */
  cipher: CredentialCipher;
  readonly characterLimit: number;
  readonly uniqueCharacterNames: boolean;
  readonly timed: <T>(operation: string, run: () => Promise<T>) => Promise<T>;
}

export function createTimer(observer: QueryObserver | undefined): StoreContext['timed'] {
  if (observer === undefined) return (_operation, run) => run();
  return async (operation, run) => {
    const started = performance.now();
    let failed = true;
    try {
      const result = await run();
      failed = false;
      return result;
    } finally {
      // A throwing observer must not turn a committed write into a reported failure.
      try {
        observer(performance.now() - started, operation, failed);
      } catch {
        // Metrics are best effort.
      }
    }
  };
}

export const toDate = (ms: bigint | number): Date => new Date(Number(ms));
export const toDateOrNull = (ms: bigint | number | null): Date | null => (ms === null ? null : new Date(Number(ms)));
export const toMs = (date: Date): bigint => BigInt(date.getTime());
