// /petition: the campaign petition's live count, thresholds and change over the last day.
import { SlashCommandBuilder } from 'discord.js';
import { petitionMessage } from '../src/discord/messages.js';
import { petitionText } from '../src/console/render.js';
import type { ArchiveCommand } from '../src/discord/command.js';

const data = new SlashCommandBuilder()
  .setName('petition')
  .setDescription('The campaign petition: signatures, thresholds, change since yesterday, link');

export const petition: ArchiveCommand = {
  name: 'petition',
  description: 'The campaign petition: live signatures, how far to a government response and a debate, link.',
  data: data.toJSON(),
  cooldown: { uses: 3, perMs: 30_000 },
  async execute(interaction, context) {
    // The site may take a few seconds to answer.
    await interaction.deferReply();
    await interaction.editReply(petitionMessage(await context.campaign.petition(), context.now()));
  },
  console: {
    usage: '/petition',
    run: async (_args, context) => petitionText(await context.campaign.petition(), context.now()),
  },
};
