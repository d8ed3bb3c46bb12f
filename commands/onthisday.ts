// /onthisday: what the blog said on this day (or a given date) in earlier years.
import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord-api-types/payloads/v10';
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { isIsoDate } from '../src/archive/text.js';
import { UserProblem } from '../src/app/userProblem.js';
import { onThisDayText } from '../src/console/render.js';
import type { OnThisDay } from '../src/digest/onThisDay.js';
import type { ArchiveCommand, CommandOptions } from '../src/discord/command.js';
import { onThisDayMessage } from '../src/discord/messages.js';

const data: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  type: ApplicationCommandType.ChatInput,
  name: 'onthisday',
  description: 'What the blog said on this day in earlier years',
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'date',
      description: 'Another date, as YYYY-MM-DD (default today)',
      required: false,
      min_length: 10,
      max_length: 10,
    },
  ],
};

/** The date asked about; null for today. The digest (console) reads its date the same way. */
export function parseDate(options: CommandOptions): { date: string | null } {
  const date = options.string('date')?.trim() || null;
  if (date !== null && !isIsoDate(date)) {
    throw new UserProblem(`"${date.slice(0, 20)}" is not a date: use YYYY-MM-DD, for example 2023-11-23.`);
  }
  return { date };
}

export const onthisday: ArchiveCommand<{ date: string | null }, OnThisDay> = {
  name: 'onthisday',
  description: 'What the blog said on this day (or the given date) in earlier years, newest first.',
  data,
  parse: parseDate,
  run: ({ date }, { archive, today }) => archive.onThisDay(date ?? today()),
  view: { discord: onThisDayMessage, text: onThisDayText },
};
