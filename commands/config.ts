// /config: where and when this server gets the daily digest and the
// announcements. Manage Server only: set on the definition and checked again
// by the router, since a server can override the definition's default.
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
} from 'discord-api-types/payloads/v10';
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord-api-types/v10';
import type {
  ApplicationCommandOptionChoiceData,
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  GuildBasedChannel,
} from 'discord.js';
import { UserProblem } from '../src/app/userProblem.js';
import {
  type SettingsAnswer,
  settingsMessage,
  type TakedownAnswer,
  takedownMessage,
} from '../src/discord/aboutMessages.js';
import { cutAtWord, LIMITS } from '../src/discord/format.js';
import { type PetitionOffersAnswer, petitionOffersMessage } from '../src/discord/petitionMessages.js';
import type { ShownItem } from '../src/store/posted.js';
import type { ArchiveCommand, Caller, CommandContext, CommandOptions } from '../src/discord/command.js';
import type { AnnouncementKind } from '../src/store/settings.js';
import { isWeekday, WEEKDAYS, type Weekday, weekdayName } from '../src/digest/weekly.js';

/** Longest item typed: a blog address with a comment anchor fits. */
const ITEM_MAX = 300;

const data: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  type: ApplicationCommandType.ChatInput,
  name: 'config',
  description: 'Digest and announcements for this server (Manage Server)',
  default_member_permissions: String(PermissionFlagsBits.ManageGuild),
  contexts: [InteractionContextType.Guild],
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'show',
      description: 'What this server gets, where and when',
      options: [],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'digest',
      description: 'The daily "on this day" digest, and a weekly round-up',
      options: [
        {
          type: ApplicationCommandOptionType.Channel,
          name: 'channel',
          description: 'Where it is posted',
          required: false,
          channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
        },
        {
          type: ApplicationCommandOptionType.String,
          name: 'time',
          description: 'Local time, HH:MM (default 08:00)',
          required: false,
          max_length: 5,
        },
        {
          type: ApplicationCommandOptionType.String,
          name: 'timezone',
          description: 'IANA time zone (default Europe/London)',
          required: false,
          max_length: 64,
        },
        { type: ApplicationCommandOptionType.Boolean, name: 'enabled', description: 'On or off', required: false },
        {
          type: ApplicationCommandOptionType.String,
          name: 'weekly',
          description: "A weekly round-up on this day, at the digest's time and in its channel",
          required: false,
          choices: [...WEEKDAYS.map((d) => ({ name: weekdayName(d), value: d })), { name: 'off', value: 'off' }],
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'announce',
      description: 'Announcements of new posts, petition milestones or Napo news',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'what',
          description: 'Which announcements',
          required: true,
          choices: [
            { name: 'new blog posts', value: 'posts' },
            { name: 'petition milestones', value: 'petition' },
            { name: 'Napo news', value: 'napo' },
          ],
        },
        {
          type: ApplicationCommandOptionType.Channel,
          name: 'channel',
          description: 'Where they are posted (in a forum, each is a post)',
          required: false,
          channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum],
        },
        { type: ApplicationCommandOptionType.Boolean, name: 'enabled', description: 'On or off', required: false },
        {
          type: ApplicationCommandOptionType.String,
          name: 'threads',
          description: "New blog posts only: each starts a thread with the post's new comments",
          required: false,
          choices: [
            { name: 'on', value: 'on' },
            { name: 'off', value: 'off' },
          ],
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'hide',
      description: 'Take a post or comment out of the archive in this server (suggestions: what was shown here)',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'item',
          description: 'Start typing a title or an author, or paste its id or blog address',
          required: true,
          autocomplete: true,
          max_length: ITEM_MAX,
        },
        {
          type: ApplicationCommandOptionType.String,
          name: 'reason',
          description: 'Why (kept with the record)',
          required: false,
          max_length: 200,
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'unhide',
      description: 'Show again a post or comment hidden in this server',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'item',
          description: 'What this server hid (suggestions)',
          required: true,
          autocomplete: true,
          max_length: ITEM_MAX,
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'petition',
      description: 'Petition links found in new blog posts: list them, or add one for the bot to follow',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'add',
          description: 'A petition found in a post, to follow (suggestions: those found)',
          required: false,
          autocomplete: true,
          max_length: 100,
        },
      ],
    },
  ],
};

type ConfigRequest =
  | { change: 'show' }
  | {
      change: 'digest';
      channel?: string;
      time: string | null;
      zone: string | null;
      on?: boolean;
      weekly?: Weekday | null;
    }
  | { change: 'announce'; what: AnnouncementKind; channel?: string; on?: boolean; threads?: boolean }
  | { change: 'hide'; item: string; reason: string | null }
  | { change: 'unhide'; item: string }
  | { change: 'petition'; add: string | null };

type ConfigAnswer = SettingsAnswer | TakedownAnswer | PetitionOffersAnswer;

