// /config: where and when this server gets the daily digest and the
// announcements. Manage Server only: set on the definition and checked again
// by the router, since a server can override the definition's default.
import {
  ChannelType,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
  type GuildBasedChannel,
} from 'discord.js';
import { textEmbed } from '../src/discord/messages.js';
import { kindName } from '../src/app/deliveries.js';
import { UserProblem } from '../src/app/userProblem.js';
import type { AnnouncementKind, GuildSettings } from '../src/store/settings.js';
import type { ArchiveCommand, CommandContext } from '../src/discord/command.js';

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

/** The settings as an admin reads them. */
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

/** The bot must be able to post there, or the first delivery would fail and switch itself off. */
function cannotPost(interaction: ChatInputCommandInteraction, channel: GuildBasedChannel | null): string | null {
  if (!channel) return null;
  const me = interaction.guild?.members.me;
  const permissions = me ? channel.permissionsFor(me) : null;
  if (
    permissions &&
    !permissions.has([
      PermissionFlagsBits.ViewChannel,
      PermissionFlagsBits.SendMessages,
      PermissionFlagsBits.EmbedLinks,
    ])
  ) {
    return `The bot cannot post in <#${channel.id}>: give it View Channel, Send Messages and Embed Links there, or pick another channel.`;
  }
  return null;
}

async function reply(interaction: ChatInputCommandInteraction, title: string, settings: GuildSettings): Promise<void> {
  await interaction.reply({
    ...textEmbed(title, 'Only admins see this.', settingsFields(settings)),
    flags: MessageFlags.Ephemeral,
  });
}

export const config: ArchiveCommand = {
  name: 'config',
  description: 'Admins: choose the digest channel and time, and where announcements go (/config show).',
  data: data.toJSON(),
  requires: ['ManageGuild'],
  guildOnly: true,
  async execute(interaction, context: CommandContext) {
    const guildId = interaction.guildId!;
    const sub = interaction.options.getSubcommand();
    if (sub === 'show') {
      await reply(interaction, 'Scheduled posts in this server', context.settings.show(guildId));
      return;
    }
    const channel = interaction.options.getChannel('channel') as GuildBasedChannel | null;
    const enabled = interaction.options.getBoolean('enabled') ?? undefined;
    const refused = cannotPost(interaction, channel);
    if (refused) throw new UserProblem(refused);
    if (sub === 'digest') {
      const next = context.settings.setDigest(guildId, {
        channel: channel?.id,
        time: interaction.options.getString('time'),
        zone: interaction.options.getString('timezone'),
        on: enabled,
      });
      await reply(interaction, 'Digest updated', next);
      return;
    }
    const what = interaction.options.getString('what', true) as AnnouncementKind;
    const next = context.settings.setAnnouncements(guildId, what, { channel: channel?.id, on: enabled });
    await reply(interaction, 'Announcements updated', next);
  },
};
