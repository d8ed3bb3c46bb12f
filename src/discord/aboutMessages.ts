// What the bot says about itself and a server's settings, as embeds: /stats,
// /help and /config. Built from the same view models the terminal prints.
import { kindName } from '../app/deliveries.js';
import { weekdayName } from '../digest/weekly.js';
import { SEARCH_SYNTAX_HELP } from '../search/syntax.js';
import type { FailedDelivery } from '../store/deliveries.js';
import type { AnnouncementKind, GuildSettings } from '../store/settings.js';
import { ComponentType } from 'discord-api-types/payloads/v10';
import type { APIStringSelectComponent } from 'discord.js';
import { oneLine } from '../archive/text.js';
import type { ShownItem } from '../store/posted.js';
import { cutAtWord, inert, inertWithin, LIMITS, withinBudget } from './format.js';
import type { HelpEntry } from './command.js';
import { textEmbed, type BotMessage } from './messages.js';
import { formatDay, formatDayTime, type StatsView, statsLines } from './wording.js';

/** /stats: what members want to know, posted in the channel: counts, years, how fresh. Sizes are the operator's (cli stats, /config show). */
export function statsMessage(s: StatsView): BotMessage {
  const [line, sync] = statsLines(s);
  return textEmbed('The On Probation archive', line, [{ name: 'Last sync with the blog', value: sync }]);
}

/** /help: every command registered with Discord, one line each. */
export function helpMessage(entries: readonly HelpEntry[]): BotMessage {
  const lines = entries.filter((e) => e.onDiscord).map((e) => `**${e.label}** – ${e.description}`);
  return textEmbed(
    'On Probation archive bot',
    `${lines.join('\n')}\n\n${inert(SEARCH_SYNTAX_HELP)}\n\nArchive text is quoted as written by the blog's authors and commenters.`,
  );
}

/** What /config answers: the settings after the change, and with `show` the deliveries given up on lately. */
export interface SettingsAnswer {
  title: string;
  settings: GuildSettings;
  failures?: FailedDelivery[];
  /** With `show`: what the archive takes on disk, for whoever runs the bot. */
  storage?: { databaseBytes: number; indexBytes: number | null };
  /** With `show`: how long the bot's event loop has been held up since it started (answers wait that long). */
  eventLoopDelay?: { p99Ms: number; maxMs: number };
  /** With `show`: what is taken out of the archive (everywhere), newest first. */
  hidden?: { label: string; hiddenAt: string; inThisServer?: boolean }[];
}

/** /config: a server's scheduled posts as an admin reads them, under what just happened. */
export function settingsMessage(answer: SettingsAnswer): BotMessage {
  const failures = answer.failures?.length
    ? [{ name: 'Not posted lately', value: answer.failures.map(failureLine).join('\n') }]
    : [];
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const storage = answer.storage
    ? [
        {
          name: 'Storage',
          value: `database ${mb(answer.storage.databaseBytes)} · search index ${answer.storage.indexBytes === null ? 'not built yet' : mb(answer.storage.indexBytes)}`,
        },
      ]
    : [];
  const delay = answer.eventLoopDelay;
  const health = delay
    ? [
        {
          name: 'Responsiveness',
          value: `answers held up ${delay.p99Ms} ms at worst 1 time in 100, ${delay.maxMs} ms at most, since start`,
        },
      ]
    : [];
  const hidden = answer.hidden?.length
    ? [
        {
          name: 'Taken out of the archive',
          value: withinBudget(
            answer.hidden.map(
              (h) =>
                `• ${inertWithin(h.label, 150)} (${formatDay(h.hiddenAt)}${h.inThisServer ? ', in this server: /config unhide' : ''})`,
            ),
            {
              budget: 1024,
              separator: '\n',
              most: 10,
              more: (n) => `…and ${n} more: /config unhide lists this server's, the operator's cli hidden the rest.`,
            },
          ),
        },
      ]
    : [];
  return textEmbed(answer.title, 'Only you see this.', [
    ...settingsFields(answer.settings),
    ...failures,
    ...hidden,
    ...storage,
    ...health,
  ]);
}

