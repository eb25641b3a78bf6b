// The rules every typed line of a player passes, whatever its channel (say, whisper, group chat):
// not empty, at most the configured length, not muted, at most `ratePerWindow` lines per 10 s.
// One gate per session, shared by its chat channels, so a flood on one channel counts for all.
import type { Scheduler } from '../../../runtime/index.js';

export const CHAT_RATE_WINDOW_MS = 10_000;

export type ChatVerdict =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly reason: 'empty' | 'too-long' | 'muted' | 'too-fast'; readonly length: number; readonly firstRefusal: boolean };

export class ChatGate {
  #mutedUntil = 0;
  #windowStart = 0;
  #inWindow = 0;

  constructor(readonly maxLength: number, private readonly ratePerWindow: number, private readonly scheduler: Scheduler) {}

  set mutedUntil(until: number) {
    this.#mutedUntil = until;
  }

  get muted(): boolean {
    return this.#mutedUntil > Date.now();
  }

  /** Checks the length only (commands pass here before the mute and rate rules). */
  text(bytes: Buffer): ChatVerdict {
    const text = bytes.toString('utf8');
    const length = [...text].length;
    if (length === 0) return { ok: false, reason: 'empty', length, firstRefusal: true };
    if (length > this.maxLength) return { ok: false, reason: 'too-long', length, firstRefusal: true };
    return { ok: true, text };
  }

  /** Checks the mute and counts the line against the rate. */
  admit(length = 0): ChatVerdict | undefined {
    if (this.muted) return { ok: false, reason: 'muted', length, firstRefusal: true };
    const now = this.scheduler.now();
    if (now - this.#windowStart >= CHAT_RATE_WINDOW_MS) {
      this.#windowStart = now;
      this.#inWindow = 0;
    }
    if (++this.#inWindow > this.ratePerWindow) return { ok: false, reason: 'too-fast', length, firstRefusal: this.#inWindow === this.ratePerWindow + 1 };
    return undefined;
  }

  /** Both checks, for a line that is never a command. */
  check(bytes: Buffer): ChatVerdict {
    const verdict = this.text(bytes);
    if (!verdict.ok) return verdict;
    return this.admit(verdict.text.length) ?? verdict;
  }
}
