// Admission control on its own: a clock the test moves, work the test finishes, and the next item started at
// once (no event loop turn), so every order and refusal can be pinned exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { admission, Dropped, Overloaded, type AdmissionLimits } from '../../src/discord/admission.js';

/** Work that runs until the test says it is done; what started, in order. */
function rig(limits: Partial<AdmissionLimits> = {}) {
  let clock = 0;
  const started: string[] = [];
  const finishers = new Map<string, () => void>();
  const outcomes = new Map<string, string>();
  const admit = admission(
    () => clock,
    limits,
    (next) => next(),
  );
  const work = (name: string) => () =>
    new Promise<void>((resolve) => {
      started.push(name);
      finishers.set(name, resolve);
    });
  const settle = (name: string, p: Promise<void>) =>
    p.then(
      () => outcomes.set(name, 'ran'),
      (e: unknown) => outcomes.set(name, e instanceof Overloaded || e instanceof Dropped ? e.reason : String(e)),
    );
  return {
    admit,
    started,
    outcomes,
    advance: (ms: number) => {
      clock += ms;
    },
    command(member: string, name: string) {
      return settle(name, admit.command(member, clock, work(name)));
    },
    typed(key: string, name: string) {
      return settle(name, admit.autocomplete(key, clock, work(name)));
    },
    async finish(name: string) {
      finishers.get(name)?.();
      // Let the promise chain settle and the next item start.
      for (let i = 0; i < 5; i++) await Promise.resolve();
    },
  };
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('admission control', () => {
  it('serves members in turn: one member’s burst does not push another member back', async () => {
    const r = rig({ concurrency: 1, perMember: 3 });
    void r.command('ann', 'ann-1');
    void r.command('ann', 'ann-2');
    void r.command('ann', 'ann-3');
    void r.command('bob', 'bob-1');
    void r.command('cy', 'cy-1');
    for (const name of ['ann-1', 'bob-1', 'cy-1', 'ann-2', 'ann-3']) await r.finish(name);
    expect(r.started).toEqual(['ann-1', 'bob-1', 'cy-1', 'ann-2', 'ann-3']);
  });

  it('starts no more at once than its concurrency, nor past its slice of the event loop', async () => {
    const r = rig({ concurrency: 2 });
    for (const m of ['a', 'b', 'c', 'd']) void r.command(m, m);
    await flush();
    expect(r.started).toEqual(['a', 'b']);
    await r.finish('b');
    expect(r.started).toEqual(['a', 'b', 'c']);
    // Work that takes its time: after 30 ms of it, the loop has its turn before the next item starts.
    const slow = admission(
      () => clock,
      { concurrency: 4, sliceMs: 25 },
      (next) => turns.push(next),
    );
    let clock = 0;
    const turns: (() => void)[] = [];
    const ran: number[] = [];
    for (let i = 0; i < 3; i++)
      void slow.command(`m${i}`, 0, async () => {
        ran.push(i);
        clock += 30;
      });
    turns.shift()!();
    expect(ran).toEqual([0]);
    expect(turns).toHaveLength(1);
    turns.shift()!();
    expect(ran).toEqual([0, 1]);
  });

  it('tells a member busy at once when their own share is full, without touching anyone else’s', async () => {
    const r = rig({ concurrency: 1, perMember: 2 });
    void r.command('ann', 'running');
    await flush();
    void r.command('ann', 'waits-1');
    void r.command('ann', 'waits-2');
    await r.command('ann', 'one-too-many');
    expect(r.outcomes.get('one-too-many')).toBe('member');
    void r.command('bob', 'bob-1');
    for (const name of ['running', 'bob-1', 'waits-1', 'waits-2']) await r.finish(name);
    // Ann was served last: Bob, who came later, goes before her next one.
    expect(r.started).toEqual(['running', 'bob-1', 'waits-1', 'waits-2']);
    expect(r.admit.counts().busy).toEqual({ full: 0, member: 1, late: 0 });
  });

  it('tells a newcomer busy when the queue is full', async () => {
    const r = rig({ concurrency: 1, maxWaiting: 3 });
    void r.command('m0', 'running');
    for (let i = 1; i <= 3; i++) void r.command(`m${i}`, `w${i}`);
    await r.command('m4', 'refused');
    expect(r.outcomes.get('refused')).toBe('full');
    expect(r.admit.counts()).toMatchObject({ waiting: 3, maxWaiting: 3, busy: { full: 1 } });
  });

  it('drops a new member’s keystroke when the keystroke lane is full, yet takes a newer keystroke and a command', async () => {
    const r = rig({ concurrency: 1, maxWaiting: 3 });
    void r.command('x', 'running');
    for (let i = 1; i <= 3; i++) void r.typed(`k${i}:quote`, `k${i}`);
    await r.typed('k4:quote', 'no-room');
    expect(r.outcomes.get('no-room')).toBe('full');
    void r.typed('k1:quote', 'k1-newer');
    void r.command('y', 'queued-command');
    await flush();
    expect(r.outcomes.get('k1')).toBe('superseded');
    expect(r.admit.counts()).toMatchObject({
      waiting: 4,
      dropped: { superseded: 1, late: 0, full: 1 },
      busy: { full: 0, member: 0, late: 0 },
    });
  });

  it('answers busy, rather than late, what could not start in time', async () => {
    const r = rig({ concurrency: 1, startWithinMs: 2000 });
    void r.command('a', 'slow');
    const early = r.command('b', 'waited-too-long');
    r.advance(1500);
    void r.command('c', 'in-time');
    r.advance(600);
    await r.finish('slow');
    await early;
    expect(r.outcomes.get('waited-too-long')).toBe('late');
    expect(r.started).toEqual(['slow', 'in-time']);
    expect(r.admit.counts().busy.late).toBe(1);
  });

  it('computes only a member’s latest keystroke, and drops one that waited past its budget', async () => {
    const r = rig({ concurrency: 1, autocompleteWithinMs: 1000 });
    void r.command('x', 'busy-search');
    const stale = ['t', 'tr', 'tre'].map((typed) => r.typed('ann:quote', typed));
    void r.typed('bob:quote', 'bob-late');
    r.advance(1200);
    void r.typed('ann:quote', 'trea');
    await r.finish('busy-search');
    await Promise.all(stale);
    await r.finish('trea');
    expect(r.started).toEqual(['busy-search', 'trea']);
    expect(Object.fromEntries(r.outcomes)).toMatchObject({
      t: 'superseded',
      tr: 'superseded',
      tre: 'superseded',
      'bob-late': 'late',
    });
    expect(r.admit.counts().dropped).toEqual({ superseded: 3, late: 1, full: 0 });
  });

  it('still starts what waited exactly its budget, and refuses what waited a millisecond more', async () => {
    const r = rig({ concurrency: 1, startWithinMs: 2000, autocompleteWithinMs: 1000 });
    void r.command('a', 'slow');
    void r.command('b', 'on-the-dot');
    void r.typed('c:quote', 'typed-on-the-dot');
    r.advance(1000);
    await r.finish('slow');
    await r.finish('typed-on-the-dot');
    r.advance(1000);
    await r.finish('on-the-dot');
    expect(r.started).toEqual(['slow', 'typed-on-the-dot', 'on-the-dot']);

    void r.command('a', 'slow-again');
    const late = r.command('b', 'a-millisecond-late');
    const typedLate = r.typed('c:quote', 'typed-a-millisecond-late');
    r.advance(2001);
    await r.finish('slow-again');
    await Promise.all([late, typedLate]);
    expect(r.outcomes.get('a-millisecond-late')).toBe('late');
    expect(r.outcomes.get('typed-a-millisecond-late')).toBe('late');
  });

  it('names its refusals, so the log and the metrics tell busy from dropped', () => {
    expect(new Overloaded('full')).toMatchObject({ name: 'Overloaded', reason: 'full' });
    expect(new Dropped('late')).toMatchObject({
      name: 'Dropped',
      reason: 'late',
      message: 'autocomplete dropped (late)',
    });
  });

  it('after keystrokes alone, a command and a keystroke arriving together: the keystroke first', async () => {
    const r = rig({ concurrency: 1 });
    void r.command('z', 'first');
    for (const key of ['a', 'b', 'c']) void r.typed(`${key}:quote`, `typed-${key}`);
    for (const name of ['first', 'typed-a', 'typed-b', 'typed-c']) await r.finish(name);
    void r.command('y', 'blocker');
    void r.command('m', 'cmd');
    void r.typed('d:quote', 'typed-d');
    for (const name of ['blocker', 'typed-d', 'cmd']) await r.finish(name);
    expect(r.started).toEqual(['first', 'typed-a', 'typed-b', 'typed-c', 'blocker', 'typed-d', 'cmd']);
  });

  it('lets keystrokes and commands take turns, so neither starves the other', async () => {
    const r = rig({ concurrency: 1 });
    void r.command('z', 'first');
    for (const m of ['a', 'b']) void r.command(m, `cmd-${m}`);
    for (const m of ['a', 'b']) void r.typed(`${m}:quote`, `typed-${m}`);
    for (const name of ['first', 'typed-a', 'cmd-a', 'typed-b', 'cmd-b']) await r.finish(name);
    expect(r.started).toEqual(['first', 'typed-a', 'cmd-a', 'typed-b', 'cmd-b']);
  });

  it('under any flood, waits no more than its bound, runs no more than its concurrency, and settles every item', async () => {
    type Step = { kind: 'command' | 'typed' | 'finish' | 'tick'; member: number; ms: number };
    const step = fc.record({
      kind: fc.constantFrom('command', 'typed', 'finish', 'tick'),
      member: fc.integer({ min: 0, max: 7 }),
      ms: fc.integer({ min: 0, max: 900 }),
    }) as fc.Arbitrary<Step>;
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 80 }),
        fc.integer({ min: 1, max: 3 }),
        async (steps, concurrency) => {
          const limits = { concurrency, maxWaiting: 5, perMember: 2 };
          const r = rig(limits);
          const all: Promise<unknown>[] = [];
          let n = 0;
          const runningNow = () => r.started.filter((s) => !r.outcomes.has(s)).length;
          for (const s of steps) {
            if (s.kind === 'command') all.push(r.command(`m${s.member}`, `c${n++}`));
            else if (s.kind === 'typed') all.push(r.typed(`m${s.member}:quote`, `t${n++}`));
            else if (s.kind === 'tick') r.advance(s.ms);
            else {
              const running = r.started.find((name) => !r.outcomes.has(name));
              if (running) await r.finish(running);
            }
            await flush();
            const c = r.admit.counts();
            expect(runningNow()).toBeLessThanOrEqual(concurrency);
            // Commands and keystrokes each bounded by maxWaiting (keystrokes also by one per member and command).
            expect(c.waiting).toBeLessThanOrEqual(2 * limits.maxWaiting);
          }
          // Quiescence: everything still running finishes, and every item ends one way or another.
          for (let guard = 0; guard < 200 && r.outcomes.size < n; guard++) {
            const running = r.started.find((name) => !r.outcomes.has(name));
            if (running) await r.finish(running);
            else await flush();
          }
          await Promise.all(all);
          expect(r.outcomes.size).toBe(n);
          const c = r.admit.counts();
          const refused = Object.values(c.busy).reduce((a, b) => a + b, 0);
          const dropped = Object.values(c.dropped).reduce((a, b) => a + b, 0);
          expect(c.ran + refused + dropped).toBe(n);
          expect(c.waiting).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });
});
