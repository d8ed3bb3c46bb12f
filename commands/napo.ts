// /napo: the latest news from Napo, the probation union.
import { SlashCommandBuilder } from 'discord.js';
import { napoMessage } from '../src/discord/messages.js';
import { napoText } from '../src/console/render.js';
import type { ArchiveCommand } from '../src/discord/command.js';

const data = new SlashCommandBuilder()
  .setName('napo')
  .setDescription('The latest Napo (probation union) news, with links');

export const napo: ArchiveCommand = {
  name: 'napo',
  description: 'The latest Napo news items, linked.',
  data: data.toJSON(),
  cooldown: { uses: 3, perMs: 30_000 },
  async execute(interaction, context) {
    await interaction.deferReply();
    await interaction.editReply(napoMessage(await context.campaign.napo()));
  },
  console: {
    usage: '/napo',
    run: async (_args, context) => napoText(await context.campaign.napo()),
  },
};
