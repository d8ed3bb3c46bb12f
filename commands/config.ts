// /config: where and when this server gets the daily digest and the
// announcements. Manage Server only: set on the definition and checked again
// by the router, since a server can override the definition's default.
import {
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
  type GuildBasedChannel,
} from 'discord.js';
import { UserProblem } from '../src/app/userProblem.js';
import { type SettingsAnswer, settingsMessage } from '../src/discord/aboutMessages.js';
import type { ArchiveCommand, Caller, CommandContext, CommandOptions } from '../src/discord/command.js';
import type { AnnouncementKind } from '../src/store/settings.js';

const data = new SlashCommandBuilder()
  .setName('config')
  .setDescription('Digest and announcements for this server (Manage Server)')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((s) => s.setName('show').setDescription('What this server gets, where and when'))
  .addSubcommand((s) =>
    s
      .setName('digest')
      .setDescription('The daily "on this day" digest')
      .addChannelOption((o) =>
        o
          .setName('channel')
          .setDescription('Where it is posted')
          .addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement),
      )
      .addStringOption((o) => o.setName('time').setDescription('Local time, HH:MM (default 08:00)').setMaxLength(5))
      .addStringOption((o) =>
        o.setName('timezone').setDescription('IANA time zone (default Europe/London)').setMaxLength(64),
      )
      .addBooleanOption((o) => o.setName('enabled').setDescription('On or off')),
  )
  .addSubcommand((s) =>
    s
      .setName('announce')
      .setDescription('Announcements of new posts, petition milestones or Napo news')
      .addStringOption((o) =>
        o
          .setName('what')
          .setDescription('Which announcements')
          .setRequired(true)
          .addChoices(
            { name: 'new blog posts', value: 'posts' },
            { name: 'petition milestones', value: 'petition' },
            { name: 'Napo news', value: 'napo' },
          ),
      )
      .addChannelOption((o) =>
        o
          .setName('channel')
          .setDescription('Where they are posted')
          .addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement),
      )
      .addBooleanOption((o) => o.setName('enabled').setDescription('On or off')),
  );

type ConfigRequest =
  | { change: 'show' }
  | { change: 'digest'; channel?: string; time: string | null; zone: string | null; on?: boolean }
  | { change: 'announce'; what: AnnouncementKind; channel?: string; on?: boolean };

const KINDS: readonly AnnouncementKind[] = ['posts', 'petition', 'napo'];

function parseConfig(options: CommandOptions): ConfigRequest {
  const sub = options.subcommand();
  if (sub === 'show') return { change: 'show' };
  const channel = options.channel('channel') ?? undefined;
  const on = options.boolean('enabled') ?? undefined;
  if (sub === 'digest') {
    return { change: 'digest', channel, time: options.string('time'), zone: options.string('timezone'), on };
  }
  const what = KINDS.find((k) => k === options.string('what'));
  if (!what) throw new UserProblem('Choose which announcements: new blog posts, petition milestones or Napo news.');
  return { change: 'announce', what, channel, on };
}

function runConfig(
  request: ConfigRequest,
  { settings, archive, eventLoopDelay }: CommandContext,
  { guildId }: Caller,
): SettingsAnswer {
  // guildOnly: the router never runs /config outside a server.
  const guild = guildId!;
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
    const { channel, time, zone, on } = request;
    return { title: 'Digest updated', settings: settings.setDigest(guild, { channel, time, zone, on }) };
  }
  const { what, channel, on } = request;
  return { title: 'Announcements updated', settings: settings.setAnnouncements(guild, what, { channel, on }) };
}

/** The bot must be able to post in the chosen channel, or the first delivery would fail and switch itself off. */
function canPostThere(interaction: ChatInputCommandInteraction): void {
  const channel = interaction.options.getChannel('channel') as GuildBasedChannel | null;
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

export const config: ArchiveCommand<ConfigRequest, SettingsAnswer> = {
  name: 'config',
  description: 'Admins: choose the digest channel and time, and where announcements go (/config show).',
  data: data.toJSON(),
  requires: ['ManageGuild'],
  guildOnly: true,
  reply: { private: true },
  parse: parseConfig,
  verify: canPostThere,
  run: runConfig,
  // On Discord only: settings belong to a server, and the console has none.
  view: { discord: settingsMessage },
};
