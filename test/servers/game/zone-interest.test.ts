import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZoneInterest, interestState, type InterestMember, type InterestState } from '../../../src/servers/game/zone-interest.js';

class Member implements InterestMember<Member> {
  readonly interest: InterestState<Member>;
  constructor(readonly name: string, x: number, y: number) {
    this.interest = interestState(x, y);
  }
}

function setup(): { interest: ZoneInterest<Member>; clock: { now: number }; events: string[]; update(): void } {
  const clock = { now: 0 };
  const interest = new ZoneInterest<Member>(100, 250, () => clock.now);
  const events: string[] = [];
  return {
    interest,
    clock,
    events,
    update: () => interest.update((viewer, subject) => events.push(`show ${subject.name} to ${viewer.name}`), (viewer, subject) => events.push(`hide ${subject.name} from ${viewer.name}`)),
  };
}

test('a pair comes into view at the range and leaves only past the margin, across grid cells', () => {
  const { interest, clock, events, update } = setup();
  const a = new Member('a', 0, 0);
  const b = new Member('b', 150, 0);
  assert.deepEqual(interest.add(a), []);
  assert.deepEqual(interest.add(b), []);
  clock.now = 1000;
  interest.moved(b, 99, 0);
  update();
  assert.deepEqual(events.sort(), ['show a to b', 'show b to a']);
  assert.ok(interest.sees(a, b) && interest.sees(b, a));
  events.length = 0;
  clock.now = 2000;
  // Past the range but within the margin (1.2x): still seen.
  interest.moved(b, 115, 0);
  update();
  assert.deepEqual(events, []);
  interest.moved(b, -130, 0);
  update();
  assert.deepEqual(events.sort(), ['hide a from b', 'hide b from a']);
  // Leaving: only those who saw the member are returned.
  const c = new Member('c', 10, 10);
  assert.deepEqual(interest.add(c).map((m) => m.name), ['a']);
  assert.deepEqual(interest.remove(c).map((m) => m.name), ['a']);
});

test('a pair is not hidden or shown again within the gap; it is looked at again until the gap has passed', () => {
  const { interest, clock, events, update } = setup();
  const a = new Member('a', 0, 0);
  const b = new Member('b', 10, 0);
  interest.add(a);
  interest.add(b);
  clock.now = 100;
  interest.moved(b, 500, 0);
  update();
  assert.deepEqual(events, [], 'shown at 0: no hide before 250');
  clock.now = 260;
  update();
  assert.deepEqual(events.sort(), ['hide a from b', 'hide b from a']);
  events.length = 0;
  clock.now = 300;
  interest.moved(b, 20, 0);
  update();
  assert.deepEqual(events, [], 'hidden at 260: no show before 510');
  clock.now = 520;
  update();
  assert.deepEqual(events.sort(), ['show a to b', 'show b to a']);
});

test('small steps do not cost a look at the pairs; their sum does', () => {
  const { interest, clock, events, update } = setup();
  const a = new Member('a', 0, 0);
  const b = new Member('b', 104, 0);
  interest.add(a);
  interest.add(b);
  clock.now = 1000;
  // A sixteenth of the range is 6.25: steps of 3 are looked at after the third.
  interest.moved(b, 101, 0);
  update();
  interest.moved(b, 100, 0);
  update();
  assert.deepEqual(events, []);
  interest.moved(b, 97, 0);
  update();
  assert.deepEqual(events.sort(), ['show a to b', 'show b to a']);
});
