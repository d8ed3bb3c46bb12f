// /digest (console only): the daily digest for a date, or the weekly round-up of
// a week, as the scheduler would post them, so an operator can see what servers
// will get.
import { ApplicationCommandOptionType } from 'discord-api-types/payloads/v10';
import type { APIApplicationCommandOption } from 'discord-api-types/v10';
import { isIsoDate } from '../src/archive/text.js';
import { UserProblem } from '../src/app/userProblem.js';
import { type Digest, dailyDigest } from '../src/digest/onThisDay.js';
import { DEFAULT_DIGEST_SETTING } from '../src/digest/schedule.js';
import { type WeeklyRoundUp, weekFrom, weeklyRoundUp } from '../src/digest/weekly.js';
import { digestText, weeklyText } from '../src/console/render.js';
import type { ArchiveCommand, CommandOptions } from '../src/discord/command.js';
import { digestMessage, weeklyMessage } from '../src/discord/messages.js';
import { parseDate } from './onthisday.js';

// Defined as Discord would show it, so the console reads and checks its options like any other; never registered.
const consoleOptions: APIApplicationCommandOption[] = [
  {
    type: ApplicationCommandOptionType.String,
    name: 'date',
    description: 'The date, as YYYY-MM-DD (default today)',
    required: false,
    min_length: 10,
    max_length: 10,
  },
  {
    type: ApplicationCommandOptionType.String,
    name: 'week',
    description: 'The weekly round-up of the seven days from this date, as YYYY-MM-DD',
    required: false,
    min_length: 10,
    max_length: 10,
  },
];

type DigestRequest = { date: string | null } | { week: string };

function parseDigest(options: CommandOptions): DigestRequest {
  const week = options.string('week')?.trim() || null;
  if (week === null) return parseDate(options);
  if (options.string('date'))
    throw new UserProblem('Give a date (the daily digest) or a week (the round-up), not both.');
  if (!isIsoDate(week)) {
    throw new UserProblem(`"${week.slice(0, 20)}" is not a date: use YYYY-MM-DD, for example 2023-11-20.`);
  }
  return { week };
}

const isRoundUp = (result: Digest | WeeklyRoundUp): result is WeeklyRoundUp => 'week' in result;

export const digest: ArchiveCommand<DigestRequest, Digest | WeeklyRoundUp> = {
  name: 'digest',
  description:
    'The daily digest for a date (default today), or with week:YYYY-MM-DD the weekly round-up of the seven days from that date, as they will be posted.',
  consoleOptions,
  parse: parseDigest,
  run: (request, { archive, campaign, today }) => {
    if (!('week' in request)) return dailyDigest(archive.onThisDay(request.date ?? today()));
    // The week as a server in the default zone gets it: a round-up posted on a day covers the seven days before.
    const week = weekFrom(request.week);
    return weeklyRoundUp(archive.week(week), campaign.week(week, DEFAULT_DIGEST_SETTING.zone));
  },
  // The scheduler posts digestMessage and weeklyMessage; the console prints the same view models as text.
  view: {
    discord: (result) => (isRoundUp(result) ? weeklyMessage(result) : digestMessage(result)),
    text: (result) => (isRoundUp(result) ? weeklyText(result) : digestText(result)),
  },
};
