export type MemberStatus = 'joining' | 'up' | 'unreachable' | 'down';

export interface Member {
  readonly node: string;
  readonly incarnation: string | undefined;
  readonly status: MemberStatus;
  // Scheduler time of the last heartbeat or batch heard from the node.
  readonly lastSeen: number;
}

export type MemberDownReason = 'silent' | 'left' | 'restarted' | 'local-stop';

export type MemberEvent =
  | { readonly type: 'member-up'; readonly node: string; readonly incarnation: string }
  | { readonly type: 'member-unreachable'; readonly node: string; readonly incarnation: string | undefined; readonly silentMs: number }
  | { readonly type: 'member-reachable'; readonly node: string; readonly incarnation: string }
  | { readonly type: 'member-down'; readonly node: string; readonly incarnation: string | undefined; readonly reason: MemberDownReason };

interface MemberState {
  node: string;
  incarnation: string | undefined;
  status: MemberStatus;
  lastSeen: number;
}

// Which nodes are alive, from what is heard of them: a heartbeat or any batch counts. A node silent past
// `unreachableAfterMs` is unreachable, past `downAfterMs` down. Down ends an episode: a node heard again after
// that (the same process after a network cut, or a restart) is up again, and watches must be set up anew.
export class Membership {
  readonly #members = new Map<string, MemberState>();
  #listeners: Array<(event: MemberEvent) => void> = [];

  constructor(
    private readonly now: () => number,
    private readonly bounds: { readonly unreachableAfterMs: number; readonly downAfterMs: number },
    private readonly onDown: (node: string, reason: MemberDownReason) => void,
    private readonly onListenerError: (error: unknown) => void,
  ) {}

  subscribe(listener: (event: MemberEvent) => void): () => void {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  status(node: string): MemberStatus | undefined {
    return this.#members.get(node)?.status;
  }

  list(): Member[] {
    return [...this.#members.values()].map((m) => ({ node: m.node, incarnation: m.incarnation, status: m.status, lastSeen: m.lastSeen }));
  }

  seen(node: string, incarnation: string): void {
    const now = this.now();
    const member = this.#members.get(node);
    if (member === undefined) {
      this.#members.set(node, { node, incarnation, status: 'up', lastSeen: now });
      this.#emit({ type: 'member-up', node, incarnation });
      return;
    }
    if (member.status !== 'down' && member.status !== 'joining' && member.incarnation !== incarnation) this.#down(member, 'restarted');
    member.lastSeen = now;
    if (member.status === 'down' || member.status === 'joining') {
      member.incarnation = incarnation;
      member.status = 'up';
      this.#emit({ type: 'member-up', node, incarnation });
    } else if (member.status === 'unreachable') {
      member.status = 'up';
      this.#emit({ type: 'member-reachable', node, incarnation });
    }
  }

  // A node we talk to before hearing from it (a watch on one of its actors): if it stays silent past the bound,
  // it is declared down like any other, so the watch fires.
  expect(node: string): void {
    const member = this.#members.get(node);
    if (member === undefined) this.#members.set(node, { node, incarnation: undefined, status: 'joining', lastSeen: this.now() });
    else if (member.status === 'down') {
      member.status = 'joining';
      member.lastSeen = this.now();
    }
  }

  left(node: string, incarnation: string): void {
    const member = this.#members.get(node);
    if (member !== undefined && member.status !== 'down' && (member.incarnation === undefined || member.incarnation === incarnation)) this.#down(member, 'left');
  }

  // Runs on every heartbeat tick.
  check(): void {
    const now = this.now();
    for (const member of this.#members.values()) {
      if (member.status === 'down') continue;
      const silent = now - member.lastSeen;
      if (silent > this.bounds.downAfterMs) this.#down(member, 'silent');
      else if (member.status === 'up' && silent > this.bounds.unreachableAfterMs) {
        member.status = 'unreachable';
        this.#emit({ type: 'member-unreachable', node: member.node, incarnation: member.incarnation, silentMs: silent });
      }
    }
  }

  downAll(reason: MemberDownReason): void {
    for (const member of this.#members.values()) if (member.status !== 'down') this.#down(member, reason);
  }

  #down(member: MemberState, reason: MemberDownReason): void {
    member.status = 'down';
    this.onDown(member.node, reason);
    this.#emit({ type: 'member-down', node: member.node, incarnation: member.incarnation, reason });
  }

  #emit(event: MemberEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}
