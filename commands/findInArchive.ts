// "Find in archive": a message's context-menu entry that searches the archive
// with what the message says, shown privately like /search.
import { ApplicationCommandType, ContextMenuCommandBuilder } from 'discord.js';
import { cutAtWord } from '../src/discord/format.js';
import { ALL, QUERY_MAX, showSearch } from './search.js';
import { UserProblem } from '../src/app/userProblem.js';
import type { ArchiveCommand } from '../src/discord/command.js';

const data = new ContextMenuCommandBuilder().setName('Find in archive').setType(ApplicationCommandType.Message);

export const findInArchive: ArchiveCommand = {
  name: 'Find in archive',
  description: 'On any message (right-click → Apps): search the archive for what it says.',
  data: data.toJSON(),
  cooldown: { uses: 6, perMs: 30_000 },
  async executeMessage(interaction, context) {
    // Mentions, custom emoji and links say nothing the archive could match.
    const text = interaction.targetMessage.content
      .replace(/<a?:\w+:\d+>|<[@#][!&]?\d+>|https?:\/\/\S+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    if (!text) {
      throw new UserProblem('That message has no words to search with.');
    }
    await showSearch(interaction, context, cutAtWord(text, QUERY_MAX).replace(/…$/, ''), ALL, null);
  },
};
