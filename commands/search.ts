import { searchText } from '../src/render.js';
import type { ArchiveCommand } from './types.js';

export const search: ArchiveCommand = {
  name: 'search',
  usage: '/search <words>',
  description: 'Find passages in the archive; the last word also matches as a prefix.',
  run: (args, { archive }) => {
    if (!args.trim()) return 'Usage: /search <words>';
    const hits = archive.search(args, { limit: 5 });
    if (hits.length === 0 && archive.stats().posts === 0) return 'The archive is empty: ingest a source first (npm run cli -- ingest <path>).';
    return searchText(args.trim(), hits);
  },
};
