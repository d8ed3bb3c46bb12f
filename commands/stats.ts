// /stats: how much the archive holds, the years it covers, when it last synced with the blog.
import { SlashCommandBuilder } from '@discordjs/builders';
import { statsAnswerText } from '../src/console/aboutText.js';
import { statsMessage } from '../src/discord/aboutMessages.js';
import type { ArchiveCommand } from '../src/discord/command.js';
import type { StatsView } from '../src/discord/wording.js';

const data = new SlashCommandBuilder()
  .setName('stats')
  .setDescription('Posts, comments and years the archive holds, and its last sync');

export const stats: ArchiveCommand<void, StatsView> = {
  name: 'stats',
  description: 'Posts, comments and years the archive holds, and when it last synced with the blog.',
  data: data.toJSON(),
  run: (_request, context) => ({ ...context.archive.stats(), now: context.now() }),
  view: { discord: statsMessage, text: statsAnswerText },
};
