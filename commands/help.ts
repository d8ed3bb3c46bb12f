// /help: every command in one screen.
import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { textEmbed } from '../src/discord/messages.js';
import type { ArchiveCommand } from '../src/discord/command.js';

const data = new SlashCommandBuilder().setName('help').setDescription('What each command of the archive bot does');

/** Built from the command list itself, so it never drifts from what is registered. */
export function helpCommand(list: () => readonly ArchiveCommand[]): ArchiveCommand {
  return {
    name: 'help',
    description: 'This list.',
    data: data.toJSON(),
    async execute(interaction) {
      const lines = list()
        .filter((c) => c.data)
        .map((c) => `**${c.data!.type === 3 ? c.name : `/${c.name}`}** – ${c.description}`);
      await interaction.reply({
        ...textEmbed(
          'On Probation archive bot',
          `${lines.join('\n')}\n\nArchive text is quoted as written by the blog's authors and commenters.`,
        ),
        flags: MessageFlags.Ephemeral,
      });
    },
    console: {
      usage: '/help',
      run: () =>
        list()
          .filter((c) => c.console)
          .map((c) => `${c.console!.usage.padEnd(26)} ${c.description}`)
          .join('\n'),
    },
  };
}
