// What the bot says about itself and a server's settings, as embeds: /stats,
// /help and /config. Built from the same view models the terminal prints.
import type { ArchiveService } from '../app/archive.js';
import { kindName } from '../app/deliveries.js';
import type { AnnouncementKind, GuildSettings } from '../store/settings.js';
import type { HelpEntry } from './command.js';
import { textEmbed, type BotMessage } from './messages.js';
import { lastSyncText } from './wording.js';

const n = (x: number) => x.toLocaleString('en-GB');

/** /stats: counts, the years covered, the index's size and the last sync. */
export function statsMessage(s: ReturnType<ArchiveService['stats']>): BotMessage {
  const years = s.firstDate && s.lastDate ? `${s.firstDate.slice(0, 4)}–${s.lastDate.slice(0, 4)}` : 'none dated';
  return textEmbed('The On Probation archive', `${n(s.posts)} posts and ${n(s.comments)} comments.`, [
    { name: 'Years', value: years, inline: true },
    { name: 'Passages', value: n(s.passages), inline: true },
    {
      name: 'Index',
      value: s.indexBytes === null ? 'not built yet' : `${(s.indexBytes / 1024 / 1024).toFixed(1)} MB`,
      inline: true,
    },
    { name: 'Last sync with the blog', value: lastSyncText(s.lastSync) },
  ]);
}

/** /help: every command registered with Discord, one line each. */
export function helpMessage(entries: readonly HelpEntry[]): BotMessage {
  const lines = entries.filter((e) => e.onDiscord).map((e) => `**${e.label}** – ${e.description}`);
  return textEmbed(
    'On Probation archive bot',
    `${lines.join('\n')}\n\nArchive text is quoted as written by the blog's authors and commenters.`,
  );
}

/** /config: a server's scheduled posts as an admin reads them, under what just happened. */
export function settingsMessage(answer: { title: string; settings: GuildSettings }): BotMessage {
  return textEmbed(answer.title, 'Only admins see this.', settingsFields(answer.settings));
}

export function settingsFields(s: GuildSettings): { name: string; value: string }[] {
  const where = (channel: string | null, on: boolean, disabled: string | undefined) => {
    if (disabled) return `stopped: ${disabled}`;
    if (!channel) return 'no channel chosen';
    return on ? `<#${channel}>` : `off (channel <#${channel}>)`;
  };
  return [
    {
      name: 'Daily digest',
      value: `${where(s.digest.channel, s.digest.on, s.disabled.digest)} at ${s.digest.time} ${s.digest.zone}`,
    },
    ...(['posts', 'petition', 'napo'] as AnnouncementKind[]).map((k) => ({
      name: `Announcements: ${kindName(k)}`,
      value: where(s.announce[k].channel, s.announce[k].on, s.disabled[k]),
    })),
  ];
}
