// Parser for text copied from the blog's pages (the seed dumps). One grammar:
//   dump      := [undated post] (dateLine post)*
//   post      := [title] body [comments]
//   comments  := numbered ("N comments:" or an indented `  1.` block, replies at `    1.`)
//              | flattened (text glued to the `ReplyDelete` / `Delete` buttons that close each comment)
// Variations (comma after the weekday, no title line, duplicated paragraphs,
// signatures) are handled in the grammar, not per file.
import type { Comment, ParsedPost, ParseWarning, Post } from './model.js';
import { ArchiveFormatError } from './model.js';
import {
  MONTHS,
  isSignatureLine,
  isoDate,
  oneLine,
  signatureOf,
  stableId,
  tidyText,
  withoutUnsafeCharacters,
} from './text.js';

const MONTH_NAMES = MONTHS.join('|');
const WEEKDAY = '(?:mon|tues|wednes|thurs|fri|satur|sun)day';
const DATE_LINE = new RegExp(
  `^\\s*${WEEKDAY},?\\s+(\\d{1,2})(?:st|nd|rd|th)?\\s+(${MONTH_NAMES}),?\\s+(\\d{4})\\s*$`,
  'i',
);
const DATE_LINE_US = new RegExp(`^\\s*${WEEKDAY},?\\s+(${MONTH_NAMES})\\s+(\\d{1,2}),?\\s+(\\d{4})\\s*$`, 'i');
const COUNT_LINE = /^\s*(\d+)\s+comments?:\s*$/i;
const TOP_NUMBERED = /^ {2}(\d{1,3})\.\s+(.*)$/;
const REPLY_NUMBERED = /^ {4}(\d{1,3})\.\s+(.*)$/;
const BUTTON_LINE = /^\s*(ReplyDelete|Delete|Replies|Reply|Load more\.*)\s*$/;
/** A flattened comment's closing buttons, glued to the next comment's first words. */
const GLUED_BUTTONS = /^(ReplyDelete|Delete)(?![a-z])(.*)$/;
/** `Anonymous 28 October 2022 at 22:00` (optionally followed by `:` and text). */
const COMMENT_HEADER = new RegExp(
  `^(.{1,60}?)\\s+(\\d{1,2})\\s+(${MONTH_NAMES})\\s+(\\d{4})\\s+at\\s+(\\d{1,2}):(\\d{2})\\s*:?\\s*(.*)$`,
  'i',
);
/** A heading glued to the paragraph after it by the copy: `…news on YOTsOur first…`. */
const GLUED_HEADING = /^(.{12,150}?[\p{Ll}\d)’'"?!])(\p{Lu}\p{Ll}+\b.*)$/u;
/** Lines shorter than this are never treated as copy duplicates (`*****`, `From Twitter:-`). */
const MIN_DUPLICATE_LENGTH = 40;

interface RawComment {
  reply: boolean;
  lines: string[];
  /** 1-based line where the comment starts in the source. */
  line: number;
}

/** True when a text looks like one of the blog's page copies. */
export function looksLikeTextDump(text: string): boolean {
  const lines = text.split(/\r?\n/, 5000);
  return lines.some((l) => DATE_LINE.test(l) || DATE_LINE_US.test(l) || COUNT_LINE.test(l) || GLUED_BUTTONS.test(l));
}

/** Parse a text dump into posts with their comments. `source` names the file in warnings and errors. */
export function parseTextDump(input: string, source: string): ParsedPost[] {
  // Controls are dropped before anything else reads the text (newlines stay, so line numbers hold).
  const lines = withoutUnsafeCharacters(input.replace(/^\ufeff/, ''))
    .replace(/\r\n?/g, '\n')
    .replace(/\u00a0/g, ' ')
    .split('\n');
  const starts: { index: number; date: string }[] = [];
  // A date line starts a post when some text follows it; found once, so a file of many date lines stays linear.
  let lastText = lines.length - 1;
  while (lastText >= 0 && lines[lastText]!.trim() === '') lastText--;
  lines.forEach((line, index) => {
    const date = index < lastText ? dateOf(line) : null;
    if (date) starts.push({ index, date });
  });

  const segments: { from: number; to: number; date: string | null }[] = [];
  const firstStart = starts[0]?.index ?? lines.length;
  if (lines.slice(0, firstStart).some((l) => l.trim() !== '')) {
    segments.push({ from: 0, to: firstStart, date: null });
  }
  starts.forEach((start, i) => {
    segments.push({ from: start.index, to: starts[i + 1]?.index ?? lines.length, date: start.date });
  });
  if (segments.length === 0) throw new ArchiveFormatError(source, 'no post found (no date line and no text)');

  return segments.map((segment) => parsePost(lines, segment.from, segment.to, segment.date, source));
}

function dateOf(line: string): string | null {
  const uk = DATE_LINE.exec(line);
  if (uk) return isoDate(uk[1]!, uk[2]!, uk[3]!);
  const us = DATE_LINE_US.exec(line);
  if (us) return isoDate(us[2]!, us[1]!, us[3]!);
  return null;
}

function parsePost(lines: string[], from: number, to: number, date: string | null, source: string): ParsedPost {
  const warnings: ParseWarning[] = [];
  let bodyFrom = date === null ? from : from + 1;
  while (bodyFrom < to && lines[bodyFrom]!.trim() === '') bodyFrom++;

  let title: string | null = null;
  if (date !== null) {
    title = oneLine(lines[bodyFrom] ?? '');
    bodyFrom++;
  }

  const section = findComments(lines, bodyFrom, to);
  let body = lines.slice(bodyFrom, section.from);
  if (title === null) {
    const derived = titleFromContent(body);
    title = derived.title;
    body = derived.body;
    warnings.push({ line: from + 1, message: `post "${title}" has no date line: stored without a date` });
  }
  if (!title) throw new ArchiveFormatError(source, 'post has no title and no text', from + 1);

  const text = bodyText(body);
  const hasQuotedSections = /^\*{3,}\s*$/m.test(text);
  const post: Post = {
    id: stableId('txt-', date ?? '', title.toLowerCase()),
    title,
    date,
    time: null,
    author: hasQuotedSections ? null : signatureOf(text),
    url: null,
    labels: [],
    text,
  };

  const raw =
    section.layout === 'numbered'
      ? numberedComments(lines, section.contentFrom, to)
      : section.layout === 'flattened'
        ? flattenedComments(lines, section.contentFrom, to)
        : [];
  const comments = toComments(raw, post.id);
  if (section.expected !== null && section.expected !== comments.length) {
    warnings.push({
      line: section.from + 1,
      message: `header says ${section.expected} comments, ${comments.length} read (deleted comments are not copied)`,
    });
  }
  return { line: from + 1, post, comments, warnings };
}

interface CommentSection {
  layout: 'none' | 'numbered' | 'flattened';
  /** First line not part of the post body. */
  from: number;
  /** First line of the first comment. */
  contentFrom: number;
  expected: number | null;
}

function findComments(lines: string[], from: number, to: number): CommentSection {
  for (let i = from; i < to; i++) {
    const count = COUNT_LINE.exec(lines[i]!);
    if (count) {
      const flattened =
        lines.slice(i + 1, to).some((l) => GLUED_BUTTONS.test(l)) &&
        !lines.slice(i + 1, to).some((l) => TOP_NUMBERED.test(l));
      return { layout: flattened ? 'flattened' : 'numbered', from: i, contentFrom: i + 1, expected: Number(count[1]) };
    }
  }
  // An indented numbered block that runs to the end of the post: it can only start where the indented tail does.
  let indentedFrom = to;
  while (indentedFrom > from && (lines[indentedFrom - 1]!.trim() === '' || /^ {2}/.test(lines[indentedFrom - 1]!)))
    indentedFrom--;
  for (let i = indentedFrom; i < to; i++) {
    if (TOP_NUMBERED.test(lines[i]!)) return { layout: 'numbered', from: i, contentFrom: i, expected: null };
  }
  // Flattened: the first closing buttons end the first comment, whose text is the line before them.
  for (let i = from; i < to; i++) {
    if (GLUED_BUTTONS.test(lines[i]!)) {
      const first = i > from && lines[i - 1]!.trim() !== '' ? i - 1 : i;
      return { layout: 'flattened', from: first, contentFrom: first, expected: null };
    }
  }
  return { layout: 'none', from: to, contentFrom: to, expected: null };
}

/** `  1.` top-level comments with `    1.` replies; the buttons and `Replies` lines are dropped. */
function numberedComments(lines: string[], from: number, to: number): RawComment[] {
  const comments: RawComment[] = [];
  let top: RawComment | null = null;
  let current: RawComment | null = null;
  let lastReplyNumber = 0;
  let inReplies = false;
  for (let i = from; i < to; i++) {
    const line = lines[i]!;
    const topMatch = TOP_NUMBERED.exec(line);
    if (topMatch) {
      top = { reply: false, lines: [topMatch[2]!], line: i + 1 };
      current = top;
      comments.push(top);
      lastReplyNumber = 0;
      inReplies = false;
      continue;
    }
    const button = BUTTON_LINE.exec(line);
    if (button) {
      if (button[1] === 'Replies') inReplies = true;
      continue;
    }
    const replyMatch = REPLY_NUMBERED.exec(line);
    if (replyMatch && top) {
      const n = Number(replyMatch[1]);
      const previousBlank = i > from && lines[i - 1]!.trim() === '';
      const inSequence = n > lastReplyNumber && n <= lastReplyNumber + 3;
      if (inSequence && (inReplies || previousBlank)) {
        current = { reply: true, lines: [replyMatch[2]!], line: i + 1 };
        comments.push(current);
        lastReplyNumber = n;
        continue;
      }
    }
    if (current) current.lines.push(line);
  }
  return comments;
}

/**
 * Comments whose buttons were glued to the next comment's text. The buttons
 * close a comment: `ReplyDelete` a top-level one, `Delete` a reply. A
 * signature line such as `'Getafix` also ends a comment whose buttons were lost.
 */
function flattenedComments(lines: string[], from: number, to: number): RawComment[] {
  const comments: RawComment[] = [];
  let pending: RawComment[] = [];
  let current: RawComment | null = null;
  const close = (reply: boolean) => {
    if (current) pending.push(current);
    for (const c of pending) c.reply = reply;
    comments.push(...pending.filter((c) => c.lines.some((l) => l.trim() !== '')));
    pending = [];
    current = null;
  };
  for (let i = from; i < to; i++) {
    const line = lines[i]!;
    const glued = GLUED_BUTTONS.exec(line);
    if (glued) {
      close(glued[1] === 'Delete');
      const rest = glued[2]!.trim();
      if (rest) current = { reply: false, lines: [rest], line: i + 1 };
      continue;
    }
    if (line.trim() === '') continue;
    if (!current) current = { reply: false, lines: [], line: i + 1 };
    current.lines.push(line);
    if (isSignatureLine(line)) {
      pending.push(current);
      current = null;
    }
  }
  if (current || pending.length > 0) close(false);
  return comments;
}

function toComments(raw: RawComment[], postId: string): Comment[] {
  const comments: Comment[] = [];
  const seen = new Map<string, number>();
  let parent: Comment | null = null;
  for (const r of raw) {
    const header = COMMENT_HEADER.exec(oneLine(r.lines[0] ?? ''));
    let lines = r.lines;
    let author: string | null = null;
    let date: string | null = null;
    let time: string | null = null;
    if (header) {
      author = header[1]!.trim();
      date = isoDate(header[2]!, header[3]!, header[4]!);
      time = `${header[5]!.padStart(2, '0')}:${header[6]}`;
      lines = [header[7] ?? '', ...lines.slice(1)];
    }
    const text = bodyText(lines);
    if (!text) continue;
    author ??= signatureOf(text);
    const parentId = r.reply && parent ? parent.id : null;
    const key = [parentId ?? '', author ?? '', oneLine(text)].join('\n');
    const occurrence = (seen.get(key) ?? 0) + 1;
    seen.set(key, occurrence);
    const comment: Comment = {
      id: stableId(`${postId}-c`, key, String(occurrence)),
      postId,
      parentId,
      author,
      date,
      time,
      text,
      permalink: null,
      deleted: false,
    };
    comments.push(comment);
    if (!comment.parentId) parent = comment;
  }
  return comments;
}

/**
 * Tidy body lines into paragraphs. A copy that lost its blank lines gets one
 * paragraph per line; paragraphs the copy duplicated are kept once.
 */
function bodyText(lines: string[]): string {
  const tidy = tidyText(lines.join('\n'));
  const flattened = !tidy.includes('\n\n') && tidy.includes('\n');
  const seen = new Set<string>();
  const kept = tidy.split('\n').filter((line) => {
    const key = oneLine(line);
    if (key.length < MIN_DUPLICATE_LENGTH) return true;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return kept
    .join(flattened ? '\n\n' : '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * A title for a post copied without its title line: the first line that is
 * not an introduction (`…published today:-`), cut where the copy glued the
 * heading to the paragraph after it.
 */
function titleFromContent(body: string[]): { title: string; body: string[] } {
  const lines = [...body];
  const index = lines.findIndex((l) => l.trim() !== '' && !/:-?\s*$/.test(l.trim()));
  if (index === -1) {
    const first = oneLine(lines.find((l) => l.trim() !== '') ?? '');
    return { title: shorten(first), body: lines };
  }
  const line = oneLine(lines[index]!);
  const glued = GLUED_HEADING.exec(line);
  if (glued && !/[.]\s/.test(glued[1]!) && glued[1]!.split(' ').length >= 3) {
    lines.splice(index, 1, glued[1]!, glued[2]!);
    return { title: glued[1]!, body: lines };
  }
  return { title: shorten(line), body: lines };
}

function shorten(text: string, max = 100): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 1))}…`;
}