/** "• 23 Nov 2025, 08:00 — the digest for 23 Nov 2025: Discord: Invalid Form Body" (UK time) */
function failureLine(f: FailedDelivery): string {
  const what =
    f.kind === 'digest'
      ? `the digest for ${formatDay(f.key)}`
      : f.kind === 'weekly'
        ? `the weekly round-up of ${formatDay(f.key)}`
        : f.kind === 'summary'
          ? 'a summary of announcements'
          : f.kind === 'thread'
            ? "a new post's thread"
            : f.kind === 'comments'
              ? "comments for a new post's thread"
              : `an announcement (${f.kind})`;
  const when = formatDayTime(f.at);
  return `• ${when} — ${what}: ${inertWithin(f.reason, 200)}`;
}

/** Where and when the weekly round-up goes: the digest's channel, time and zone, on the day chosen. */
function weeklyLine(s: GuildSettings): string {
  if (!s.digest.weekly) return 'off (choose a day with /config digest weekly:)';
  const stopped = s.disabled.weekly ?? s.disabled.digest;
  const where = stopped
    ? `stopped: ${inertWithin(stopped, 300)}`
    : s.digest.channel
      ? `<#${s.digest.channel}>`
      : 'no channel chosen';
  return `${where} on ${weekdayName(s.digest.weekly)}s at ${s.digest.time} ${s.digest.zone}`;
}

export function settingsFields(s: GuildSettings): { name: string; value: string }[] {
  const where = (channel: string | null, on: boolean, disabled: string | undefined) => {
    if (disabled) return `stopped: ${inertWithin(disabled, 300)}`;
    if (!channel) return 'no channel chosen';
    return on ? `<#${channel}>` : `off (channel <#${channel}>)`;
  };
  return [
    {
      name: 'Daily digest',
      value: `${where(s.digest.channel, s.digest.on, s.disabled.digest)} at ${s.digest.time} ${s.digest.zone}`,
    },
    { name: 'Weekly round-up', value: weeklyLine(s) },
    ...(['posts', 'petition', 'napo'] as AnnouncementKind[]).map((k) => ({
      name: `Announcements: ${kindName(k)}`,
      value:
        where(s.announce[k].channel, s.announce[k].on, s.disabled[k]) +
        (k === 'posts' && s.postThreads ? ", each a thread with the post's new comments" : ''),
    })),
  ];
}

/** What /config hide, /config unhide and "Hide from this server" answer: what was done, said to the admin. */
export interface TakedownAnswer {
  takedown: 'hidden' | 'already' | 'shown';
  /** What the takedown names, as the archive has it ("comment by … on …"): archive text, made inert. */
  label: string;
}

export function takedownMessage(answer: TakedownAnswer): BotMessage {
  const what = inertWithin(answer.label, 300);
  if (answer.takedown === 'shown') {
    return textEmbed(
      'Shown again in this server',
      `${what} is back in search, quotes and digests here. Messages already edited to say it was removed stay as they are.`,
    );
  }
  return textEmbed(
    answer.takedown === 'already' ? 'Already hidden in this server' : 'Hidden in this server',
    `${what} no longer appears here: not in search, suggestions, quotes, context, digests or announcements. ` +
      "The bot's messages here that showed it are edited to say it was removed from the archive. " +
      'Other servers are not affected. /config unhide shows it again.',
  );
}

/** "Hide from this server" on a message showing several passages: the admin picks which. */
export function hidePickMessage(items: readonly ShownItem[]): BotMessage {
  const menu: APIStringSelectComponent = {
    type: ComponentType.StringSelect,
    custom_id: 'hidepick',
    placeholder: 'Hide in this server…',
    min_values: 1,
    max_values: Math.min(items.length, 25),
    options: items.slice(0, 25).map((item) => ({
      label: cutAtWord(oneLine(item.postTitle), LIMITS.selectLabel),
      description: cutAtWord(
        `${item.commentId ? `comment by ${oneLine(item.author ?? 'Anonymous')}` : 'the post'}${item.date ? ` · ${item.date}` : ''}`,
        LIMITS.selectLabel,
      ),
      value: item.commentId ?? item.postId,
    })),
  };
  return {
    ...textEmbed(
      'Hide which, in this server?',
      'That message shows more than one passage from the archive: pick those to hide here. Other servers are not affected.',
    ),
    components: [{ type: ComponentType.ActionRow, components: [menu] }],
  };
}
