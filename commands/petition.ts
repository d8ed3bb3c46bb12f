// /petition: the campaign petition's live count, thresholds and change over the last day.
import { SlashCommandBuilder } from 'discord.js';
import type { PetitionView } from '../src/app/campaign.js';
import { petitionText } from '../src/console/render.js';
import { UserProblem } from '../src/app/userProblem.js';
import type { ArchiveCommand } from '../src/discord/command.js';
import { petitionMessage } from '../src/discord/messages.js';

const data = new SlashCommandBuilder()
  .setName('petition')
  .setDescription('The campaign petition: signatures, thresholds, change since yesterday, link');

/** The figures and when they were asked for: their age is part of what is shown. */
interface PetitionAnswer {
  petition: PetitionView | { unavailable: string };
  now: Date;
}

export const petition: ArchiveCommand<void, PetitionAnswer> = {
  name: 'petition',
  description: 'The campaign petition: live signatures, how far to a government response and a debate, link.',
  data: data.toJSON(),
  cooldown: { uses: 3, perMs: 30_000 },
  // The site may take a few seconds to answer.
  reply: { defer: true },
  run: async (_request, context) => {
    const petition = await context.campaign.petition();
    if ('unavailable' in petition) {
      // The detail (an address, an error code) is for the operator's log; the member hears it in plain words, privately.
      context.log.warn({ problem: petition.unavailable }, '/petition: no figures to show');
      throw new UserProblem(
        'The petition site cannot be reached just now, and no figures are stored yet: try again in a few minutes.',
      );
    }
    return { petition, now: context.now() };
  },
  view: {
    discord: (answer) => petitionMessage(answer.petition, answer.now),
    text: (answer) => petitionText(answer.petition, answer.now),
  },
};
