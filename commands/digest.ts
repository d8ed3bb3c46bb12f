// /digest (console only): the daily digest for a date as the scheduler would
// post it, so an operator can see what servers will get.
import { isIsoDate } from '../src/archive/text.js';
import { digestMessage } from '../src/discord/messages.js';
import type { ArchiveCommand } from '../src/discord/command.js';

export const digest: ArchiveCommand = {
  name: 'digest',
  description: 'The daily digest for a date (default today), as it will be posted.',
  console: {
    usage: '/digest [YYYY-MM-DD]',
    run: (args, { archive, today }) => {
      const date = args.trim() || today();
      if (!isIsoDate(date)) return 'Usage: /digest [YYYY-MM-DD], for example /digest 2023-11-23';
      const [embed] = digestMessage(archive.onThisDay(date)).embeds;
      // The embed's Markdown undone for the terminal: escapes dropped, links as "title <url>".
      const text = (embed?.description ?? '')
        .replace(/\[([^\]]*(?:\\\][^\]]*)*)\]\((https?:[^)]+)\)/g, '$1 <$2>')
        .replace(/\*\*/g, '')
        .replace(/\\([\\`*_~|#>[\]().-])/g, '$1')
        .replace(/\u200b/g, '');
      return `${embed?.title ?? ''}\n\n${text}\n\n(${embed?.footer?.text ?? ''})`;
    },
  },
};
