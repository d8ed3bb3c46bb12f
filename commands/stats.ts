// /stats: how much the archive holds, the years it covers, when it last synced with the blog.
import { ApplicationCommandType } from 'discord-api-types/payloads/v10';
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { statsAnswerText } from '../src/console/aboutText.js';
import { statsMessage } from '../src/discord/aboutMessages.js';
import type { ArchiveCommand } from '../src/discord/command.js';
import type { StatsView } from '../src/discord/wording.js';

const data: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  type: ApplicationCommandType.ChatInput,
  name: 'stats',
  description: 'Posts, comments and years the archive holds, and its last sync',
  options: [],
};

export const stats: ArchiveCommand<void, StatsView> = {
  name: 'stats',
  description: 'Posts, comments and years the archive holds, and when it last synced with the blog.',
  data,
  run: (_request, context) => ({ ...context.archive.stats(), now: context.now() }),
  view: { discord: statsMessage, text: statsAnswerText },
};
