// How a game server logs the registration attempts it repeats until the login server answers (locally, or across
// the cluster): at warn on the first attempt and every tenth, at debug in between, so a long wait stays visible in
// the log without one line per retry.
import type { Logger } from '../../runtime/index.js';

export function logRetry(log: Logger, attempt: number, line: Record<string, unknown>, msg: string): void {
  if (attempt === 1 || attempt % 10 === 0) log.warn(line, msg);
  else log.debug(line, msg);
}
