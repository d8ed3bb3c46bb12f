// Which parser a source needs, told from its content (never its file name).
import { looksLikeTextDump } from './textDump.js';

export type SourceFormat = 'text-dump' | 'blogger-export' | 'blogger-takeout' | 'blogger-feed-json' | 'atom-or-rss';

export type Detection = { format: SourceFormat } | { problem: string };

/** Looks at the bytes first (binary junk, empty files), then at the text. */
export function detectFormat(bytes: Uint8Array): Detection {
  if (bytes.length === 0) return { problem: 'empty file' };
  const head = bytes.subarray(0, 64 * 1024);
  // A stray NUL or two is damage in a text file (reported when it is read); many are a binary file or UTF-16.
  let nuls = 0;
  for (let i = head.indexOf(0); i !== -1; i = head.indexOf(0, i + 1)) nuls++;
  if (nuls > head.length / 200) return { problem: 'binary file, not text' };
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head);
  const replaced = (text.match(/\uFFFD/g) ?? []).length;
  if (replaced > Math.max(8, text.length / 100)) return { problem: 'not UTF-8 text (binary or another encoding)' };
  if (text.trim() === '') return { problem: 'empty file (only whitespace)' };

  const start = text.trimStart().slice(0, 4096);
  if (start.startsWith('<')) {
    if (/schemas\.google\.com\/blogger\/2018/.test(text)) return { format: 'blogger-takeout' };
    if (/<feed[\s>]/.test(text) && /blogger/i.test(text)) return { format: 'blogger-export' };
    if (/<(feed|rss)[\s>]/.test(text)) return { format: 'atom-or-rss' };
    return { problem: 'XML or HTML that is neither a Blogger export nor a feed' };
  }
  if (start.startsWith('{')) {
    if (/"feed"\s*:/.test(text) && /"\$t"/.test(text)) return { format: 'blogger-feed-json' };
    return { problem: 'JSON that is not a Blogger feed' };
  }
  if (looksLikeTextDump(text)) return { format: 'text-dump' };
  return { problem: 'unknown format: no dated post ("Thursday, 23 November 2023") and no comment markers found' };
}
