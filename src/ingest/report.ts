// What ingesting one source (a file, a directory's file, a blog) reports.
import type { SourceFormat } from '../archive/detect.js';
import type { IngestCounts } from '../store/archive.js';

export interface SourceReport {
  source: string;
  format: SourceFormat | null;
  posts: number;
  comments: number;
  counts: IngestCounts;
  warnings: string[];
  /** One line saying what went wrong with this source, when something did. */
  errors: string[];
}
