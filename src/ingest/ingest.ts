// Ingest: sources (files, directories walked recursively, URLs) → parse →
// store. Each file is read and detected on its own, so one bad file is
// reported and skipped while the others are still stored.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { detectFormat, type SourceFormat } from '../archive/detect.js';
import { ArchiveFormatError, type ParsedPost } from '../archive/model.js';
import { parseTextDump } from '../archive/textDump.js';
import { addCounts, emptyCounts, storeParsedPost, type IngestCounts } from '../store/archive.js';
import type { Db } from '../store/db.js';

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

export interface IngestReport {
  sources: SourceReport[];
  counts: IngestCounts;
}

export type IngestProgress =
  | { type: 'source'; source: string; index: number; total: number }
  | { type: 'posts'; source: string; done: number; total: number };

export interface IngestOptions {
  /** ISO time for `stored_at` (the clock stays at the edge). */
  now: () => string;
  onProgress?: (event: IngestProgress) => void;
}

/** Ingest every input; never throws for bad input, which is reported per source instead. */
export function ingestSources(db: Db, inputs: readonly string[], options: IngestOptions): IngestReport {
  const report: IngestReport = { sources: [], counts: emptyCounts() };
  // Expand every input first so progress can say "3/40"; failures keep their place in input order.
  const planned = inputs.flatMap((input) => expand(input));
  const files = planned.filter((p): p is string => typeof p === 'string');
  let index = 0;
  for (const item of planned) {
    if (typeof item !== 'string') {
      report.sources.push(item);
      continue;
    }
    options.onProgress?.({ type: 'source', source: item, index: index++, total: files.length });
    const result = ingestFile(db, item, options);
    addCounts(report.counts, result.counts);
    report.sources.push(result);
  }
  return report;
}

/** Files named directly, or found under a directory; URLs and missing paths become error reports. */
function expand(input: string): (string | SourceReport)[] {
  const fail = (message: string) => [{ ...emptySource(input), errors: [`${input}: ${message}`] }];
  if (/^https?:\/\//i.test(input)) {
    return fail('reading the live blog is not available in this version: ingest a text dump (for example ../shared/seeds) instead');
  }
  let stats;
  try {
    stats = statSync(input);
  } catch {
    return fail('no such file or directory');
  }
  if (stats.isFile()) return [input];
  if (!stats.isDirectory()) return fail('not a file or directory');
  const files = walk(input);
  return files.length > 0 ? files : fail('directory holds no files');
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

function emptySource(source: string): SourceReport {
  return { source, format: null, posts: 0, comments: 0, counts: emptyCounts(), warnings: [], errors: [] };
}

function ingestFile(db: Db, source: string, options: IngestOptions): SourceReport {
  const result = emptySource(source);
  let parsed: ParsedPost[];
  try {
    const bytes = readFileSync(source);
    const detection = detectFormat(bytes);
    if ('problem' in detection) throw new ArchiveFormatError(source, detection.problem);
    result.format = detection.format;
    if (detection.format !== 'text-dump') {
      throw new ArchiveFormatError(source, `${detection.format} sources are recognised but not yet supported by this version`);
    }
    parsed = parseTextDump(bytes.toString('utf8'), source);
  } catch (error) {
    result.errors.push(describe(error, source));
    return result;
  }

  parsed.forEach((item, done) => {
    options.onProgress?.({ type: 'posts', source, done, total: parsed.length });
    result.warnings.push(...item.warnings.map((w) => `${source}:${w.line}: ${w.message}`));
    try {
      addCounts(result.counts, storeParsedPost(db, item, source, options.now()));
      result.posts++;
      result.comments += item.comments.length;
    } catch (error) {
      // The post's transaction rolled back: nothing of it is stored, everything before it is.
      result.errors.push(`${source}:${item.line}: post "${item.post.title}" not stored: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  options.onProgress?.({ type: 'posts', source, done: parsed.length, total: parsed.length });
  return result;
}

function describe(error: unknown, source: string): string {
  if (error instanceof ArchiveFormatError) return error.message;
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
    return `${source}: ${error.code === 'EACCES' ? 'permission denied' : error.code === 'EISDIR' ? 'is a directory' : error.message}`;
  }
  return `${source}: ${error instanceof Error ? error.message : String(error)}`;
}
