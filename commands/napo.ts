// /napo: the latest news from Napo, the probation union.
import { SlashCommandBuilder } from 'discord.js';
import { currentNapoNews } from '../src/campaign.js';
import { napoMessage } from '../src/discord/messages.js';
import { napoText } from '../src/render.js';
import type { ArchiveCommand, CommandContext } from './types.js';

const data = new SlashCommandBuilder()
  .setName('napo')
  .setDescription('The latest Napo (probation union) news, with links');

const view = (context: CommandContext) =>
  currentNapoNews(context.archive.db, {
    feedUrl: context.napo.feedUrl,
    fetch: context.napo.fetch,
    now: context.now,
  });

export const napo: ArchiveCommand = {
  name: 'napo',
  description: 'The latest Napo news items, linked.',
  data: data.toJSON(),
  cooldown: { uses: 3, perMs: 30_000 },
  async execute(interaction, context) {
    await interaction.deferReply();
    await interaction.editReply(napoMessage(await view(context)));
  },
  console: {
    usage: '/napo',
    run: async (_args, context) => napoText(await view(context)),
  },
};
