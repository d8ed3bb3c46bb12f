// /stats: how much the archive holds, the years it covers, when it last synced with the blog.
import { SlashCommandBuilder } from 'discord.js';
import type { ArchiveService } from '../src/app/archive.js';
import { statsAnswerText } from '../src/console/aboutText.js';
import { statsMessage } from '../src/discord/aboutMessages.js';
import type { ArchiveCommand } from '../src/discord/command.js';

const data = new SlashCommandBuilder()
  .setName('stats')
  .setDescription('Posts, comments and years the archive holds, and its last sync');

export const stats: ArchiveCommand<void, ReturnType<ArchiveService['stats']>> = {
  name: 'stats',
  description: 'Posts, comments and years the archive holds, its last sync and index size.',
  data: data.toJSON(),
  run: (_request, context) => context.archive.stats(),
  view: { discord: statsMessage, text: statsAnswerText },
};
