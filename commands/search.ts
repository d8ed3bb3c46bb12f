import { searchText } from '../src/render.js';
import type { ArchiveCommand } from './types.js';

export const search: ArchiveCommand = {
  name: 'search',
  usage: '/search <words>',
  description: 'Find passages in the archive; the last word also matches as a prefix.',
  run: (args, { archive }) => (args.trim() ? searchText(args.trim(), archive.search(args, { limit: 5 })) : 'Usage: /search <words>'),
};
