export type Handler = (message: any) => unknown;
export type HandlerTable = Record<string, Handler | undefined>;

// Handler tables have no Object.prototype behind them, so a message typed "constructor" or "toString" is
// unhandled rather than calling a built-in; instances keep V8's fast property lookups.
class HandlerTableBase {}
Object.setPrototypeOf(HandlerTableBase.prototype, null);
delete (HandlerTableBase.prototype as { constructor?: unknown }).constructor;

export function toTable(handlers: object): HandlerTable {
  const table = new HandlerTableBase() as HandlerTable;
  for (const key of Object.keys(handlers)) {
    const handler = (handlers as Record<string, unknown>)[key];
    if (typeof handler === 'function') table[key] = handler as Handler;
  }
  return table;
}

// The behavior of an actor with no instance (not created yet, or stopped).
export const EMPTY_TABLE = toTable({});

// Stands for "the instance's `receive`" while its constructor runs: a become() there replaces it, a stacked
// become() pushes it, and once the instance exists whatever is left of it becomes `receive`.
export const RECEIVE_PLACEHOLDER = toTable({});
