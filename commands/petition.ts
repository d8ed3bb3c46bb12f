// /petition: the campaign petition's live count, thresholds and change over the last day.
import { SlashCommandBuilder } from 'discord.js';
import { currentPetition } from '../src/campaign.js';
import { petitionMessage } from '../src/discord/messages.js';
import { petitionText } from '../src/render.js';
import type { ArchiveCommand, CommandContext } from './types.js';

const data = new SlashCommandBuilder()
  .setName('petition')
  .setDescription('The campaign petition: signatures, thresholds, change since yesterday, link');

const view = (context: CommandContext) =>
  currentPetition(context.archive.db, {
    petitionId: context.petition.id,
    baseUrl: context.petition.baseUrl,
    fetch: context.petition.fetch,
    now: context.now,
    changeOrgUrl: context.petition.changeOrgUrl,
  });

export const petition: ArchiveCommand = {
  name: 'petition',
  description: 'The campaign petition: live signatures, how far to a government response and a debate, link.',
  data: data.toJSON(),
  cooldown: { uses: 3, perMs: 30_000 },
  async execute(interaction, context) {
    // The site may take a few seconds to answer.
    await interaction.deferReply();
    await interaction.editReply(petitionMessage(await view(context), context.now()));
  },
  console: {
    usage: '/petition',
    run: async (_args, context) => petitionText(await view(context), context.now()),
  },
};
