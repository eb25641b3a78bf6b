// Turns actor-system snapshots into the tree the console shows: breadth first, capped at `maxNodes` so a system with
// a hundred thousand sessions still answers with a bounded document (the top of the tree is always complete), and
// with message rates from the processed counts of the previous sample.
import type { AdminSystem, TreeSnapshotNode } from './admin-sources.js';

export interface TreeNodeView {
  /** The last path segment; the root carries its whole path in `TreeView.rootPath`. */
  readonly name: string;
  readonly kind: string;
  readonly mailbox: number;
  readonly processed: number;
  /** Messages per second since the previous sample; null for an actor the previous sample did not show. */
  readonly rate: number | null;
  /** Children the actor has; `children` may hold fewer when the cap was reached. */
  readonly childCount: number;
  readonly children: TreeNodeView[];
}

export interface TreeView {
  readonly at: number;
  readonly rootPath: string;
  readonly root: TreeNodeView;
  readonly totalActors: number;
  readonly shownActors: number;
  readonly maxNodes: number;
  readonly truncated: boolean;
  readonly mailboxTotal: number;
  readonly mailboxMax: number;
}

export const DEFAULT_TREE_MAX_NODES = 5000;

// Rates over windows shorter than this are too noisy: a sample taken sooner reuses the older baseline.
const MIN_RATE_WINDOW_MS = 500;

function lastSegment(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? path : path.slice(slash + 1);
}

export class TreeSampler {
  readonly #system: AdminSystem;
  readonly #now: () => number;
  readonly maxNodes: number;
  #baseline = new Map<string, number>();
  #baselineAt: number | undefined = undefined;

  constructor(system: AdminSystem, options: { maxNodes?: number; now?: () => number } = {}) {
    this.#system = system;
    this.#now = options.now ?? Date.now;
    this.maxNodes = options.maxNodes ?? DEFAULT_TREE_MAX_NODES;
    if (!Number.isInteger(this.maxNodes) || this.maxNodes < 1) throw new RangeError(`maxNodes must be a positive integer, got ${this.maxNodes}`);
  }

  sample(): TreeView {
    const at = this.#now();
    const snapshot = this.#system.snapshot();
    const windowMs = this.#baselineAt === undefined ? 0 : at - this.#baselineAt;
    const baseline = this.#baseline;
    const processedNow = new Map<string, number>();

    const view = (node: TreeSnapshotNode): TreeNodeView => {
      processedNow.set(node.path, node.processed);
      const before = baseline.get(node.path);
      const rate = before === undefined || windowMs <= 0 || node.processed < before ? null : Math.round(((node.processed - before) * 10_000) / windowMs) / 10;
      return { name: lastSegment(node.path), kind: node.kind, mailbox: node.mailboxSize, processed: node.processed, rate, childCount: node.children.length, children: [] };
    };

    // Totals over the whole snapshot, without allocating per actor.
    let total = 0;
    let mailboxTotal = 0;
    let mailboxMax = 0;
    const stack: TreeSnapshotNode[] = [snapshot];
    while (stack.length > 0) {
      const node = stack.pop()!;
      total++;
      mailboxTotal += node.mailboxSize;
      if (node.mailboxSize > mailboxMax) mailboxMax = node.mailboxSize;
      for (const child of node.children) stack.push(child);
    }

    // Breadth first up to the cap, so the top of the tree is always complete.
    const root = view(snapshot);
    const queue: TreeSnapshotNode[] = [snapshot];
    const views: TreeNodeView[] = [root];
    let shown = 1;
    for (let head = 0; head < queue.length && shown < this.maxNodes; head++) {
      const parent = views[head]!;
      for (const child of queue[head]!.children) {
        if (shown >= this.maxNodes) break;
        const childView = view(child);
        parent.children.push(childView);
        queue.push(child);
        views.push(childView);
        shown++;
      }
    }

    if (this.#baselineAt === undefined || windowMs >= MIN_RATE_WINDOW_MS) {
      this.#baseline = processedNow;
      this.#baselineAt = at;
    }
    return { at, rootPath: snapshot.path, root, totalActors: total, shownActors: shown, maxNodes: this.maxNodes, truncated: shown < total, mailboxTotal, mailboxMax };
  }
}
