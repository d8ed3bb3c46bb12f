import { onThisDayText } from '../src/render.js';
import type { ArchiveCommand } from './types.js';

export const onthisday: ArchiveCommand = {
  name: 'onthisday',
  usage: '/onthisday [YYYY-MM-DD]',
  description: 'What the blog said on this day (or the given date) in earlier years.',
  run: (args, { archive, today }) => {
    const date = args.trim() || today();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
      return 'Usage: /onthisday [YYYY-MM-DD], for example /onthisday 2023-11-23';
    }
    return onThisDayText(archive.onThisDay(date));
  },
};
