// /onthisday: what the blog said on this day (or a given date) in earlier years.
import { SlashCommandBuilder } from 'discord.js';
import { isIsoDate } from '../src/archive/text.js';
import { onThisDayMessage } from '../src/discord/messages.js';
import { onThisDayText } from '../src/console/render.js';
import { UserProblem } from '../src/app/userProblem.js';
import type { ArchiveCommand } from '../src/discord/command.js';

const data = new SlashCommandBuilder()
  .setName('onthisday')
  .setDescription('What the blog said on this day in earlier years')
  .addStringOption((o) =>
    o.setName('date').setDescription('Another date, as YYYY-MM-DD (default today)').setMinLength(10).setMaxLength(10),
  );

export const onthisday: ArchiveCommand = {
  name: 'onthisday',
  description: 'What the blog said on this day (or the given date) in earlier years, newest first.',
  data: data.toJSON(),
  async execute(interaction, context) {
    const date = interaction.options.getString('date')?.trim() || context.today();
    if (!isIsoDate(date)) {
      throw new UserProblem(`"${date.slice(0, 20)}" is not a date: use YYYY-MM-DD, for example 2023-11-23.`);
    }
    await interaction.reply(onThisDayMessage(context.archive.onThisDay(date)));
  },
  console: {
    usage: '/onthisday [YYYY-MM-DD]',
    run: (args, { archive, today }) => {
      const date = args.trim() || today();
      if (!isIsoDate(date)) return 'Usage: /onthisday [YYYY-MM-DD], for example /onthisday 2023-11-23';
      return onThisDayText(archive.onThisDay(date));
    },
  },
};
