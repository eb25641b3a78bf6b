// Interest management of a zone: who sees whom. Two players see each other while they are within
// the interest range (the zone's render distance, docs/game-server.md, "Interest"); a pair comes
// into view at the range and leaves it only past the range plus a margin, so a player walking
// along the edge does not flicker. Between a show and a hide of one pair (either way) at least
// `gapMs` pass: a pair that should change sooner is checked again on a later update. Visibility
// is symmetric: one range for everyone. Positions are signed wire units on the plane (x, y).
import { SpatialGrid } from './spatial-grid.js';

/** A pair leaves view past the range times this. */
const HIDE_MARGIN = 1.2;
/**
 * A member's pairs are looked at again once it has moved this fraction of the range since the last
 * look: standing still or shuffling about costs nothing, and a pair changes at most this late.
 */
const RECHECK_FRACTION = 1 / 16;

export interface InterestState<T> {
  x: number;
  y: number;
  /** Where its pairs were last looked at. */
  checkedX: number;
  checkedY: number;
  cell: number;
  /** Members this one sees, with the time each pair was shown. */
  readonly visible: Map<T, number>;
  /** Members hidden from this one less than a gap ago, with the time. */
  readonly hiddenAt: Map<T, number>;
  queued: boolean;
}

export interface InterestMember<T> {
  readonly interest: InterestState<T>;
}

export function interestState<T>(x: number, y: number): InterestState<T> {
  return { x, y, checkedX: x, checkedY: y, cell: 0, visible: new Map(), hiddenAt: new Map(), queued: false };
}

export class ZoneInterest<T extends InterestMember<T>> {
  readonly #showSquared: number;
  readonly #hideSquared: number;
  readonly #recheckSquared: number;
  readonly #gapMs: number;
  readonly #now: () => number;
  readonly #grid: SpatialGrid<T>;
  #queue: T[] = [];

  constructor(range: number, gapMs: number, now: () => number) {
    if (!(range >= 1)) throw new RangeError(`interest range must be at least 1, got ${range}`);
    this.#showSquared = range * range;
    this.#hideSquared = range * HIDE_MARGIN * range * HIDE_MARGIN;
    this.#recheckSquared = range * RECHECK_FRACTION * range * RECHECK_FRACTION;
    this.#gapMs = gapMs;
    this.#now = now;
    this.#grid = new SpatialGrid(range);
  }

  /** Places a newcomer and returns who it sees (each of them now sees it too). */
  add(member: T): T[] {
    const state = member.interest;
    const now = this.#now();
    const seen: T[] = [];
    this.#grid.forEachNear(state.x, state.y, (other) => {
      if (this.#distanceSquared(state, other.interest) > this.#showSquared) return;
      state.visible.set(other, now);
      other.interest.visible.set(member, now);
      seen.push(other);
    });
    state.cell = this.#grid.insert(member, state.x, state.y);
    return seen;
  }

  /** Takes a member out; returns who saw it. */
  remove(member: T): T[] {
    const state = member.interest;
    this.#grid.remove(member, state.cell);
    const viewers = [...state.visible.keys()];
    for (const other of viewers) other.interest.visible.delete(member);
    for (const other of state.hiddenAt.keys()) other.interest.hiddenAt.delete(member);
    state.visible.clear();
    state.hiddenAt.clear();
    if (state.queued) {
      state.queued = false;
      const at = this.#queue.indexOf(member);
      if (at >= 0) this.#queue.splice(at, 1);
    }
    return viewers;
  }

  /** Records a new position (signed wire units); the pairs change on an update after it. */
  moved(member: T, x: number, y: number): void {
    const state = member.interest;
    state.x = x;
    state.y = y;
    state.cell = this.#grid.move(member, state.cell, x, y);
    const dx = x - state.checkedX;
    const dy = y - state.checkedY;
    if (dx * dx + dy * dy >= this.#recheckSquared) this.#enqueue(member);
  }

  sees(viewer: T, subject: T): boolean {
    return viewer.interest.visible.has(subject);
  }

  /** Re-evaluates the pairs of every member that moved since the last update. Each change is reported once per viewer. */
  update(show: (viewer: T, subject: T) => void, hide: (viewer: T, subject: T) => void): void {
    const queue = this.#queue;
    if (queue.length === 0) return;
    this.#queue = [];
    for (const member of queue) member.interest.queued = false;
    const now = this.#now();
    const gap = this.#gapMs;
    for (const member of queue) {
      const state = member.interest;
      state.checkedX = state.x;
      state.checkedY = state.y;
      let again = false;
      for (const [other, shownAt] of state.visible) {
        if (this.#distanceSquared(state, other.interest) <= this.#hideSquared) continue;
        if (now - shownAt < gap) {
          again = true;
          continue;
        }
        state.visible.delete(other);
        other.interest.visible.delete(member);
        state.hiddenAt.set(other, now);
        other.interest.hiddenAt.set(member, now);
        hide(member, other);
        hide(other, member);
      }
      for (const [other, hiddenAt] of state.hiddenAt) {
        if (now - hiddenAt >= gap) {
          state.hiddenAt.delete(other);
          other.interest.hiddenAt.delete(member);
        }
      }
      this.#grid.forEachNear(state.x, state.y, (other) => {
        if (other === member || state.visible.has(other) || this.#distanceSquared(state, other.interest) > this.#showSquared) return;
        if (state.hiddenAt.has(other)) {
          again = true;
          return;
        }
        state.visible.set(other, now);
        other.interest.visible.set(member, now);
        show(member, other);
        show(other, member);
      });
      if (again) this.#enqueue(member);
    }
  }

  #enqueue(member: T): void {
    if (member.interest.queued) return;
    member.interest.queued = true;
    this.#queue.push(member);
  }

  #distanceSquared(a: InterestState<T>, b: InterestState<T>): number {
    const dx = a.x - b.x;
    const dy = a.y - b.y;
    return dx * dx + dy * dy;
  }
}
