// "Find in archive": a message's context-menu entry that searches the archive
// with what the message says, shown privately like /search.
import { ApplicationCommandType } from 'discord-api-types/payloads/v10';
import type { RESTPostAPIContextMenuApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { UserProblem } from '../src/app/userProblem.js';
import type { ArchiveCommand, TargetMessage } from '../src/discord/command.js';
import { cutAtWord } from '../src/discord/format.js';
import { ALL, firstPage, QUERY_MAX, runSearch, type SearchAnswer, type SearchRequest } from './search.js';

const data: RESTPostAPIContextMenuApplicationCommandsJSONBody = {
  type: ApplicationCommandType.Message,
  name: 'Find in archive',
};

function queryOf(message: TargetMessage): SearchRequest {
  // Mentions, custom emoji and links say nothing the archive could match.
  const text = message.content
    .replace(/<a?:\w+:\d+>|<[@#][!&]?\d+>|https?:\/\/\S+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!text) throw new UserProblem('That message has no words to search with.');
  return { query: cutAtWord(text, QUERY_MAX).replace(/…$/, ''), filters: ALL, mention: null, fromMessage: true };
}

export const findInArchive: ArchiveCommand<SearchRequest, SearchAnswer> = {
  name: 'Find in archive',
  description: 'On any message (right-click → Apps): search the archive for what it says.',
  data,
  cooldown: { uses: 6, perMs: 30_000 },
  reply: { defer: true, private: true },
  parseMessage: queryOf,
  run: runSearch,
  // On Discord only: the console has no messages to right-click.
  view: { discord: firstPage },
};
