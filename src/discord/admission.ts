// Admission control: how the bot stays useful when more members ask than it
// can answer. Slow work (a search, a quote's suggestions) waits in a bounded
// queue, a fair share per member: members are served in turn, one item each,
// so one member's burst cannot push everyone else back. Work that cannot start
// in time is not done: the member gets a short private "busy" answer at once
// (the router says it), instead of every member getting a late answer or none.
// Autocomplete has its own lane and budget; a member's newer keystroke replaces
// their older one still waiting (only the latest is computed), and one that
// cannot start within its budget is dropped: Discord shows the member nothing
// for it, and their next keystroke asks again.
//
// Acknowledging is not queued: the router defers a slash command before its
// work is submitted here, so every interaction is acknowledged whatever the
// backlog. Between two items the event loop is given back, so acknowledgements
// and the gateway's heartbeats go out between searches.
import { UserProblem } from '../app/userProblem.js';

export interface AdmissionLimits {
  /**
   * Items running at once. The work is mostly synchronous (a search, SQLite reads), so on one event loop this is
   * how many may start back to back in one turn, before acknowledgements and the gateway get theirs.
   */
  concurrency: number;
  /** Items are started in one turn of the event loop until this much time has gone, then the loop has its turn. */
  sliceMs: number;
  /** Commands waiting at most, all members together; past it a newcomer is told the bot is busy. */
  maxWaiting: number;
  /** Commands waiting at most per member. */
  perMember: number;
  /** A command not started this long after it arrived is answered "busy" rather than late. */
  startWithinMs: number;
  /** An autocomplete not started this long after it arrived is dropped (Discord allows 3 s in all). */
  autocompleteWithinMs: number;
}

export const DEFAULT_LIMITS: AdmissionLimits = {
  concurrency: 4,
  sliceMs: 25,
  maxWaiting: 100,
  perMember: 2,
  startWithinMs: 2_000,
  autocompleteWithinMs: 1_200,
};

/** What a member hears when their work was not started: a UserProblem, so the router answers it privately. */
export class Overloaded extends UserProblem {
  override name = 'Overloaded';
  constructor(readonly reason: 'full' | 'member' | 'late') {
    super('Lots of members are asking at once just now: please try again in a few seconds.');
  }
}

/** Autocomplete that was not computed: nothing is sent for it (the member's newer keystroke is answered). */
export class Dropped extends Error {
  override name = 'Dropped';
  constructor(readonly reason: 'superseded' | 'late' | 'full') {
    super(`autocomplete dropped (${reason})`);
  }
}

export interface AdmissionCounts {
  /** Started and run. */
  ran: number;
  /** Commands answered "busy": the queue full, the member's share full, or not started in time. */
  busy: { full: number; member: number; late: number };
  /** Autocompletes not computed. */
  dropped: { superseded: number; late: number; full: number };
  /** Waiting now, and the most that ever waited. */
  waiting: number;
  maxWaiting: number;
}

