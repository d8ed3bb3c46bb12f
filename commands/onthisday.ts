import { isIsoDate } from '../src/archive/text.js';
import { onThisDayText } from '../src/render.js';
import type { ArchiveCommand } from './types.js';

export const onthisday: ArchiveCommand = {
  name: 'onthisday',
  usage: '/onthisday [YYYY-MM-DD]',
  description: 'What the blog said on this day (or the given date) in earlier years.',
  run: (args, { archive, today }) => {
    const date = args.trim() || today();
    if (!isIsoDate(date)) {
      return 'Usage: /onthisday [YYYY-MM-DD], for example /onthisday 2023-11-23';
    }
    return onThisDayText(archive.onThisDay(date));
  },
};
