// /napo: the latest news from Napo, the probation union.
import { ApplicationCommandType } from 'discord-api-types/payloads/v10';
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord-api-types/v10';
import type { NapoView } from '../src/app/campaign.js';
import { napoText } from '../src/console/render.js';
import { UserProblem } from '../src/app/userProblem.js';
import type { ArchiveCommand } from '../src/discord/command.js';
import { napoMessage } from '../src/discord/messages.js';

const data: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  type: ApplicationCommandType.ChatInput,
  name: 'napo',
  description: 'The latest Napo (probation union) news, with links',
  options: [],
};

export const napo: ArchiveCommand<void, NapoView> = {
  name: 'napo',
  description: 'The latest Napo news items, linked.',
  data,
  cooldown: { uses: 3, perMs: 30_000 },
  // The feed may take a few seconds to answer.
  reply: { defer: true },
  run: async (_request, context) => {
    const view = await context.campaign.napo();
    if (view.items.length === 0) {
      if (view.problem) context.log.warn({ problem: view.problem }, '/napo: no news to show');
      // Nothing to show the channel: the member hears why, privately and in plain words.
      throw new UserProblem(
        view.problem
          ? 'The Napo news feed cannot be read just now, and nothing is stored yet: try again later.'
          : 'No Napo news is stored yet.',
      );
    }
    return view;
  },
  view: { discord: napoMessage, text: (view) => napoText(view) },
};
