// /stats: how much the archive holds, the years it covers, when it last synced with the blog.
import { SlashCommandBuilder } from 'discord.js';
import { textEmbed } from '../src/discord/messages.js';
import { statsText } from '../src/console/render.js';
import type { ArchiveCommand } from '../src/discord/command.js';

const data = new SlashCommandBuilder()
  .setName('stats')
  .setDescription('Posts, comments and years the archive holds, and its last sync');

function lastSync(at: string | null): string {
  return at ? `${at.slice(0, 16).replace('T', ' ')} UTC` : 'never (the archive comes from files)';
}

export const stats: ArchiveCommand = {
  name: 'stats',
  description: 'Posts, comments and years the archive holds, its last sync and index size.',
  data: data.toJSON(),
  async execute(interaction, context) {
    const s = context.archive.stats();
    const years = s.firstDate && s.lastDate ? `${s.firstDate.slice(0, 4)}–${s.lastDate.slice(0, 4)}` : 'none dated';
    await interaction.reply(
      textEmbed(
        'The On Probation archive',
        `${s.posts.toLocaleString('en-GB')} posts and ${s.comments.toLocaleString('en-GB')} comments.`,
        [
          { name: 'Years', value: years, inline: true },
          { name: 'Passages', value: s.passages.toLocaleString('en-GB'), inline: true },
          {
            name: 'Index',
            value: s.indexBytes === null ? 'not built yet' : `${(s.indexBytes / 1024 / 1024).toFixed(1)} MB`,
            inline: true,
          },
          { name: 'Last sync with the blog', value: lastSync(s.lastSync) },
        ],
      ),
    );
  },
  console: {
    usage: '/stats',
    run: (_args, context) => {
      const s = context.archive.stats();
      return `${statsText(s)}; last sync ${lastSync(s.lastSync)}`;
    },
  },
};
