// Where a file or directory source's files are (directories walked, hidden entries skipped, in name order) and a
// fingerprint of what they hold now. Apart from the parsers, so the start can tell whether ARCHIVE_SOURCES changed
// without loading them (they load with the first ingest).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { emptyCounts } from '../store/archive.js';
import type { SourceReport } from './report.js';

/** A source's files; a blog address as `{ blog }`; a problem as a report with the error. */
export function expand(input: string): (string | { blog: string } | SourceReport)[] {
  const fail = (message: string) => [{ ...emptySource(input), errors: [`${input}: ${message}`] }];
  if (/^https?:\/\//i.test(input)) {
    try {
      new URL(input);
    } catch {
      return fail('not a valid address');
    }
    return [{ blog: input }];
  }
  let stats: ReturnType<typeof statSync>;
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

/**
 * What a file or directory source is now (its files, their bytes, the newest change), so a record of having read
 * it to the end can tell it from the same path holding something else; null for a blog address or a missing path.
 */
export function sourceFingerprint(input: string): string | null {
  if (/^https?:\/\//i.test(input)) return null;
  const files = expand(input);
  if (files.some((f) => typeof f !== 'string')) return null;
  let bytes = 0;
  let newest = 0;
  for (const file of files as string[]) {
    const stats = statSync(file);
    bytes += stats.size;
    newest = Math.max(newest, Math.floor(stats.mtimeMs));
  }
  return `${files.length} files, ${bytes} bytes, changed ${new Date(newest).toISOString()}`;
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

export function emptySource(source: string): SourceReport {
  return { source, format: null, posts: 0, comments: 0, counts: emptyCounts(), warnings: [], errors: [] };
}
