import { statsText } from '../src/render.js';
import type { ArchiveCommand } from './types.js';

export const stats: ArchiveCommand = {
  name: 'stats',
  usage: '/stats',
  description: 'Posts, comments and years the archive holds.',
  run: (_args, { archive }) => statsText(archive.stats()),
};