interface Item {
  member: string;
  arrivedAt: number;
  run: () => Promise<void>;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** A waiting item whose work's result reaches whoever submitted it. */
function itemOf<T>(
  member: string,
  arrivedAt: number,
  work: () => Promise<T>,
  resolve: (value: T) => void,
  reject: (error: Error) => void,
): Item {
  let result: T;
  return {
    member,
    arrivedAt,
    run: async () => {
      result = await work();
    },
    resolve: () => resolve(result),
    reject,
  };
}

export interface Admission {
  /** A command's work: resolves with its result when it has run; rejects with Overloaded when it was not started. */
  command<T>(member: string, arrivedAt: number, work: () => Promise<T>): Promise<T>;
  /**
   * An autocomplete's work, one per `key` (a member and a command): a newer one replaces one still waiting.
   * Rejects with Dropped when it was not computed.
   */
  autocomplete<T>(key: string, arrivedAt: number, work: () => Promise<T>): Promise<T>;
  counts(): AdmissionCounts;
}

export function admission(
  now: () => number,
  limits: Partial<AdmissionLimits> = {},
  /** How the next item is started: after the event loop has had its turn (tests may start at once). */
  yieldThen: (next: () => void) => void = setImmediate,
): Admission {
  const { concurrency, sliceMs, maxWaiting, perMember, startWithinMs, autocompleteWithinMs } = {
    ...DEFAULT_LIMITS,
    ...limits,
  };
  // Commands waiting, by member.
  const byMember = new Map<string, Item[]>();
  let waitingCommands = 0;
  const typing = new Map<string, Item>();
  const counts: AdmissionCounts = {
    ran: 0,
    busy: { full: 0, member: 0, late: 0 },
    dropped: { superseded: 0, late: 0, full: 0 },
    waiting: 0,
    maxWaiting: 0,
  };
  let running = 0;
  let scheduled = false;

  const waiting = () => waitingCommands + typing.size;
  const noteWaiting = () => {
    counts.waiting = waiting();
    counts.maxWaiting = Math.max(counts.maxWaiting, counts.waiting);
  };

  /** The oldest waiting keystroke, if any (a Map keeps insertion order; a newer keystroke was re-inserted). */
  const nextTyped = (): Item | null => {
    for (const [key, item] of typing) {
      typing.delete(key);
      return item;
    }
    return null;
  };
  // When each member was last served: the member served longest ago (or never) goes first (round robin).
  const lastServed = new Map<string, number>();
  let served = 0;
  /** The first command of the member served longest ago: one member's burst does not push the others back. */
  const nextCommand = (): Item | null => {
    let pick: string | null = null;
    for (const member of byMember.keys())
      if (pick === null || (lastServed.get(member) ?? -1) < (lastServed.get(pick) ?? -1)) pick = member;
    if (pick === null) return null;
    const items = byMember.get(pick)!;
    const item = items.shift()!;
    waitingCommands -= 1;
    if (items.length === 0) byMember.delete(pick);
    lastServed.set(pick, ++served);
    // Remember only the recently served: members long gone count as never served, which changes nothing.
    if (lastServed.size > 10_000) for (const [m, at] of lastServed) if (at < served - 1_000) lastServed.delete(m);
    return item;
  };
  // With both lanes waiting, they take turns: keystrokes have the shorter budget, commands must not starve.
  let typedTurn = true;
  /** The next item that may still start, refusing on the way the ones that waited too long. */
  const next = (): Item | null => {
    for (;;) {
      const typed = typing.size > 0 && (byMember.size === 0 || typedTurn);
      if (typing.size > 0 && byMember.size > 0) typedTurn = !typedTurn;
      const item = typed ? nextTyped() : nextCommand();
      if (!item) return null;
      const waited = now() - item.arrivedAt;
      if (typed && waited > autocompleteWithinMs) {
        counts.dropped.late += 1;
        item.reject(new Dropped('late'));
      } else if (!typed && waited > startWithinMs) {
        counts.busy.late += 1;
        item.reject(new Overloaded('late'));
      } else return item;
    }
  };

  const pump = () => {
    scheduled = false;
    const turnStarted = now();
    while (running < concurrency && now() - turnStarted < sliceMs) {
      const item = next();
      noteWaiting();
      if (!item) return;
      running += 1;
      counts.ran += 1;
      item
        .run()
        .then(item.resolve, item.reject)
        .finally(() => {
          running -= 1;
          schedule();
        });
    }
    // The slice ran out with work waiting: go on after the loop's turn.
    schedule();
  };
  const schedule = () => {
    if (scheduled || running >= concurrency || waiting() === 0) return;
    scheduled = true;
    yieldThen(pump);
  };

  return {
    command<T>(member: string, arrivedAt: number, work: () => Promise<T>) {
      return new Promise<T>((resolve, reject) => {
        const mine = byMember.get(member) ?? [];
        if (mine.length >= perMember) {
          counts.busy.member += 1;
          return reject(new Overloaded('member'));
        }
        if (waitingCommands >= maxWaiting) {
          counts.busy.full += 1;
          return reject(new Overloaded('full'));
        }
        mine.push(itemOf(member, arrivedAt, work, resolve, reject));
        byMember.set(member, mine);
        waitingCommands += 1;
        noteWaiting();
        schedule();
      });
    },
    autocomplete<T>(key: string, arrivedAt: number, work: () => Promise<T>) {
      return new Promise<T>((resolve, reject) => {
        const older = typing.get(key);
        if (older) {
          typing.delete(key);
          counts.dropped.superseded += 1;
          older.reject(new Dropped('superseded'));
        } else if (typing.size >= maxWaiting) {
          counts.dropped.full += 1;
          return reject(new Dropped('full'));
        }
        typing.set(key, itemOf(key, arrivedAt, work, resolve, reject));
        noteWaiting();
        schedule();
      });
    },
    counts: () => structuredClone({ ...counts, waiting: waiting() }),
  };
}
