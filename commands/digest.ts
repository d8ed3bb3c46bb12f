// /digest (console only): the daily digest for a date as the scheduler would
// post it, so an operator can see what servers will get.
import { SlashCommandBuilder } from 'discord.js';
import { type Digest, dailyDigest } from '../src/digest/onThisDay.js';
import { digestText } from '../src/console/render.js';
import type { ArchiveCommand } from '../src/discord/command.js';
import { digestMessage } from '../src/discord/messages.js';
import { parseDate } from './onthisday.js';

// Defined as Discord would show it, so the console reads and checks its options like any other; never registered.
const definition = new SlashCommandBuilder()
  .setName('digest')
  .setDescription('The daily digest for a date')
  .addStringOption((o) =>
    o.setName('date').setDescription('The date, as YYYY-MM-DD (default today)').setMinLength(10).setMaxLength(10),
  );

export const digest: ArchiveCommand<{ date: string | null }, Digest> = {
  name: 'digest',
  description: 'The daily digest for a date (default today), as it will be posted.',
  consoleOptions: definition.toJSON().options,
  parse: parseDate,
  run: ({ date }, { archive, today }) => dailyDigest(archive.onThisDay(date ?? today())),
  // The scheduler posts digestMessage; the console prints the same view model as text.
  view: { discord: digestMessage, text: digestText },
};