const KINDS: readonly AnnouncementKind[] = ['posts', 'petition', 'napo'];

function parseConfig(options: CommandOptions): ConfigRequest {
  const sub = options.subcommand();
  if (sub === 'show') return { change: 'show' };
  if (sub === 'hide') return { change: 'hide', item: options.string('item') ?? '', reason: options.string('reason') };
  if (sub === 'unhide') return { change: 'unhide', item: options.string('item') ?? '' };
  if (sub === 'petition') return { change: 'petition', add: options.string('add')?.trim() || null };
  const channel = options.channel('channel') ?? undefined;
  const on = options.boolean('enabled') ?? undefined;
  if (sub === 'digest') {
    const day = options.string('weekly');
    const weekly = day === null ? undefined : day === 'off' ? null : isWeekday(day) ? day : undefined;
    if (day !== null && weekly === undefined)
      throw new UserProblem('Choose a day of the week for the round-up, or off.');
    return { change: 'digest', channel, time: options.string('time'), zone: options.string('timezone'), on, weekly };
  }
  const what = KINDS.find((k) => k === options.string('what'));
  if (!what) throw new UserProblem('Choose which announcements: new blog posts, petition milestones or Napo news.');
  const threads = options.string('threads');
  return {
    change: 'announce',
    what,
    channel,
    on,
    ...(threads !== null && { threads: threads === 'on' }),
  };
}

/** The petition links found in new posts, offered here (a hidden post's title left out); one added when asked. */
function petitionOffers(
  add: string | null,
  { campaign, archive }: CommandContext,
  guild: string,
  userId: string,
): PetitionOffersAnswer {
  const done = add === null ? null : campaign.addPetition(add, `discord:${userId}`);
  const here = archive.forServer(guild);
  return {
    petitionOffers: campaign.offeredPetitions().map((o) => ({
      petitionId: o.petitionId,
      postTitle: here.hidesPost(o.postId) ? null : o.postTitle,
      foundAt: o.foundAt,
    })),
    added: done?.added ?? null,
    followed: done?.followed ?? campaign.petitions('', 1_000).map((p) => p.id),
  };
}

function runConfig(request: ConfigRequest, context: CommandContext, { guildId, userId }: Caller): ConfigAnswer {
  const { settings, archive, eventLoopDelay, now } = context;
  // guildOnly: the router never runs /config outside a server.
  const guild = guildId!;
  if (request.change === 'petition') return petitionOffers(request.add, context, guild, userId);
  if (request.change === 'hide') {
    const done = archive.forServer(guild).hideHere(request.item, {
      reason: request.reason,
      by: `discord:${userId}`,
      now: now().toISOString(),
    });
    return { takedown: done.already ? 'already' : 'hidden', label: done.label };
  }
  if (request.change === 'unhide') {
    const done = archive
      .forServer(guild)
      .unhideHere(request.item, { by: `discord:${userId}`, now: now().toISOString() });
    return { takedown: 'shown', label: done.label };
  }
  if (request.change === 'show') {
    return {
      title: 'Scheduled posts in this server',
      settings: settings.show(guild),
      failures: settings.recentFailures(guild),
      storage: archive.storage(),
      hidden: archive.hiddenItems(),
      ...(eventLoopDelay && { eventLoopDelay: eventLoopDelay() }),
    };
  }
  if (request.change === 'digest') {
    const { channel, time, zone, on, weekly } = request;
    return { title: 'Digest updated', settings: settings.setDigest(guild, { channel, time, zone, on, weekly }) };
  }
  const { what, channel, on, threads } = request;
  return {
    title: 'Announcements updated',
    settings: settings.setAnnouncements(guild, what, { channel, on, threads }),
  };
}

/**
 * The bot must be able to post in the chosen channel, or the first delivery would fail and switch itself off; and,
 * with threads, start them there and post in them.
 */
function canPostThere(interaction: ChatInputCommandInteraction, request: ConfigRequest, context: CommandContext): void {
  const chosen = interaction.options.getChannel('channel') as GuildBasedChannel | null;
  if (request.change === 'announce' && request.what === 'posts') canThreadThere(interaction, request, chosen, context);
  const channel = chosen;
  if (!channel) return;
  const me = interaction.guild?.members.me;
  const permissions = me ? channel.permissionsFor(me) : null;
  // Read Message History: after a crash the bot looks for what it may already have posted, so it never posts twice.
  const needed = [
    PermissionFlagsBits.ViewChannel,
    PermissionFlagsBits.SendMessages,
    PermissionFlagsBits.EmbedLinks,
    PermissionFlagsBits.ReadMessageHistory,
  ];
  if (permissions && !permissions.has(needed)) {
    throw new UserProblem(
      `The bot cannot post in <#${channel.id}>: give it View Channel, Send Messages, Embed Links and Read Message History there, or pick another channel.`,
    );
  }
}

