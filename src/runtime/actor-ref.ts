// A ref hides a process: a local actor, an ask's temporary reply slot, dead letters, a probe, or a remote proxy.
// Nothing may assume a ref is local; compare refs by `path`.
export interface ActorRef<M = any> {
  readonly path: string;
  tell(message: M, sender?: ActorRef): void;
  ask<R>(build: (replyTo: ActorRef<R>) => M, timeoutMs: number): Promise<R>;
  sendSystem(message: SystemMessage): void;
}

// Messages a transport forwards between processes. `watcher`/`ref` are refs; the transport serializes them by path.
export type TransportSystemMessage =
  | { readonly type: 'watch'; readonly watcher: ActorRef }
  | { readonly type: 'unwatch'; readonly watcher: ActorRef }
  | { readonly type: 'stop' }
  | { readonly type: 'terminated'; readonly ref: ActorRef };

// Messages between a local parent and its children; they never cross processes (children are always local).
export type LocalSystemMessage =
  | { readonly type: 'start' }
  | { readonly type: 'failed'; readonly child: ActorRef; readonly error: unknown; readonly message: unknown; readonly escalated?: boolean }
  | { readonly type: 'suspend' }
  | { readonly type: 'resume' }
  | { readonly type: 'restart'; readonly error: unknown; readonly message: unknown }
  | { readonly type: 'child-terminated'; readonly child: ActorRef };

export type SystemMessage = TransportSystemMessage | LocalSystemMessage;
