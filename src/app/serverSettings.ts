// /config as a use case: a server's scheduled-post settings shown and changed,
// with a bad time or zone refused as a UserProblem before anything is stored.
import type { Clock } from '../clock.js';
import { normaliseTime, settingProblem } from '../digest/schedule.js';
import type { Weekday } from '../digest/weekly.js';
import type { FailedDelivery } from '../store/deliveries.js';
import type { AnnouncementKind, GuildSettings } from '../store/settings.js';
import type { Repositories } from '../store/store.js';
import { UserProblem } from './userProblem.js';

export interface ServerSettings {
  show(guildId: string): GuildSettings;
  /** Scheduled posts given up on lately (what, when, why), newest first, as a delivery log shows them. */
  recentFailures(guildId: string): FailedDelivery[];
  /** Change the digest; `time` as typed (HH:MM), `zone` an IANA name; `weekly` the round-up's day (null: none). */
  setDigest(
    guildId: string,
    change: { channel?: string; time?: string | null; zone?: string | null; on?: boolean; weekly?: Weekday | null },
  ): GuildSettings;
  /** `threads`: each new post's announcement starts a thread with its comments (new blog posts only). */
  setAnnouncements(
    guildId: string,
    kind: AnnouncementKind,
    change: { channel?: string; on?: boolean; threads?: boolean },
  ): GuildSettings;
}

/** Failures listed by /config show, at most. */
const FAILURES_SHOWN = 5;

export function serverSettings(
  store: Pick<Repositories, 'settings' | 'deliveries'>,
  clock: Pick<Clock, 'now'>,
): ServerSettings {
  const now = () => clock.now().toISOString();
  return {
    show: (guildId) => store.settings.get(guildId),
    recentFailures: (guildId) => store.deliveries.recentFailures(guildId, FAILURES_SHOWN),
    setDigest(guildId, change) {
      const current = store.settings.get(guildId).digest;
      const typed = change.time ?? null;
      const time = typed === null ? current.time : normaliseTime(typed);
      const zone = change.zone?.trim() || current.zone;
      if (time === null) throw new UserProblem(`"${typed}" is not a time: use HH:MM, for example 08:00.`);
      const problem = settingProblem({ time, zone });
      if (problem) throw new UserProblem(problem);
      return store.settings.update(
        guildId,
        { kind: 'digest', channel: change.channel, time, zone, on: change.on, weekly: change.weekly },
        now(),
      );
    },
    setAnnouncements(guildId, kind, change) {
      if (change.threads !== undefined && kind !== 'posts')
        throw new UserProblem('Threads are for new blog posts only: choose "new blog posts" to switch them on or off.');
      return store.settings.update(
        guildId,
        { kind, channel: change.channel, on: change.on, threads: change.threads },
        now(),
      );
    },
  };
}