/**
 * Threads on (now, or already and a channel chosen): the channel new posts go to must let the bot start threads
 * and post in them. In a forum, starting a post is Send Messages; elsewhere, Create Public Threads.
 */
function canThreadThere(
  interaction: ChatInputCommandInteraction,
  request: { threads?: boolean },
  chosen: GuildBasedChannel | null,
  { settings }: CommandContext,
): void {
  const guildId = interaction.guildId;
  if (!guildId || request.threads === false) return;
  const current = settings.show(guildId);
  if (request.threads !== true && !(current.postThreads && chosen)) return;
  const channelId = chosen?.id ?? current.announce.posts.channel;
  const channel = chosen ?? (channelId ? (interaction.guild?.channels.cache.get(channelId) ?? null) : null);
  const me = interaction.guild?.members.me;
  const permissions = channel && me ? channel.permissionsFor(me) : null;
  if (!channel || !permissions) return;
  const forum = channel.type === ChannelType.GuildForum;
  const needed: [bigint, string][] = [
    [PermissionFlagsBits.ViewChannel, 'View Channel'],
    [
      forum ? PermissionFlagsBits.SendMessages : PermissionFlagsBits.CreatePublicThreads,
      forum ? 'Send Messages (to start posts)' : 'Create Public Threads',
    ],
    [PermissionFlagsBits.SendMessagesInThreads, 'Send Messages in Threads'],
    [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
    [PermissionFlagsBits.ReadMessageHistory, 'Read Message History'],
  ];
  const missing = needed.filter(([bit]) => !permissions.has(bit)).map(([, name]) => name);
  if (missing.length > 0) {
    throw new UserProblem(
      `The bot cannot start threads in <#${channel.id}>: give it ${missing.join(', ')} there, or pick another channel.`,
    );
  }
}

/** Suggestions for hide (what the bot showed here lately) and unhide (what this server hid). */
function suggestItems(
  interaction: AutocompleteInteraction,
  context: CommandContext,
): ApplicationCommandOptionChoiceData[] {
  const { archive } = context;
  const guild = interaction.guildId;
  if (!guild) return [];
  const here = archive.forServer(guild);
  const typed = interaction.options.getFocused().trim();
  if (interaction.options.getSubcommand(false) === 'petition') return suggestOffers(typed, guild, context);
  if (interaction.options.getSubcommand(false) === 'unhide') {
    const words = typed.toLowerCase();
    return here
      .hiddenHere()
      .filter((t) => t.label.toLowerCase().includes(words))
      .slice(0, 25)
      .map((t) => ({ name: cutAtWord(t.label, LIMITS.choiceName), value: t.target }));
  }
  return here.shownHere(typed, 25).map((item) => ({ name: shownItemName(item), value: item.commentId ?? item.postId }));
}

/** The petitions offered, by number or words of the post they were found in; a hidden post's title is not shown. */
function suggestOffers(
  typed: string,
  guild: string,
  { campaign, archive }: CommandContext,
): ApplicationCommandOptionChoiceData[] {
  const here = archive.forServer(guild);
  const words = typed.toLowerCase();
  return campaign
    .offeredPetitions()
    .map((o) => ({ ...o, title: here.hidesPost(o.postId) ? null : o.postTitle }))
    .filter((o) => !words || String(o.petitionId).startsWith(words) || o.title?.toLowerCase().includes(words))
    .slice(0, 25)
    .map((o) => {
      const head = `Petition ${o.petitionId}`;
      const from = o.title === null ? ' (from a hidden post)' : ` (from "${o.title}")`;
      return { name: cutAtWord(`${head}${from}`, LIMITS.choiceName), value: String(o.petitionId) };
    });
}

/** 'comment by Jo on "Title" (2016-03-01)' or 'post "Title" (2016-03-01)', within a choice's 100 characters. */
export function shownItemName(item: ShownItem): string {
  const when = item.date ? ` (${item.date})` : '';
  const who = item.commentId ? `comment by ${item.author ?? 'Anonymous'} on ` : 'post ';
  const room = LIMITS.choiceName - who.length - when.length - 2;
  return `${who}"${cutAtWord(item.postTitle, Math.max(10, room))}"${when}`.slice(0, LIMITS.choiceName);
}

export const config: ArchiveCommand<ConfigRequest, ConfigAnswer> = {
  name: 'config',
  description:
    'Admins: the digest channel and time, where announcements go, posts or comments hidden in this server (/config show), petitions found in posts.',
  data,
  requires: ['ManageGuild'],
  guildOnly: true,
  reply: { private: true },
  parse: parseConfig,
  verify: canPostThere,
  autocomplete: suggestItems,
  run: runConfig,
  // On Discord only: settings belong to a server, and the console has none.
  view: {
    discord: (answer) =>
      'takedown' in answer
        ? takedownMessage(answer)
        : 'petitionOffers' in answer
          ? petitionOffersMessage(answer)
          : settingsMessage(answer),
  },
};
